/** A call over a list that answers for the whole list at once. */
export type ListCall<I, R> = (items: I[]) => Promise<R>;

export interface CoalesceOptions<R> {
  /** Most items one combined call carries; a call is sent as soon as it is full. */
  maxItems: number;
  /** The part of a combined result that answers items [offset, offset + count). */
  part(result: R, offset: number, count: number): R;
  /** Told the size of every call made underneath (for a metric). */
  onCall?: (items: number) => void;
}

interface Waiter<I, R> {
  items: I[];
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Combines the calls made in the same event-loop turn into one call of `call`.
 *
 * Why: every call to Redis is a socket write that wakes Redis and a script
 * start, which cost more than the few tasks a small call carries (on this
 * project's 2-core VM a write to a sleeping process costs tens of µs).
 * Calls made in one turn are flushed together on `setImmediate`, so nothing
 * waits for a timer: an idle process answers as fast as before. Calls of
 * `maxItems` or more, and empty ones, pass straight through.
 *
 * Each caller gets its own part of the result. When the combined call fails,
 * every caller in it gets the error: none of them can tell its items apart
 * from the others', so each must treat its own call as failed.
 */
export function coalesceCalls<I, R>(call: ListCall<I, R>, options: CoalesceOptions<R>): ListCall<I, R> {
  let waiting: Waiter<I, R>[] = [];
  let waitingItems = 0;
  let scheduled = false;

  const callUnderneath = (items: I[]) => {
    options.onCall?.(items.length);
    return call(items);
  };

  async function send(batch: Waiter<I, R>[]): Promise<void> {
    let result: R;
    try {
      result = await callUnderneath(batch.length === 1 ? batch[0]!.items : batch.flatMap((w) => w.items));
    } catch (err) {
      for (const waiter of batch) waiter.reject(err);
      return;
    }
    let offset = 0;
    for (const waiter of batch) {
      const count = waiter.items.length;
      try {
        waiter.resolve(batch.length === 1 ? result : options.part(result, offset, count));
      } catch (err) {
        waiter.reject(err); // a result without this caller's part: it must not wait for ever
      }
      offset += count;
    }
  }

  function flush(): void {
    scheduled = false;
    const batch = waiting;
    waiting = [];
    waitingItems = 0;
    if (batch.length) void send(batch);
  }

  return (items) => {
    if (items.length === 0 || items.length >= options.maxItems) return callUnderneath(items);
    if (waitingItems + items.length > options.maxItems) flush();
    return new Promise<R>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      waitingItems += items.length;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };
}

/** `part` for results that hold one entry per item, in order. */
export const perItem = <T>(result: T[], offset: number, count: number): T[] => result.slice(offset, offset + count);
