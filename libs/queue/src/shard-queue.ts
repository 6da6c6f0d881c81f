import { redisKeys } from '@taskstream/contract';
import { pipelineReplies, scriptTransaction, type TaskstreamRedis } from './redis-client';
import type { DrainOutcome, ShardQueue } from './types';

export interface RedisShardQueueOptions {
  redis: TaskstreamRedis;
  /** Key prefix. Default: `ts`. */
  prefix?: string;
  /** This bridge's unique id (lease owner). */
  ownerId: string;
  /** A lease not renewed within this time is free for another bridge. */
  leaseTtlInMs: number;
}

export function createRedisShardQueue(options: RedisShardQueueOptions): ShardQueue {
  const prefix = options.prefix ?? 'ts';
  const keys = redisKeys(prefix);
  const { redis, ownerId, leaseTtlInMs } = options;
  const lease = (shard: number, op: 'acquire' | 'renew' | 'release') =>
    redis.tsLease(keys.lease(shard), ownerId, op, leaseTtlInMs).then((r) => r === 1);
  // Each drain's token goes into the in-flight counts it sets; the ack that follows trims only
  // where it is still there (a lease that went to another bridge and back carries another).
  let drains = 0;
  let token = '';

  return {
    // One script call for all the cycle's lists, not one per list: an idle bridge polls 16 lists
    // 50 times a second, and Redis spends more on starting a call than on an empty list. The items
    // are read by LRANGE in the same transaction, not returned by the script: moved through Lua
    // into an in-flight list, as before, drain and ack cost Redis ~5 times as much
    // (libs/queue/bench/drain-ack.js).
    async drain(shards, maxPerShard) {
      if (shards.length === 0) return [];
      token = `${ownerId}/${++drains}`;
      const args: (string | number)[] = [ownerId, token, maxPerShard, keys.depth];
      for (const shard of shards) args.push(keys.lease(shard), keys.pending(shard), keys.inflightCount(shard), keys.oldInflight(shard));
      const transaction = scriptTransaction(redis);
      transaction.tsDrain(args);
      for (const shard of shards) transaction.lrange(keys.pending(shard), -maxPerShard, -1);
      const [handedOut, ...tails] = (await pipelineReplies(transaction)) as [[number, number?][], ...string[][]];
      return handedOut.map(([code, count = 0], i): DrainOutcome => {
        if (code === 0) return { kind: 'lease-lost' };
        // The tail as LRANGE gives it is newest first: the oldest `count`, oldest first.
        const tail = tails[i]!;
        return { kind: code === 2 ? 'recovered' : 'fresh', items: tail.slice(tail.length - count).reverse() };
      });
    },
    async ack(batches) {
      if (batches.length === 0) return [];
      const args: (string | number)[] = [ownerId, token, keys.depth];
      for (const { shard, count } of batches) args.push(keys.lease(shard), keys.pending(shard), keys.inflightCount(shard), keys.published(shard), count);
      return ((await redis.tsAck(args)) as number[]).map((reply) => reply === 1);
    },
    acquireLease: (shard) => lease(shard, 'acquire'),
    renewLease: (shard) => lease(shard, 'renew'),
    releaseLease: (shard) => lease(shard, 'release'),
    async heartbeat() {
      const now = Date.now();
      const [, , live] = ((await redis
        .multi()
        .zadd(keys.bridges, now, ownerId)
        .zremrangebyscore(keys.bridges, 0, now - leaseTtlInMs)
        .zcard(keys.bridges)
        .exec()) ?? []) as [unknown, unknown, [Error | null, number]];
      return live?.[1] ?? 1;
    },
    async leave() {
      await redis.zrem(keys.bridges, ownerId);
    },
  };
}
