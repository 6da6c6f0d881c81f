import type { ShardQueue } from '@taskstream/queue';
import type { Logger } from '@taskstream/telemetry';

export interface ShardLeasesOptions {
  queue: ShardQueue;
  shardCount: number;
  logger: Logger;
}

/**
 * The set of Redis lists this bridge may drain. Each round it announces itself,
 * learns how many bridges are alive, renews what it holds and takes or gives
 * back leases until it holds its fair share, so added bridges get work and the
 * lists of a dead bridge are picked up once its leases expire.
 */
export class ShardLeases {
  private readonly owned = new Set<number>();
  private surplus = 0;

  constructor(private readonly options: ShardLeasesOptions) {}

  shards(): number[] {
    return [...this.owned];
  }

  size(): number {
    return this.owned.size;
  }

  /** Called by the drain loop when a drain found the lease gone. */
  lost(shard: number): void {
    this.owned.delete(shard);
  }

  async refresh(): Promise<void> {
    const { queue, shardCount } = this.options;
    const live = Math.max(1, await queue.heartbeat());
    const fairShare = Math.ceil(shardCount / live);
    for (const shard of this.owned) {
      if (!(await queue.renewLease(shard))) this.owned.delete(shard);
    }
    // Start at a random list so bridges starting together do not all race for list 0.
    const start = Math.floor(Math.random() * shardCount);
    for (let i = 0; i < shardCount && this.owned.size < fairShare; i++) {
      const shard = (start + i) % shardCount;
      if (!this.owned.has(shard) && (await queue.acquireLease(shard))) this.owned.add(shard);
    }
    this.surplus = Math.max(0, this.owned.size - fairShare);
  }

  /** Gives back leases above the fair share; only between cycles, when nothing is in flight. */
  async releaseSurplus(): Promise<void> {
    while (this.surplus > 0) {
      const shard = this.shards()[0];
      if (shard === undefined) break;
      this.owned.delete(shard);
      this.surplus--;
      await this.options.queue.releaseLease(shard);
      this.options.logger.info({ shard }, 'released lease to rebalance');
    }
  }

  async releaseAll(): Promise<void> {
    for (const shard of this.shards()) {
      this.owned.delete(shard);
      await this.options.queue.releaseLease(shard).catch(() => false);
    }
    await this.options.queue.leave();
  }
}
