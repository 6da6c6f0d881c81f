import { join } from 'node:path';
import type { TaskView } from '@taskstream/contract';
import { createRedisStatusStore } from '@taskstream/queue';
import {
  committedRecordCount, envelopeOf, envelopeRecord, findRecord, headerOf, metricValue, pipelineEnv, produce, topicPerTestSuite, topicRecordCount,
  taskStatuses, uniqueName, waitFor, type RunningService, type TaskSpec,
} from '../helpers';

// The consumer against real Redis and Kafka; the test plays the bridge by producing envelopes itself.
const suite = topicPerTestSuite('consumer');
const { redis } = suite;
const consumerEnv = (topic: string) =>
  pipelineEnv(topic, {
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    CONSUMER_RETRY_INITIAL_DELAY_MS: '50',
    CONSUMER_RETRY_MAX_DELAY_MS: '200',
    CONSUMER_HANDLERS_MODULE: join(__dirname, '..', 'fixtures', 'order-handlers.js'),
  });
let topic: string;
let consumer: RunningService;

const newTopic = (): Promise<string> => suite.newTopic();

/** Starts a consumer and waits until it joined its group (/readyz 200). */
async function startConsumer(name: string, env: Record<string, string> = {}): Promise<RunningService> {
  const service = await suite.start('consumer', { ...consumerEnv(name), ...env });
  await waitFor('the consumer to join its group', async () => (await fetch(`${service.url}/readyz`)).status === 200, 30_000);
  return service;
}

async function send(name: string, ...specs: (TaskSpec & { id: string })[]): Promise<void> {
  await produce(name, specs.map((spec) => envelopeRecord(envelopeOf(spec))));
}

async function finalStatus(name: string, id: string, timeoutInMs = 30_000): Promise<TaskView> {
  const store = createRedisStatusStore({ redis, prefix: name, statusTtlInSeconds: 3600 });
  return waitFor(`task ${id} to finish`, async () => {
    const view = await store.get(id);
    return (view?.status === 'succeeded' || view?.status === 'dead') && view;
  }, timeoutInMs);
}

beforeAll(async () => {
  topic = await newTopic();
  consumer = await startConsumer(topic);
}, 60_000);

describe('consumer running tasks from Kafka', () => {
  it('when an echo task arrives, then its status is succeeded with the payload as result', async () => {
    const id = uniqueName('echo');
    await send(topic, { id, type: 'echo', payload: { hello: 'world' }, key: 'user-1' });
    expect(await finalStatus(topic, id)).toMatchObject({ id, type: 'echo', key: 'user-1', status: 'succeeded', attempts: 1, result: { hello: 'world' } });
  }, 40_000);

  it('when a task fails once, then it succeeds on attempt 2', async () => {
    const id = uniqueName('fail-once');
    await send(topic, { id, type: 'fail', payload: { times: 1 } });
    expect(await finalStatus(topic, id)).toMatchObject({ status: 'succeeded', attempts: 2, result: { succeededOnAttempt: 2 } });
  }, 40_000);

  it('when a task always fails, then it is dead after maxAttempts and dead-lettered with the original bytes and error headers', async () => {
    const id = uniqueName('fail-always');
    const record = envelopeRecord(envelopeOf({ id, type: 'fail', payload: {}, maxAttempts: 2 }));
    await produce(topic, [record]);
    expect(await finalStatus(topic, id)).toMatchObject({ status: 'dead', attempts: 2, error: { code: 'HANDLER_FAILED' } });

    const dead = await findRecord(`${topic}.dlq`, (m) => headerOf(m, 'task-id') === id);
    expect(dead.value!.toString()).toBe(record.value);
    expect(headerOf(dead, 'error-code')).toBe('HANDLER_FAILED');
    expect(headerOf(dead, 'error-message')).toContain('fails as asked');
    expect(headerOf(dead, 'attempts')).toBe('2');
    expect(headerOf(dead, 'origin-topic')).toBe(topic);
    expect(Number(headerOf(dead, 'origin-partition'))).toBeGreaterThanOrEqual(0);
    expect(Number(headerOf(dead, 'origin-offset'))).toBeGreaterThanOrEqual(0);
    expect(headerOf(dead, 'task-type')).toBe('fail');
  }, 60_000);

  it('when a task has an unknown type, then it is dead and dead-lettered as UNKNOWN_TASK_TYPE', async () => {
    const id = uniqueName('unknown');
    await send(topic, { id, type: 'no.such.type', payload: 1 });
    expect(await finalStatus(topic, id)).toMatchObject({ status: 'dead', attempts: 0, error: { code: 'UNKNOWN_TASK_TYPE' } });
    const dead = await findRecord(`${topic}.dlq`, (m) => headerOf(m, 'task-id') === id);
    expect(headerOf(dead, 'error-code')).toBe('UNKNOWN_TASK_TYPE');
  }, 60_000);

  it('when a task runs longer than the session timeout, then it completes once without a rebalance', async () => {
    const id = uniqueName('long');
    const rebalances = await metricValue(consumer.url, 'taskstream_consumer_rebalances_total');
    await send(topic, { id, type: 'sleep', payload: { ms: 9000 } });
    expect(await finalStatus(topic, id, 40_000)).toMatchObject({ status: 'succeeded', attempts: 1, result: { sleptMs: 9000 } });
    expect(await metricValue(consumer.url, 'taskstream_consumer_rebalances_total')).toBe(rebalances);
    expect(await metricValue(consumer.url, 'taskstream_consumer_tasks_total', { type: 'sleep' })).toBe(1);
    expect(await metricValue(consumer.url, 'taskstream_consumer_duplicates_total')).toBe(0);
  }, 60_000);

  it('when the same task id is delivered again, in the same batch or after it succeeded, then it runs once', async () => {
    const id = uniqueName('dup');
    const duplicates = await metricValue(consumer.url, 'taskstream_consumer_duplicates_total');
    await send(topic, { id, type: 'record', key: 'dup', payload: { seq: 1 } }, { id, type: 'record', key: 'dup', payload: { seq: 1 } });
    expect(await finalStatus(topic, id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    await send(topic, { id, type: 'record', key: 'dup', payload: { seq: 1 } });
    await waitFor('the redeliveries to be skipped', async () => (await metricValue(consumer.url, 'taskstream_consumer_duplicates_total')) === duplicates + 2, 20_000);
    expect(Number(await redis.get(`${topic}:runs`))).toBe(1);
  }, 40_000);
});

describe('consumer finished-checks', () => {
  it('when a copy marked as a first send is already in the log as a consumer joins, then it is still checked and skipped, while marked tasks written after the join run', async () => {
    const name = await newTopic();
    const first = await startConsumer(name);
    const id = uniqueName('marked');
    const record = () => envelopeRecord(envelopeOf({ id, type: 'record', key: 'marked', payload: { seq: 1 } }), { 'task-first-send': '1' });
    await produce(name, [record()]);
    expect(await finalStatus(name, id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await suite.stop(first)).toBe(0);

    // A copy the bridge wrongly marked while no consumer ran: the next member cannot know who had it.
    await produce(name, [record()]);
    const second = await startConsumer(name);
    await waitFor('the marked copy to be skipped', async () => (await metricValue(second.url, 'taskstream_consumer_duplicates_total')) === 1, 20_000);
    expect(Number(await redis.get(`${name}:runs`))).toBe(1);

    const later = uniqueName('marked-later');
    await produce(name, [envelopeRecord(envelopeOf({ id: later, type: 'record', key: 'marked', payload: { seq: 2 } }), { 'task-first-send': '1' })]);
    expect(await finalStatus(name, later)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(Number(await redis.get(`${name}:runs`))).toBe(2);
  }, 90_000);
});

describe('consumer offsets', () => {
  it('when the stream goes quiet, then the group has committed everything done within the commit interval, without a stop', async () => {
    const name = await newTopic();
    await startConsumer(name, { CONSUMER_COMMIT_INTERVAL_MS: '2000' });
    // Two waves, both done well within one interval of the group's join or of the first wave's
    // commit: only a commit that does not wait for another batch can cover the second.
    for (const wave of [1, 2]) {
      const ids = Array.from({ length: 10 }, (_, i) => uniqueName(`quiet-${wave}-${i}`));
      await send(name, ...ids.map((id, i) => ({ id, type: 'echo', key: `k-${i % 5}`, payload: i })));
      await waitFor(`wave ${wave} to succeed`, async () => (await taskStatuses(redis, name, ids)).every((s) => s === 'succeeded'), 20_000, 20);
    }
    const records = await topicRecordCount(name);
    // One interval, and a margin for a busy machine.
    await waitFor('every done record to be committed', async () => {
      return (await committedRecordCount(`${name}-group`, name)) === records;
    }, 6_000, 100);
  }, 60_000);
});

describe('consumer shutdown', () => {
  it('when SIGTERM arrives while tasks run, then it finishes them, commits and exits 0, and a fresh consumer does not run them again', async () => {
    const name = await newTopic();
    const first = await startConsumer(name);
    const ids = [1, 2, 3].map((i) => uniqueName(`slow-${i}`));
    await send(name, ...ids.map((id) => ({ id, type: 'sleep', payload: { ms: 3000 } })));
    await waitFor('the tasks to be processing', async () => {
      return (await taskStatuses(redis, name, ids)).every((s) => s === 'processing');
    }, 20_000, 50);

    expect(await suite.stop(first)).toBe(0);
    for (const id of ids) expect(await finalStatus(name, id, 1000)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await committedRecordCount(`${name}-group`, name)).toBe(await topicRecordCount(name));

    const fresh = await startConsumer(name);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await metricValue(fresh.url, 'taskstream_consumer_tasks_total')).toBe(0);
    expect(await metricValue(fresh.url, 'taskstream_consumer_duplicates_total')).toBe(0);
  }, 90_000);
});
