import { coalesceCalls } from './coalesce';
import type { EnqueueResult, TaskBuffer } from './types';

export interface CoalescingBufferOptions {
  /** Most tasks one combined call carries; a call is sent as soon as it is full. */
  maxTasks: number;
  /** Told the size of every call made to the buffer underneath (for a metric). */
  onCall?: (tasks: number) => void;
}

/**
 * Combines the enqueues that arrive in the same event-loop turn (single-task
 * requests above all) into one call of the buffer underneath (see
 * `coalesceCalls`): each `POST /v1/tasks` was one Lua call, and Redis spends
 * more on a call than on the one task in it.
 *
 * The combined call is one script run, so it is all or nothing: when the
 * buffer is full every caller in it gets "buffer full", and when Redis fails
 * every caller gets the error; none of them was enqueued, which is what those
 * answers promise.
 */
export function createCoalescingBuffer(inner: TaskBuffer, options: CoalescingBufferOptions): TaskBuffer {
  const part = (result: EnqueueResult, offset: number, count: number): EnqueueResult =>
    result.accepted ? { accepted: true, fresh: result.fresh.slice(offset, offset + count) } : result;
  return { enqueue: coalesceCalls((tasks) => inner.enqueue(tasks), { maxItems: options.maxTasks, part, onCall: options.onCall }) };
}
