import { Headers, type TaskEnvelope, type TopicNames } from '@taskstream/contract';
import { messageOf } from '@taskstream/errors';
import type { IncomingRecord, OutgoingRecord } from '@taskstream/kafka';
import type { StatusTransition } from '@taskstream/queue';
import type { TaskOutcome } from './run-task';

/** Header on retry-topic records: epoch ms before which the next attempt must not start. */
export const RETRY_AT_HEADER = 'retry-at';

/** The status write for a task's new state (detail: result or error JSON). */
export function transitionOf(task: TaskEnvelope, status: StatusTransition['status'], attempts: number, detail?: string): StatusTransition {
  return { id: task.id, type: task.type, key: task.key, createdAt: task.createdAt, status, attempts, detail };
}

/** The task again, one attempt further, for the retry topic; its trace headers travel along. */
export function retryRecordOf(record: IncomingRecord, task: TaskEnvelope, outcome: Extract<TaskOutcome, { status: 'retry' }>, topics: TopicNames): OutgoingRecord {
  return {
    topic: topics.retry,
    key: task.key,
    value: JSON.stringify({ ...task, attempt: outcome.attempts + 1 }),
    headers: {
      [Headers.traceparent]: record.header(Headers.traceparent),
      [Headers.tracestate]: record.header(Headers.tracestate),
      [Headers.taskId]: task.id,
      [Headers.taskType]: task.type,
      [Headers.errorCode]: outcome.error.code,
      [Headers.errorMessage]: outcome.error.message.slice(0, 1000),
      [Headers.attempts]: String(outcome.attempts),
      [RETRY_AT_HEADER]: String(outcome.retryAt),
    },
  };
}

/**
 * A handler's result as JSON. One that cannot be written (a BigInt, a cycle)
 * becomes a note saying why: the task did succeed, and its batch must not
 * fail (and be redelivered) over what the handler returned.
 */
export function resultJson(result: unknown): string {
  if (result === undefined || result === null) return 'null';
  try {
    return JSON.stringify(result) ?? 'null';
  } catch (err) {
    return JSON.stringify({ unserializable: true, error: messageOf(err) });
  }
}

/** A final status for systems that consume results as a stream (`<topic>.results`). */
export function resultRecordOf(task: TaskEnvelope, outcome: Exclude<TaskOutcome, { status: 'retry' }>, topics: TopicNames): OutgoingRecord {
  const head = JSON.stringify({ id: task.id, type: task.type, key: task.key, status: outcome.status, attempts: outcome.attempts });
  const body = outcome.status === 'succeeded' ? `"result":${resultJson(outcome.result)}` : `"error":${JSON.stringify(outcome.error)}`;
  return {
    topic: topics.results,
    key: task.key,
    value: `${head.slice(0, -1)},${body},"finishedAt":${Date.now()}}`,
    headers: { [Headers.taskId]: task.id, [Headers.taskType]: task.type },
  };
}

/** Milliseconds until a retry-topic record is due (0 for every other record). */
export function delayUntilDue(record: IncomingRecord): number {
  const header = record.header(RETRY_AT_HEADER);
  if (header === undefined) return 0;
  const retryAt = Number(header);
  return Number.isFinite(retryAt) ? Math.max(0, retryAt - Date.now()) : 0;
}
