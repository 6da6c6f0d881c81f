import { encodeBufferedItem, shardOf } from '@taskstream/contract';
import type { TaskstreamRedis } from './redis-client';
import { createStatusLocator, type StatusLocation } from './status-location';
import { queuedStatusHead } from './status-value';
import type { BufferedTask, EnqueueResult, TaskBuffer } from './types';

export interface RedisTaskBufferOptions {
  redis: TaskstreamRedis;
  /** Key prefix. Default: `ts`. */
  prefix?: string;
  /** Number of Redis lists tasks are spread over by key. */
  shardCount: number;
  /** Buffered tasks above which a batch is refused (429). */
  maxBufferedTasks: number;
  /** How long a status (and so an idempotent id) is remembered, at least. */
  statusTtlInSeconds: number;
}

/** Ingest's buffer: one Lua call per batch does the cap check, idempotency, status and push. */
export function createRedisTaskBuffer(options: RedisTaskBufferOptions): TaskBuffer {
  const prefix = options.prefix ?? 'ts';
  const { redis, shardCount } = options;
  const locator = createStatusLocator(prefix, options.statusTtlInSeconds);
  return {
    async enqueue(tasks: BufferedTask[]): Promise<EnqueueResult> {
      const args: (string | number)[] = [prefix, options.maxBufferedTasks, options.statusTtlInSeconds, tasks.length];
      const locations: StatusLocation[] = [];
      for (const { envelope, trace, clientId } of tasks) {
        const location = locator.locate(envelope.id);
        locations.push(location);
        // Only client-chosen ids can repeat; generated ones skip the existence check.
        args.push(location.key, location.field, shardOf(envelope.key, shardCount), queuedStatusHead(envelope), clientId ? 1 : 0, encodeBufferedItem(envelope, trace));
      }
      args.push(...locator.bucketExpiries(locations, Date.now()));
      // One array argument: a 10,000-task batch is 60,000 arguments, too many to spread.
      const reply = (await redis.tsEnqueue(args)) as number[];
      if (reply[0] === -1) return { accepted: false, reason: 'buffer-full', depth: reply[1] ?? 0 };
      return { accepted: true, fresh: reply.slice(1).map((flag) => flag === 1) };
    },
  };
}
