import { redisKeys } from '@taskstream/contract';
import type { TaskstreamRedis } from './redis-client';

export interface ShardBacklog {
  /** Tasks waiting in the shard's pending list. */
  depth: number;
  /** `createdAt` (epoch ms) of the oldest waiting task; undefined when the list is empty. */
  oldestCreatedAt: number | undefined;
}

export interface BufferMonitor {
  /** Per shard, in one round trip: how many tasks wait and since when. */
  sample(): Promise<ShardBacklog[]>;
}

export interface RedisBufferMonitorOptions {
  redis: TaskstreamRedis;
  /** Key prefix. Default: `ts`. */
  prefix?: string;
  shardCount: number;
}

/**
 * Reads the backlog of the buffer for metrics (lua/backlog.lua): per list its
 * length and the age of its oldest task, in one call whose cost does not grow
 * with the depth or the payload size.
 */
export function createRedisBufferMonitor(options: RedisBufferMonitorOptions): BufferMonitor {
  const keys = redisKeys(options.prefix ?? 'ts');
  const lists = Array.from({ length: options.shardCount }, (_, shard) => keys.pending(shard));
  return {
    async sample() {
      const reply = (await options.redis.tsBacklog(...lists)) as [number, number][];
      return reply.map(([depth, created]) => ({ depth, oldestCreatedAt: created >= 0 ? created : undefined }));
    },
  };
}
