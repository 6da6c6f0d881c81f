import { decodeBufferedItem, type BufferedItem, type TaskEnvelope } from '@taskstream/contract';
import { createRedis, createRedisStatusStore, type TaskStatusStore, type TaskstreamRedis } from '@taskstream/queue';
import type { IHeaders } from 'kafkajs';
import Redis from 'ioredis';
import { REDIS_URL } from './env';

export interface TaskSpec {
  type: string;
  payload: unknown;
  key?: string;
  id?: string;
  maxAttempts?: number;
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** Sends tasks in HTTP batches, `parallel` requests at a time; returns the ids in acceptance order per batch. */
export async function sendBatches(ingestUrl: string, tasks: TaskSpec[], batchSize = 1000, parallel = 1): Promise<string[]> {
  const ids: string[] = new Array(tasks.length);
  const starts: number[] = [];
  for (let i = 0; i < tasks.length; i += batchSize) starts.push(i);
  let next = 0;
  const worker = async () => {
    while (next < starts.length) {
      const start = starts[next++]!;
      const res = await postJson(`${ingestUrl}/v1/tasks/batch`, { tasks: tasks.slice(start, start + batchSize) });
      if (res.status !== 202) throw new Error(`batch at ${start} answered ${res.status}: ${JSON.stringify(res.body)}`);
      (res.body.ids as string[]).forEach((id, j) => (ids[start + j] = id));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

/** Stored statuses of many tasks straight from Redis, pipelined (HTTP would take minutes for 100k); undefined when none. */
export function taskStatuses(redis: TaskstreamRedis, prefix: string, ids: string[]): Promise<(string | undefined)[]> {
  return createRedisStatusStore({ redis, prefix, statusTtlInSeconds: 3600 }).statuses(ids);
}

/** How many of these tasks have each stored status (`missing`: none). */
export async function statusCounts(redis: TaskstreamRedis, prefix: string, ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const status of await taskStatuses(redis, prefix, ids)) counts[status ?? 'missing'] = (counts[status ?? 'missing'] ?? 0) + 1;
  return counts;
}

/** Statuses as GET /v1/tasks/{id} reports them: read through the status store, which also derives "published". */
export async function viewCounts(store: TaskStatusStore, ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < ids.length; i += 500) {
    for (const view of await Promise.all(ids.slice(i, i + 500).map((id) => store.get(id)))) {
      const key = view?.status ?? 'missing';
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

/** A client for arranging and reading keys directly; it knows our scripts, so status helpers take it too. */
export function testRedis(): TaskstreamRedis {
  return createRedis({ url: REDIS_URL, connectionName: 'taskstream-test' });
}

/** Deletes every key of a test's prefix. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  await dropMatching(redis, `${prefix}:*`);
}

/**
 * Deletes every key matching a glob, e.g. `<suite>-*` for all the per-test prefixes
 * of a suite at once: each scan walks the whole keyspace, so one beats many.
 */
export async function dropMatching(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** Every item waiting in a prefix's buffer lists (`<prefix>:q:<shard>`), decoded. */
export async function bufferedItems(redis: Redis, prefix: string, shardCount = 16): Promise<BufferedItem[]> {
  const pipeline = redis.pipeline();
  for (let shard = 0; shard < shardCount; shard++) pipeline.lrange(`${prefix}:q:${shard}`, 0, -1);
  return ((await pipeline.exec()) ?? []).flatMap(([, items]) => (items as string[]).map(decodeBufferedItem));
}

/** A task envelope as the bridge would publish it; `attempt` 1, `key` defaults to the id. */
export function envelopeOf(spec: TaskSpec & { id: string }): TaskEnvelope {
  const { maxAttempts, ...rest } = spec;
  return { ...rest, key: spec.key ?? spec.id, createdAt: Date.now(), attempt: 1, ...(maxAttempts === undefined ? {} : { maxAttempts }) };
}

/** The Kafka record of an envelope, with the contract's headers, for the `produce` helper. */
export function envelopeRecord(envelope: TaskEnvelope, headers: IHeaders = {}): { key: string; value: string; headers: IHeaders } {
  return { key: envelope.key, value: JSON.stringify(envelope), headers: { 'task-id': envelope.id, 'task-type': envelope.type, ...headers } };
}
