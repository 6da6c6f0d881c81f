import { decodeBufferedItem, shardOf } from '@taskstream/contract';
import {
  bufferedItems, closedPort, dropMatching, metricValue, pipelineEnv, postJson, startService, taskStatuses, testRedis, uniqueName,
  type RunningService,
} from '../helpers';

// Ingest alone against the real Redis: no bridge runs, so whatever ingest accepts stays in the buffer.
const suite = uniqueName('ingest');
const prefix = `${suite}-main`;
const fullPrefix = `${suite}-full`;
const redis = testRedis();
let ingest: RunningService;
let full: RunningService;
let noRedis: RunningService;

beforeAll(async () => {
  const deadRedis = `redis://127.0.0.1:${await closedPort()}`;
  [ingest, full, noRedis] = await Promise.all([
    startService('ingest', pipelineEnv(prefix, { INGEST_MAX_BODY_BYTES: '65536' })),
    startService('ingest', pipelineEnv(fullPrefix, { INGEST_MAX_BUFFERED_TASKS: '5' })),
    startService('ingest', pipelineEnv(`${suite}-noredis`, { REDIS_URL: deadRedis })),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([ingest, full, noRedis].map((s) => s?.stop()));
  await dropMatching(redis, `${suite}-*`);
  redis.disconnect();
}, 60_000);

async function send(service: RunningService, path: string, body: string, contentType = 'application/json') {
  const res = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

describe('ingest accepting tasks into Redis', () => {
  it('when one task is posted, then it is in its shard list and its stored status says queued', async () => {
    const res = await postJson(`${ingest.url}/v1/tasks`, { type: 'email.send', payload: { to: 'a@b.c' }, key: 'user-42' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' });
    const { id } = res.body as { id: string };

    const raw = await redis.lrange(`${prefix}:q:${shardOf('user-42', 16)}`, 0, -1);
    const item = (await bufferedItems(redis, prefix)).find((i) => i.id === id);
    expect(raw.length).toBeGreaterThan(0);
    expect(item).toMatchObject({ id, type: 'email.send', key: 'user-42' });
    expect(JSON.parse(item!.value)).toEqual({ id, type: 'email.send', key: 'user-42', payload: { to: 'a@b.c' }, createdAt: expect.any(Number), attempt: 1 });
    expect(await taskStatuses(redis, prefix, [id])).toEqual(['queued']);
    expect(await fetch(`${ingest.url}/v1/tasks/${id}`).then((r) => r.json())).toMatchObject({ id, type: 'email.send', key: 'user-42' });
  });

  it('when a batch is posted, then every task is buffered under its id and queued', async () => {
    const tasks = Array.from({ length: 20 }, (_, i) => ({ type: 'noop', payload: { i }, key: `k-${i % 3}`, maxAttempts: 2 }));
    const res = await postJson(`${ingest.url}/v1/tasks/batch`, { tasks });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 20, duplicates: 0 });
    const ids = res.body.ids as string[];
    expect(new Set(ids).size).toBe(20);

    const byId = new Map((await bufferedItems(redis, prefix)).map((item) => [item.id, item]));
    ids.forEach((id, i) => {
      const item = byId.get(id);
      expect(item?.key).toBe(`k-${i % 3}`);
      expect(JSON.parse(item!.value)).toMatchObject({ id, payload: { i }, maxAttempts: 2 });
    });
    // Same key, same list: each key's tasks sit in one shard list in acceptance order (LPUSH: newest first).
    const k0Ids = ids.filter((_, i) => i % 3 === 0);
    const k0List = (await redis.lrange(`${prefix}:q:${shardOf('k-0', 16)}`, 0, -1)).map((raw) => decodeBufferedItem(raw).id);
    expect(k0List.filter((id) => k0Ids.includes(id)).reverse()).toEqual(k0Ids);
    expect(await taskStatuses(redis, prefix, ids)).toEqual(ids.map(() => 'queued'));
  });

  it('when a task is looked up, then GET answers the contract shape, and 404 for an unknown id', async () => {
    const { body } = await postJson(`${ingest.url}/v1/tasks`, { type: 'echo', payload: 1 });
    const res = await fetch(`${ingest.url}/v1/tasks/${body.id}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as Record<string, unknown>;
    expect(view).toEqual({ id: body.id, type: 'echo', key: body.id, status: 'queued', attempts: 0, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(new Date(view.createdAt as string).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const missing = await fetch(`${ingest.url}/v1/tasks/${uniqueName('nope')}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('NOT_FOUND');
  });

  it('when the same client id is sent twice, then it is enqueued once and the repeat says duplicate', async () => {
    const id = uniqueName('client-id');
    const first = await postJson(`${ingest.url}/v1/tasks`, { id, type: 'noop', payload: 1 });
    const again = await postJson(`${ingest.url}/v1/tasks`, { id, type: 'noop', payload: 2 });
    expect(first.body).toEqual({ id, status: 'queued' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ id, status: 'queued', duplicate: true });

    const otherId = uniqueName('client-id');
    const batch = await postJson(`${ingest.url}/v1/tasks/batch`, { tasks: [{ id, type: 'noop', payload: 3 }, { id: otherId, type: 'noop', payload: 4 }, { id: otherId, type: 'noop', payload: 5 }] });
    expect(batch.status).toBe(202);
    expect(batch.body).toEqual({ accepted: 3, duplicates: 2, ids: [id, otherId, otherId] });

    const items = await bufferedItems(redis, prefix);
    expect(items.filter((i) => i.id === id).map((i) => JSON.parse(i.value).payload)).toEqual([1]);
    expect(items.filter((i) => i.id === otherId).map((i) => JSON.parse(i.value).payload)).toEqual([4]);
  });

  it('when many single requests arrive at once, then each gets its own answer and a repeated id is enqueued once', async () => {
    // 200 requests in flight: ingest reads many in one event-loop turn and sends them as one Redis call.
    const sharedId = uniqueName('concurrent');
    const bodies = Array.from({ length: 200 }, (_, i) => (i % 20 === 0 ? { id: sharedId, type: 'noop', payload: i } : { type: 'noop', key: `c-${i % 7}`, payload: i }));
    const calls = () => metricValue(ingest.url, 'taskstream_ingest_enqueue_call_tasks_count');
    const callsBefore = await calls();
    const answers = await Promise.all(bodies.map((body) => postJson(`${ingest.url}/v1/tasks`, body)));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(await calls() - callsBefore).toBeLessThan(200);
    const shared = answers.filter((a) => a.body.id === sharedId);
    expect(shared).toHaveLength(10);
    expect(shared.filter((a) => a.body.duplicate !== true)).toHaveLength(1);

    const others = answers.filter((a) => a.body.id !== sharedId).map((a) => a.body.id as string);
    expect(new Set(others).size).toBe(190);
    const items = await bufferedItems(redis, prefix);
    expect(items.filter((i) => i.id === sharedId)).toHaveLength(1);
    const buffered = new Map(items.map((i) => [i.id, JSON.parse(i.value).payload]));
    // Each request's answer names the task its own body became.
    answers.forEach((a, i) => a.body.id !== sharedId && expect(buffered.get(a.body.id)).toBe(i));
  });

  it('when a batch has bad tasks, then 400 names each bad index and nothing of it is enqueued', async () => {
    const ids = [uniqueName('good'), uniqueName('good')];
    const tasks = [{ id: ids[0], type: 'noop', payload: 1 }, { type: 'Not Valid!', payload: 1 }, { id: ids[1], type: 'noop', payload: 1 }, { type: 'noop' }, { type: 'noop', payload: 1, paylod: 2 }];
    const before = (await bufferedItems(redis, prefix)).length;
    const res = await postJson(`${ingest.url}/v1/tasks/batch`, { tasks });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('indexes 1, 3, 4');
    expect(res.body.error.details.map((p: { path: string }) => p.path)).toEqual(['/tasks/1/type', '/tasks/3/payload', '/tasks/4/paylod']);
    expect((await bufferedItems(redis, prefix)).length).toBe(before);
    expect(await taskStatuses(redis, prefix, ids)).toEqual([undefined, undefined]);
  });

  it('when the body is over INGEST_MAX_BODY_BYTES or not JSON, then 413 and 415 in the error shape', async () => {
    const big = await send(ingest, '/v1/tasks', JSON.stringify({ type: 'noop', payload: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('BODY_TOO_LARGE');
    const text = await send(ingest, '/v1/tasks', 'type=noop', 'text/plain');
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const broken = await send(ingest, '/v1/tasks/batch', '{"tasks": [');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_JSON');
  });

  it('when tasks are accepted, then /metrics counts them in taskstream_tasks_accepted_total', async () => {
    const before = await metricValue(ingest.url, 'taskstream_tasks_accepted_total');
    await postJson(`${ingest.url}/v1/tasks/batch`, { tasks: [{ type: 'noop', payload: 1 }, { type: 'noop', payload: 2 }] });
    expect(await metricValue(ingest.url, 'taskstream_tasks_accepted_total')).toBe(before + 2);
  });
});

describe('ingest under backpressure and failure', () => {
  it('when INGEST_MAX_BUFFERED_TASKS is reached, then 429 with Retry-After and the refused batch is not enqueued', async () => {
    const batch = (n: number) => ({ tasks: Array.from({ length: n }, (_, i) => ({ type: 'noop', payload: i })) });
    expect((await postJson(`${full.url}/v1/tasks/batch`, batch(3))).status).toBe(202);
    const refused = await postJson(`${full.url}/v1/tasks/batch`, batch(3));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error.code).toBe('BUFFER_FULL');
    expect((await bufferedItems(redis, fullPrefix)).length).toBe(3);

    expect((await postJson(`${full.url}/v1/tasks/batch`, batch(2))).status).toBe(202);
    const single = await postJson(`${full.url}/v1/tasks`, { type: 'noop', payload: 1 });
    expect(single.status).toBe(429);
    expect(single.headers.get('retry-after')).toBe('1');
    expect((await bufferedItems(redis, fullPrefix)).length).toBe(5);
  });

  it('when Redis is unreachable, then 503 REDIS_UNAVAILABLE within a second, /readyz 503 and /healthz 200', async () => {
    const started = Date.now();
    const [post, batch, get] = await Promise.all([
      postJson(`${noRedis.url}/v1/tasks`, { type: 'noop', payload: 1 }),
      postJson(`${noRedis.url}/v1/tasks/batch`, { tasks: [{ type: 'noop', payload: 1 }] }),
      fetch(`${noRedis.url}/v1/tasks/some-id`, { signal: AbortSignal.timeout(5000) }),
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const res of [post, batch]) {
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('REDIS_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(get.status).toBe(503);
    expect((await fetch(`${noRedis.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${noRedis.url}/healthz`)).status).toBe(200);
  });

  it('when SIGTERM arrives, then ingest exits 0, also while its Redis is down', async () => {
    expect((await fetch(`${ingest.url}/readyz`)).status).toBe(200);
    expect(await ingest.stop()).toBe(0);
    expect(await noRedis.stop()).toBe(0);
  }, 40_000);
});
