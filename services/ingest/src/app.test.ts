import pino from 'pino';
import type { BufferedTask, TaskBuffer, TaskStatusStore } from '@taskstream/queue';
import { createMetricsRegistry } from '@taskstream/telemetry';
import { buildApp } from './app';
import { createIngestMetrics } from './metrics';

function appWith(buffer: Partial<TaskBuffer>, config: Partial<Parameters<typeof buildApp>[0]['config']> = {}) {
  const registry = createMetricsRegistry('test');
  const statusStore: Pick<TaskStatusStore, 'get'> = { get: async () => undefined };
  return buildApp({
    config: { maxBodyBytes: 10_000, maxBatchTasks: 100, retryAfterSeconds: 2, apiToken: '', ...config },
    buffer: { enqueue: async (t) => ({ accepted: true, fresh: t.map(() => true) }), ...buffer },
    statusStore,
    logger: pino({ level: 'silent' }),
    registry,
    metrics: createIngestMetrics(registry),
    isReady: () => true,
  });
}

describe('ingest HTTP', () => {
  it('when a valid task is posted, then it is enqueued with a fresh id and answered 202', async () => {
    const seen: BufferedTask[] = [];
    const app = appWith({ enqueue: async (t) => (seen.push(...t), { accepted: true, fresh: [true] }) });
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'echo', payload: { a: 1 }, key: 'k' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: seen[0]!.envelope.id, status: 'queued' });
    expect(seen[0]!.envelope).toMatchObject({ type: 'echo', key: 'k', payload: { a: 1 }, attempt: 1 });
  });

  it('when one task of a batch is invalid, then nothing is enqueued and the bad index is named', async () => {
    const enqueue = jest.fn();
    const app = appWith({ enqueue });
    const res = await app.inject({ method: 'POST', url: '/v1/tasks/batch', payload: { tasks: [{ type: 'ok', payload: 1 }, { type: 'BAD', payload: 1 }] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/tasks/1/type' }] });
    expect(enqueue).not.toHaveBeenCalled();
  });

  it('when the buffer is full, then 429 with Retry-After', async () => {
    const app = appWith({ enqueue: async () => ({ accepted: false, reason: 'buffer-full', depth: 5 }) });
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop', payload: null } });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json().error.code).toBe('BUFFER_FULL');
  });

  it('when Redis fails, then 503 REDIS_UNAVAILABLE with Retry-After', async () => {
    const app = appWith({ enqueue: async () => Promise.reject(new Error('Connection is closed.')) });
    const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop', payload: null } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json().error.code).toBe('REDIS_UNAVAILABLE');
  });

  it.each([
    ['a body over the limit', { payload: JSON.stringify({ type: 'noop', payload: 'x'.repeat(20_000) }), headers: { 'content-type': 'application/json' } }, 413, 'BODY_TOO_LARGE'],
    ['a non-JSON content type', { payload: 'hello', headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['broken JSON', { payload: '{"type":', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_JSON'],
  ])('when the request has %s, then %s %s', async (_name, request, status, code) => {
    const res = await appWith({}).inject({ method: 'POST', url: '/v1/tasks', ...request });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('when a token is configured and missing, then 401', async () => {
    const app = appWith({}, { apiToken: 's3cret' });
    expect((await app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop', payload: 1 } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { type: 'noop', payload: 1 }, headers: { authorization: 'Bearer s3cret' } });
    expect(ok.statusCode).toBe(202);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('when a task is unknown, then 404 in the error shape', async () => {
    const res = await appWith({}).inject({ method: 'GET', url: '/v1/tasks/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('when metrics are scraped, then request counts are there', async () => {
    const app = appWith({});
    await app.inject({ method: 'GET', url: '/healthz' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('taskstream_http_requests_total{route="/healthz",method="GET",status="200"');
  });
});
