import { redisKeys, type TaskStatus, type TaskView } from '@taskstream/contract';
import { scriptPipeline, type TaskstreamRedis } from './redis-client';
import type { StatusTransition, TaskStatusStore } from './types';

/** Tasks per status script: keeps each script short (Redis runs nothing else meanwhile). */
const APPLY_CHUNK = 1000;

export interface RedisStatusStoreOptions {
  redis: TaskstreamRedis;
  /** Key prefix. Default: `ts`. */
  prefix?: string;
  /** TTL given to statuses created here (third-party records). */
  statusTtlInSeconds: number;
}

function parseJsonField(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Status hash fields are short (`s`, `ty`, `a`…) because there is one hash per
 * task. A queued task counts as published once its place in its shard (`q` =
 * shard:position) is within the shard's published count.
 */
function toView(id: string, h: Record<string, string>, publishedInShard: number): TaskView {
  const position = Number(h.q?.split(':')[1] ?? Infinity);
  const status = h.s === 'queued' && position <= publishedInShard ? 'published' : (h.s as TaskStatus);
  const view: TaskView = {
    id,
    type: h.ty ?? '',
    key: h.k ?? id,
    status,
    attempts: Number(h.a ?? 0),
    createdAt: new Date(Number(h.c)).toISOString(),
    updatedAt: new Date(Number(h.u ?? h.c)).toISOString(),
  };
  if (h.r !== undefined) view.result = parseJsonField(h.r);
  if (h.e !== undefined) view.error = parseJsonField(h.e) as TaskView['error'];
  return view;
}

export function createRedisStatusStore(options: RedisStatusStoreOptions): TaskStatusStore {
  const prefix = options.prefix ?? 'ts';
  const keys = redisKeys(prefix);
  const { redis } = options;
  return {
    async get(id) {
      const hash = await redis.hgetall(keys.status(id));
      if (hash.s === undefined) return undefined;
      const shard = hash.s === 'queued' ? hash.q?.split(':')[0] : undefined;
      const published = shard === undefined ? 0 : Number((await redis.get(keys.published(shard))) ?? 0);
      return toView(id, hash, published);
    },
    async apply(transitions: StatusTransition[]) {
      if (transitions.length === 0) return [];
      // Chunks keep each script short (Redis runs nothing else meanwhile) and the argument list
      // passed as one array: spreading 100k arguments overflows the JavaScript stack.
      const pipeline = scriptPipeline(redis);
      for (let start = 0; start < transitions.length; start += APPLY_CHUNK) {
        const chunk = transitions.slice(start, start + APPLY_CHUNK);
        const args: (string | number)[] = [prefix, Date.now(), options.statusTtlInSeconds, chunk.length];
        for (const t of chunk) args.push(t.id, t.status, t.attempts, t.type, t.key, t.detail ?? '');
        pipeline.tsStatus(args);
      }
      return ((await pipeline.exec()) ?? []).flatMap(([err, flags]) => {
        if (err) throw err;
        return (flags as number[]).map((flag) => flag === 1);
      });
    },
    async finished(ids) {
      const pipeline = scriptPipeline(redis);
      for (let start = 0; start < ids.length; start += APPLY_CHUNK) pipeline.tsFinished([prefix, ...ids.slice(start, start + APPLY_CHUNK)]);
      return ((await pipeline.exec()) ?? []).flatMap(([err, flags]) => {
        if (err) throw err;
        return (flags as number[]).map((flag) => flag === 1);
      });
    },
  };
}
