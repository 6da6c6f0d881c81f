/**
 * A concurrency limit per task type for the whole process, so one slow type
 * (webhooks to a sick service, CPU-heavy work) cannot take every slot and
 * starve the others. Types without a limit run freely (the key lanes still
 * bound them). Waiters are served in arrival order.
 */
export class Bulkhead {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limits: Readonly<Record<string, number>>) {}

  /**
   * Takes a slot of `type`: at once (undefined, no promise) when one is free or
   * the type has no limit; otherwise a promise that resolves once a release
   * hands this caller its slot.
   */
  acquire(type: string): Promise<void> | undefined {
    const limit = this.limits[type];
    if (limit === undefined) return undefined;
    const running = this.running.get(type) ?? 0;
    if (running < limit) {
      this.running.set(type, running + 1);
      return undefined;
    }
    return new Promise<void>((resolve) => {
      const queue = this.waiting.get(type) ?? [];
      queue.push(resolve);
      this.waiting.set(type, queue);
    });
  }

  release(type: string): void {
    if (this.limits[type] === undefined) return;
    const next = this.waiting.get(type)?.shift();
    // The slot passes straight to the next waiter: the running count stays the same.
    if (next) next();
    else this.running.set(type, (this.running.get(type) ?? 1) - 1);
  }

  inUse(type: string): number {
    return this.running.get(type) ?? 0;
  }
}
