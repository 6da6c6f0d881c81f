import type { BufferedTask, EnqueueResult, TaskBuffer } from './types';

interface Waiter {
  tasks: BufferedTask[];
  resolve(result: EnqueueResult): void;
  reject(err: unknown): void;
}

export interface CoalescingBufferOptions {
  /** Most tasks one combined call carries; a call is sent as soon as it is full. */
  maxTasks: number;
  /** Told the size of every call made to the buffer underneath (for a metric). */
  onCall?: (tasks: number) => void;
}

/**
 * Combines the enqueues that arrive in the same event-loop turn (single-task
 * requests above all) into one call of the buffer underneath.
 *
 * Why: each `POST /v1/tasks` was one Lua call, and Redis spends more on a call
 * (parsing, script start, reply) than on the one task in it. Requests that
 * were read from their sockets in the same turn are flushed together on
 * `setImmediate`, so nothing waits for a timer: an idle server answers as fast
 * as before. Enqueues of `maxTasks` or more pass straight through.
 *
 * Each caller gets its own slice of the result. The combined call is one
 * script run, so it is all or nothing: when the buffer is full every caller in
 * it gets "buffer full", and when Redis fails every caller gets the error; none
 * of them was enqueued, which is what those answers promise.
 */
export function createCoalescingBuffer(inner: TaskBuffer, options: CoalescingBufferOptions): TaskBuffer {
  let waiting: Waiter[] = [];
  let waitingTasks = 0;
  let scheduled = false;

  const call = (tasks: BufferedTask[]) => {
    options.onCall?.(tasks.length);
    return inner.enqueue(tasks);
  };

  async function send(batch: Waiter[]): Promise<void> {
    let result: EnqueueResult;
    try {
      result = await call(batch.length === 1 ? batch[0]!.tasks : batch.flatMap((w) => w.tasks));
    } catch (err) {
      for (const waiter of batch) waiter.reject(err);
      return;
    }
    let offset = 0;
    for (const waiter of batch) {
      const count = waiter.tasks.length;
      waiter.resolve(result.accepted ? { accepted: true, fresh: result.fresh.slice(offset, offset + count) } : result);
      offset += count;
    }
  }

  function flush(): void {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    waitingTasks = 0;
    if (batch.length) void send(batch);
  }

  return {
    enqueue(tasks) {
      if (tasks.length >= options.maxTasks) return call(tasks);
      if (waitingTasks + tasks.length > options.maxTasks) flush();
      return new Promise<EnqueueResult>((resolve, reject) => {
        waiting.push({ tasks, resolve, reject });
        waitingTasks += tasks.length;
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
