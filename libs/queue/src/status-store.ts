import { redisKeys } from '@taskstream/contract';
import { pipelineReplies, type TaskstreamRedis } from './redis-client';
import { createStatusLocator, type StatusLocation } from './status-location';
import { parseStoredStatus, queuedShardOf, statusView, transitionStatus, type StoredTransition } from './status-value';
import type { TaskStatusStore } from './types';

/** Tasks per status script: keeps each script short (Redis runs nothing else meanwhile). */
const APPLY_CHUNK = 1000;
/** Statuses read per pipeline when many are checked at once (the lost-task checks read a million). */
const READ_CHUNK = 10_000;

/** The per-task flags of status script calls, in order (1 = true). */
async function flagsOf(calls: Promise<unknown>[]): Promise<boolean[]> {
  return (await Promise.all(calls)).flatMap((flags) => (flags as number[]).map((flag) => flag === 1));
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

  /** The stored status JSON per id (null when none), a pipeline per READ_CHUNK ids. */
  async function rawStatuses(ids: string[]): Promise<(string | null)[]> {
    const raws: (string | null)[] = [];
    for (let start = 0; start < ids.length; start += READ_CHUNK) {
      const pipeline = redis.pipeline();
      for (const id of ids.slice(start, start + READ_CHUNK)) {
        const { key, field } = locator.locate(id);
        if (field === '') pipeline.get(key);
        else pipeline.hget(key, field);
      }
      for (const raw of await pipelineReplies(pipeline)) raws.push(raw as string | null);
    }
    return raws;
  }

  /** Whole statuses, written over what is there unless the task finished and this is no replay (see status.lua); per task true when written. */
  async function write(transitions: StoredTransition[], replay: boolean): Promise<boolean[]> {
    if (transitions.length === 0) return [];
    // Chunks keep each script short (Redis runs nothing else meanwhile) and the argument list
    // passed as one array: spreading 100k arguments overflows the JavaScript stack.
    const calls: Promise<unknown>[] = [];
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
      calls.push(redis.tsStatus(args));
    }
    return flagsOf(calls);
  }

  return {
    async get(id) {
      const [raw] = await rawStatuses([id]);
      if (!raw) return undefined;
      const stored = parseStoredStatus(raw);
      const shard = queuedShardOf(stored);
      const published = shard === undefined ? 0 : Number((await redis.get(keys.published(shard))) ?? 0);
      return statusView(id, stored, published);
    },
    apply: (transitions) => write(transitions, false),
    async finished(ids) {
      const calls: Promise<unknown>[] = [];
      for (let start = 0; start < ids.length; start += APPLY_CHUNK) {
        const args: string[] = [];
        for (const id of ids.slice(start, start + APPLY_CHUNK)) {
          const { key, field } = locator.locate(id);
          args.push(key, field);
        }
        calls.push(redis.tsFinished(args));
      }
      return flagsOf(calls);
    },
    async statuses(ids) {
      return (await rawStatuses(ids)).map((raw) => (raw ? parseStoredStatus(raw).s : undefined));
    },
    async reopen(tasks) {
      await write(tasks.map((t) => ({ ...t, status: 'published', attempts: 0 })), true);
    },
  };
}
