import { join } from 'node:path';
import {
  createTaskTopics, deleteTaskTopics, dropPrefix, pipelineEnv, sendBatches, startService, statusCounts, testRedis, uniqueName, waitFor,
  type RunningService, type TaskSpec,
} from '../helpers';

const TASKS = 100_000;
const KEYS = 1_000;
const topic = uniqueName('e2e');
const redis = testRedis();
const services: RunningService[] = [];

beforeAll(async () => {
  await createTaskTopics(topic, 12);
  const env = pipelineEnv(topic, { CONSUMER_HANDLERS_MODULE: join(__dirname, '..', 'fixtures', 'order-handlers.js') });
  services.push(...(await Promise.all([startService('ingest', env), startService('bridge', env), startService('consumer', env)])));
}, 60_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await dropPrefix(redis, topic);
  redis.disconnect();
  await deleteTaskTopics(topic);
}, 60_000);

describe('the whole pipeline over HTTP', () => {
  it(`when ${TASKS} tasks are sent in HTTP batches, then every one succeeds and each key runs in acceptance order`, async () => {
    const tasks: TaskSpec[] = Array.from({ length: TASKS }, (_, i) => ({ type: 'record', key: `user-${i % KEYS}`, payload: { seq: i } }));
    const started = Date.now();
    // One request at a time: with parallel requests, acceptance order would differ from seq order.
    const ids = await sendBatches(services[0]!.url, tasks, 1000, 1);
    const accepted = Date.now();
    expect(new Set(ids).size).toBe(TASKS);

    await waitFor('all tasks to run', async () => Number(await redis.get(`${topic}:runs`)) >= TASKS, 240_000, 500);
    await waitFor('all statuses to be succeeded', async () => (await statusCounts(redis, topic, ids)).succeeded === TASKS, 30_000, 500);
    const done = Date.now();
    console.log(`e2e: ${TASKS} tasks accepted in ${accepted - started} ms, all succeeded after ${done - started} ms (${Math.round(TASKS / ((done - started) / 1000))} tasks/s)`);

    expect(Number(await redis.get(`${topic}:runs`))).toBe(TASKS);
    const pipeline = redis.pipeline();
    for (let k = 0; k < KEYS; k++) pipeline.lrange(`${topic}:order:user-${k}`, 0, -1);
    const lists = ((await pipeline.exec()) ?? []).map(([, list]) => (list as string[]).map(Number));
    lists.forEach((seqs, k) => {
      // Tasks of one key were accepted with increasing seq, so they must have run in increasing seq.
      expect(seqs).toEqual(Array.from({ length: TASKS / KEYS }, (_, j) => k + j * KEYS));
    });
  }, 300_000);

  it('when a task is echoed, then its status goes to succeeded with the payload as result', async () => {
    const res = await fetch(`${services[0]!.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'echo', payload: { hello: 'world' } }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const final = await waitFor('echo to succeed', async () => {
      const view = (await (await fetch(`${services[0]!.url}/v1/tasks/${id}`)).json()) as { status: string; result?: unknown };
      return view.status === 'succeeded' && view;
    }, 30_000, 5);
    expect(final).toMatchObject({ id, type: 'echo', key: id, status: 'succeeded', attempts: 1, result: { hello: 'world' } });
  }, 60_000);

  it('when a task takes a while, then its status moves forward through processing to succeeded, never back', async () => {
    const order = ['queued', 'published', 'processing', 'succeeded'];
    const res = await fetch(`${services[0]!.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'sleep', payload: { ms: 1500 } }) });
    const { id } = (await res.json()) as { id: string };
    const seen: string[] = [];
    await waitFor('sleep to succeed', async () => {
      const { status } = (await (await fetch(`${services[0]!.url}/v1/tasks/${id}`)).json()) as { status: string };
      if (seen[seen.length - 1] !== status) seen.push(status);
      return status === 'succeeded';
    }, 30_000, 20);
    expect(seen).toContain('processing');
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort((a, b) => a - b));
  }, 60_000);
});
