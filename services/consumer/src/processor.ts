import { parseTaskRecord, type TaskEnvelope, type TopicNames } from '@taskstream/contract';
import { ErrorCodes, retry } from '@taskstream/errors';
import type { BatchControls, BatchHandler, IncomingRecord, TaskPublisher } from '@taskstream/kafka';
import type { StatusTransition, TaskStatusStore } from '@taskstream/queue';
import type { Logger } from '@taskstream/telemetry';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProgress } from './batch-progress';
import type { Bulkhead } from './bulkhead';
import { deadLetterOf } from './dead-letter';
import type { HandlerMap, TaskHandler } from './handlers/types';
import { runInKeyLanes } from './key-lanes';
import type { ConsumerMetrics } from './metrics';
import { delayUntilDue, resultRecordOf, retryRecordOf } from './outcome-records';
import { runTask, type RunPolicy, type TaskOutcome } from './run-task';
import { instrumentTask } from './instrument';

export interface ProcessorOptions {
  handlers: HandlerMap;
  statusStore: TaskStatusStore;
  publisher: TaskPublisher;
  metrics: ConsumerMetrics;
  logger: Logger;
  topics: TopicNames;
  policy: RunPolicy;
  keyConcurrency: number;
  maxRecordBytes: number;
  maxResultBytes: number;
  checkpointIntervalInMs: number;
  /** Per-type concurrency limits shared by all partitions of this process. */
  bulkhead: Bulkhead;
  /** Also publish final statuses to the results topic. */
  publishResults: boolean;
}

interface RunnableTask {
  index: number;
  key: string;
  envelope: TaskEnvelope;
  record: IncomingRecord;
  handler: TaskHandler;
}

function resultDetail(result: unknown, maxBytes: number): string {
  const json = JSON.stringify(result ?? null) ?? 'null';
  return json.length <= maxBytes ? json : JSON.stringify({ truncated: true, bytes: json.length });
}

function transitionOf(task: TaskEnvelope, status: StatusTransition['status'], attempts: number, detail?: string): StatusTransition {
  return { id: task.id, type: task.type, key: task.key, status, attempts, detail };
}

/**
 * The consumer's work on one partition batch: dead-letter what cannot run,
 * skip what already finished, run the rest in key lanes, and let BatchProgress
 * write statuses and advance offsets as tasks finish.
 */
export function createTaskProcessor(options: ProcessorOptions): BatchHandler {
  const { metrics, logger, topics } = options;

  function sortRecords(records: IncomingRecord[], progress: BatchProgress): RunnableTask[] {
    const runnable: RunnableTask[] = [];
    records.forEach((record, index) => {
      const parsed = parseTaskRecord(record.value, record, options.maxRecordBytes, record.key);
      if (!parsed.ok) {
        metrics.deadLetters.inc({ reason: parsed.code });
        logger.warn({ code: parsed.code, reason: parsed.message, partition: record.partition, offset: record.offset }, 'poison record dead-lettered');
        progress.complete(index, undefined, deadLetterOf(record, topics.deadLetter, { code: parsed.code, message: parsed.message, attempts: 0 }));
        return;
      }
      const task = parsed.envelope;
      const handler = options.handlers[task.type];
      if (!handler) {
        const error = { code: ErrorCodes.UNKNOWN_TASK_TYPE, message: `no handler for type "${task.type}"` };
        metrics.deadLetters.inc({ reason: error.code });
        progress.complete(index, transitionOf(task, 'dead', 0, JSON.stringify(error)), deadLetterOf(record, topics.deadLetter, { ...error, attempts: 0, taskId: task.id }));
        return;
      }
      runnable.push({ index, key: task.key, envelope: task, record, handler });
    });
    return runnable;
  }

  /** Waits (in short steps, so a revoked partition stops waiting) until a retry-topic record is due. */
  async function waitUntilDue(record: IncomingRecord, isActive: () => boolean): Promise<boolean> {
    for (let wait = delayUntilDue(record); wait > 0 && isActive(); wait = delayUntilDue(record)) {
      await sleep(Math.min(wait, 250));
    }
    return isActive();
  }

  async function attempt(item: RunnableTask, progress: BatchProgress): Promise<TaskOutcome> {
    const { envelope: task } = item;
    await options.bulkhead.acquire(task.type);
    progress.started(item.index, transitionOf(task, 'processing', task.attempt));
    const perType = metrics.forType(task.type);
    perType.inFlight.inc();
    try {
      return await instrumentTask(metrics, item.record, task, () =>
        runTask(item.handler, task, options.policy, {
          onAttempt: (seconds) => perType.handlerDuration.observe(seconds),
          onRetry: (n, error) => {
            metrics.retries.inc({ type: task.type });
            progress.note(transitionOf(task, 'retrying', n, JSON.stringify(error)));
          },
        }, logger),
      );
    } finally {
      perType.inFlight.dec();
      options.bulkhead.release(task.type);
    }
  }

  /** Turns an outcome into its status and the records to produce before the offset may resolve. */
  function finish(item: RunnableTask, outcome: TaskOutcome, progress: BatchProgress): void {
    const { envelope: task, record } = item;
    if (outcome.status === 'retry') {
      progress.complete(item.index, undefined, retryRecordOf(record, task, outcome, topics));
      return;
    }
    const perType = metrics.forType(task.type);
    (outcome.status === 'succeeded' ? perType.succeeded : perType.dead).inc();
    perType.endToEnd.observe((Date.now() - task.createdAt) / 1000);
    const results = options.publishResults ? [resultRecordOf(task, outcome, topics)] : [];
    if (outcome.status === 'succeeded') {
      progress.complete(item.index, transitionOf(task, 'succeeded', outcome.attempts, resultDetail(outcome.result, options.maxResultBytes)), ...results);
      return;
    }
    metrics.deadLetters.inc({ reason: outcome.error.code });
    const deadLetter = deadLetterOf(record, topics.deadLetter, { ...outcome.error, attempts: outcome.attempts, taskId: task.id });
    progress.complete(item.index, transitionOf(task, 'dead', outcome.attempts, JSON.stringify(outcome.error)), deadLetter, ...results);
  }

  async function runOne(item: RunnableTask, progress: BatchProgress, isActive: () => boolean): Promise<void> {
    if (!(await waitUntilDue(item.record, isActive))) return;
    finish(item, await attempt(item, progress), progress);
  }

  return async (records: IncomingRecord[], controls: BatchControls) => {
    const progress = new BatchProgress({
      offsets: records.map((r) => r.offset),
      statusStore: options.statusStore,
      publisher: options.publisher,
      resolveOffset: controls.resolveOffset,
      logger,
      onDuplicates: (n) => metrics.duplicates.inc(n),
    });
    const runnable = sortRecords(records, progress);
    // Redeliveries of finished tasks are skipped, not run again (one read per batch); a copy in the
    // same batch as its original (a bridge republished its in-flight batch) runs only once too.
    const done = await retry(() => options.statusStore.finished(runnable.map((t) => t.envelope.id)), { maxAttempts: 8 });
    const seen = new Set<string>();
    const toRun = runnable.filter((task, i) => {
      if (!done[i] && !seen.has(task.envelope.id)) {
        seen.add(task.envelope.id);
        return true;
      }
      metrics.duplicates.inc();
      progress.complete(task.index);
      return false;
    });
    const timer = setInterval(() => {
      progress.checkpoint().catch(() => {});
      controls.heartbeat().catch(() => {});
    }, options.checkpointIntervalInMs);
    try {
      await runInKeyLanes(toRun, options.keyConcurrency, controls.isActive, (task) => runOne(task, progress, controls.isActive));
    } finally {
      clearInterval(timer);
    }
    await progress.checkpoint();
  };
}
