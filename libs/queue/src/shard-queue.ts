import { redisKeys } from '@taskstream/contract';
import { pipelineReplies, scriptPipeline, type TaskstreamRedis } from './redis-client';
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

  return {
    async drain(shards, maxPerShard) {
      const pipeline = scriptPipeline(redis);
      for (const shard of shards) {
        pipeline.tsDrain(keys.lease(shard), keys.pending(shard), keys.inflight(shard), keys.depth, ownerId, maxPerShard);
      }
      return (await pipelineReplies(pipeline)).map((reply): DrainOutcome => {
        const [code, items] = reply as [number, string[] | undefined];
        if (code === 0) return { kind: 'lease-lost' };
        return { kind: code === 2 ? 'recovered' : 'fresh', items: items ?? [] };
      });
    },
    // One pipelined write for all the cycle's lists, like the drain: not one round trip per list.
    async ack(batches) {
      const pipeline = scriptPipeline(redis);
      for (const { shard, count } of batches) pipeline.tsAck(keys.lease(shard), keys.inflight(shard), keys.published(shard), ownerId, count);
      return (await pipelineReplies(pipeline)).map((reply) => reply === 1);
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
