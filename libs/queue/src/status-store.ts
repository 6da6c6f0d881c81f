import { redisKeys } from '@taskstream/contract';
import { scriptPipeline, type TaskstreamRedis } from './redis-client';
import { createStatusLocator, type StatusLocation } from './status-location';
import { parseStoredStatus, queuedShardOf, statusView, transitionStatus, type StoredTransition } from './status-value';
import type { TaskStatusStore } from './types';

/** Tasks per status script: keeps each script short (Redis runs nothing else meanwhile). */
const APPLY_CHUNK = 1000;

/** The per-task flags of a pipeline of status scripts, in order (1 = true). */
function flagsOf(replies: [Error | null, unknown][] | null): boolean[] {
  return (replies ?? []).flatMap(([err, flags]) => {
    if (err) throw err;
    return (flags as number[]).map((flag) => flag === 1);
  });
}

export interface RedisStatusStoreOptions {
  redis: TaskstreamRedis;
  /** Key prefix. Default: `ts`. */
  prefix?: string;
  /** A status is kept at least this long after its last write. */
  statusTtlInSeconds: number;
}

export function createRedisStatusStore(options: RedisStatusStoreOptions): TaskStatusStore {
  const prefix = options.prefix ?? 'ts';
  const keys = redisKeys(prefix);
  const { redis, statusTtlInSeconds } = options;
  const locator = createStatusLocator(prefix, statusTtlInSeconds);

  const read = (pipeline: ReturnType<typeof redis.pipeline>, { key, field }: StatusLocation) => (field === '' ? pipeline.get(key) : pipeline.hget(key, field));

  /** Whole statuses, written over what is there unless the task finished and this is no replay (see status.lua); per task true when written. */
  async function write(transitions: StoredTransition[], replay: boolean): Promise<boolean[]> {
    if (transitions.length === 0) return [];
    // Chunks keep each script short (Redis runs nothing else meanwhile) and the argument list
    // passed as one array: spreading 100k arguments overflows the JavaScript stack.
    const pipeline = scriptPipeline(redis);
    const now = Date.now();
    for (let start = 0; start < transitions.length; start += APPLY_CHUNK) {
      const chunk = transitions.slice(start, start + APPLY_CHUNK);
      const args: (string | number)[] = [statusTtlInSeconds, replay ? 1 : 0, chunk.length];
      const locations: StatusLocation[] = [];
      for (const t of chunk) {
        const location = locator.locate(t.id);
        locations.push(location);
        args.push(location.key, location.field, transitionStatus(t, now));
      }
      args.push(...locator.bucketExpiries(locations, now));
      pipeline.tsStatus(args);
    }
    return flagsOf(await pipeline.exec());
  }

  return {
    async get(id) {
      const location = locator.locate(id);
      const raw = location.field === '' ? await redis.get(location.key) : await redis.hget(location.key, location.field);
      if (raw === null) return undefined;
      const stored = parseStoredStatus(raw);
      const shard = queuedShardOf(stored);
      const published = shard === undefined ? 0 : Number((await redis.get(keys.published(shard))) ?? 0);
      return statusView(id, stored, published);
    },
    apply: (transitions) => write(transitions, false),
    async finished(ids) {
      const pipeline = scriptPipeline(redis);
      for (let start = 0; start < ids.length; start += APPLY_CHUNK) {
        const args: string[] = [];
        for (const id of ids.slice(start, start + APPLY_CHUNK)) {
          const { key, field } = locator.locate(id);
          args.push(key, field);
        }
        pipeline.tsFinished(args);
      }
      return flagsOf(await pipeline.exec());
    },
    async statuses(ids) {
      const pipeline = redis.pipeline();
      for (const id of ids) read(pipeline, locator.locate(id));
      return ((await pipeline.exec()) ?? []).map(([err, raw]) => {
        if (err) throw err;
        return raw === null ? undefined : parseStoredStatus(raw as string).s;
      });
    },
    async reopen(tasks) {
      await write(tasks.map((t) => ({ ...t, status: 'published', attempts: 0 })), true);
    },
  };
}
