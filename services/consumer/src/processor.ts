import { Headers, parseTaskRecord, type TaskEnvelope, type TopicNames } from '@taskstream/contract';
import { ErrorCodes, retry } from '@taskstream/errors';
import type { BatchControls, BatchHandler, IncomingRecord, TaskPublisher } from '@taskstream/kafka';
import type { TaskStatusStore } from '@taskstream/queue';
import type { Logger } from '@taskstream/telemetry';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProgress } from './batch-progress';
import type { Bulkhead } from './bulkhead';
import { deadLetterOf } from './dead-letter';
import type { HandlerMap, TaskHandler } from './handlers/types';
import { contextFreeHandlers } from './handlers/registry';
import { runInKeyLanes } from './key-lanes';
import type { ConsumerMetrics, TypeMetrics } from './metrics';
import { delayUntilDue, resultJson, resultRecordOf, retryRecordOf, transitionOf } from './outcome-records';
import { runTask, type RunHooks, type RunPolicy, type TaskOutcome } from './run-task';
import { observeStageWaits } from './instrument';
import { parentOf, traced } from './tracing';

export interface ProcessorOptions {
  handlers: HandlerMap;
  statusStore: Pick<TaskStatusStore, 'apply' | 'finished'>;
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

/** What the tasks of one batch share. */
interface BatchRun {
  progress: BatchProgress;
  hooks: RunHooks;
  isActive: () => boolean;
}

function resultDetail(result: unknown, maxBytes: number): string {
  const json = resultJson(result);
  return json.length <= maxBytes ? json : JSON.stringify({ truncated: true, bytes: json.length });
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
      const parsed = parseTaskRecord(record.value, record, options.maxRecordBytes);
      if (!parsed.ok) {
        metrics.deadLetters.inc({ reason: parsed.code });
        logger.warn({ code: parsed.code, reason: parsed.message, partition: record.partition, offset: record.offset }, 'poison record dead-lettered');
        progress.complete(index, undefined, [deadLetterOf(record, topics.deadLetter, { code: parsed.code, message: parsed.message, attempts: 0 })]);
        return;
      }
      const task = parsed.envelope;
      const handler = options.handlers[task.type];
      if (!handler) {
        const error = { code: ErrorCodes.UNKNOWN_TASK_TYPE, message: `no handler for type "${task.type}"` };
        metrics.deadLetters.inc({ reason: error.code });
        progress.complete(index, transitionOf(task, 'dead', 0, JSON.stringify(error)), [deadLetterOf(record, topics.deadLetter, { ...error, attempts: 0, taskId: task.id })]);
        return;
      }
      runnable.push({ index, key: task.key, envelope: task, record, handler });
    });
    return runnable;
  }

  /**
   * A task that is due and finds a free slot reaches its handler in this very
   * turn: no promise is made or awaited before it, and none after it when its
   * handler returns a plain value (undefined is returned then: the task is
   * done). Only a task that must wait (a retry not yet due, a full bulkhead, a
   * handler's promise) gives a promise. The key lane checked `isActive()` just
   * before, in the same turn, so it is not asked again.
   */
  function runOne(item: RunnableTask, batch: BatchRun): Promise<void> | undefined {
    const wait = delayUntilDue(item.record);
    return wait > 0 ? runWhenDue(item, batch, wait) : runWithSlot(item, batch);
  }

  /** Waits (in short steps, so a revoked partition stops waiting) until a retry-topic record is due, then runs it. */
  async function runWhenDue(item: RunnableTask, batch: BatchRun, firstWait: number): Promise<void> {
    for (let wait = firstWait; wait > 0 && batch.isActive(); wait = delayUntilDue(item.record)) await sleep(Math.min(wait, 250));
    if (batch.isActive()) await runWithSlot(item, batch);
  }

  function runWithSlot(item: RunnableTask, batch: BatchRun): Promise<void> | undefined {
    const waiting = options.bulkhead.acquire(item.envelope.type);
    return waiting ? waiting.then(() => run(item, batch)) : run(item, batch);
  }

  /** One task holding its slot: stage waits, the run (traced when sampled), then its outcome. */
  function run(item: RunnableTask, batch: BatchRun): Promise<void> | undefined {
    const { envelope: task, record } = item;
    const perType = metrics.forType(task.type);
    batch.progress.started(item.index, task);
    perType.inFlight.inc();
    let outcome: TaskOutcome | Promise<TaskOutcome>;
    try {
      const now = Date.now();
      observeStageWaits(perType, record, task, now);
      // The closure and the span work only for a sampled task.
      const parent = parentOf(record);
      outcome = parent ? traced(record, task, async () => execute(item, batch), now, parent, !contextFreeHandlers.has(item.handler)) : execute(item, batch);
    } catch (err) {
      release(task, perType);
      throw err;
    }
    if (!(outcome instanceof Promise)) {
      settle(item, outcome, batch, perType);
      return undefined;
    }
    return outcome.then(
      (settled) => settle(item, settled, batch, perType),
      (err: unknown) => {
        release(task, perType);
        throw err;
      },
    );
  }

  /** Gives back what `run` took: the in-flight count and the bulkhead slot. */
  function release(task: TaskEnvelope, perType: TypeMetrics): void {
    perType.inFlight.dec();
    options.bulkhead.release(task.type);
  }

  /** The run is over: its slot goes back, then its outcome is recorded. */
  function settle(item: RunnableTask, outcome: TaskOutcome, batch: BatchRun, perType: TypeMetrics): void {
    release(item.envelope, perType);
    finish(item, outcome, batch.progress, perType);
  }

  function execute(item: RunnableTask, batch: BatchRun): TaskOutcome | Promise<TaskOutcome> {
    return runTask(item.handler, item.envelope, options.policy, batch.hooks, logger);
  }

  /**
   * A record may repeat a task that already finished unless the bridge marked it as the task's first
   * send and it was written after this member got the partition (no one else can have run it).
   * Retry-topic records are copies by nature. Third parties mark nothing: theirs are always checked.
   */
  function mayRepeat(task: RunnableTask, joinedAtOffset: number): boolean {
    const { record } = task;
    return record.topic !== topics.tasks || record.header(Headers.firstSend) === undefined || Number(record.offset) < joinedAtOffset;
  }

  /**
   * The tasks to run: those that already succeeded or are dead are skipped (one read per batch, of
   * the records that may repeat a task only), and so is a copy in the same batch as its original (a
   * bridge republished its in-flight batch). First sends alone cannot repeat one another: nothing to do.
   */
  async function withoutRepeats(runnable: RunnableTask[], joinedAtOffset: number, progress: BatchProgress): Promise<RunnableTask[]> {
    const suspects = runnable.filter((task) => mayRepeat(task, joinedAtOffset));
    if (suspects.length === 0) return runnable;
    const finished = await retry(() => options.statusStore.finished(suspects.map((t) => t.envelope.id)), { maxAttempts: 8 });
    const done = new Set(suspects.filter((_, i) => finished[i]));
    const seen = new Set<string>();
    return runnable.filter((task) => {
      if (!done.has(task) && !seen.has(task.envelope.id)) {
        seen.add(task.envelope.id);
        return true;
      }
      metrics.duplicates.inc();
      progress.complete(task.index);
      return false;
    });
  }

  /** Hooks shared by a batch's tasks: no closures per task. */
  function hooksOf(progress: BatchProgress): RunHooks {
    return {
      onAttempt: (task, seconds) => metrics.forType(task.type).handlerDuration.observe(seconds),
      onRetry: (task, attempt, error) => {
        metrics.retries.inc({ type: task.type });
        progress.note(transitionOf(task, 'retrying', attempt, JSON.stringify(error)));
      },
    };
  }

  /** Turns an outcome into its status and the records to produce before the offset may resolve. */
  function finish(item: RunnableTask, outcome: TaskOutcome, progress: BatchProgress, perType: TypeMetrics): void {
    const { envelope: task, record } = item;
    if (outcome.status === 'retry') {
      progress.complete(item.index, undefined, [retryRecordOf(record, task, outcome, topics)]);
      return;
    }
    (outcome.status === 'succeeded' ? perType.succeeded : perType.dead).inc();
    perType.endToEnd.observe((Date.now() - task.createdAt) / 1000);
    const result = options.publishResults ? resultRecordOf(task, outcome, topics) : undefined;
    if (outcome.status === 'succeeded') {
      progress.complete(item.index, transitionOf(task, 'succeeded', outcome.attempts, resultDetail(outcome.result, options.maxResultBytes)), result && [result]);
      return;
    }
    metrics.deadLetters.inc({ reason: outcome.error.code });
    const deadLetter = deadLetterOf(record, topics.deadLetter, { ...outcome.error, attempts: outcome.attempts, taskId: task.id });
    progress.complete(item.index, transitionOf(task, 'dead', outcome.attempts, JSON.stringify(outcome.error)), result ? [deadLetter, result] : [deadLetter]);
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
    const toRun = await withoutRepeats(sortRecords(records, progress), controls.joinedAtOffset, progress);
    const batch: BatchRun = { progress, hooks: hooksOf(progress), isActive: controls.isActive };
    const timer = setInterval(() => {
      progress.checkpoint().catch(() => {});
      controls.heartbeat().catch(() => {});
    }, options.checkpointIntervalInMs);
    try {
      await runInKeyLanes(toRun, options.keyConcurrency, controls.isActive, (task) => runOne(task, batch));
    } finally {
      clearInterval(timer);
    }
    await progress.checkpoint();
  };
}
