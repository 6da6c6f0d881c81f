import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { consumerSuite, envelopeOf, envelopeRecord, headerOf, KAFKA_BROKERS, produce, readTopic, REDIS_URL, viewCounts, waitFor, type TaskSpec } from '../helpers';

// Issue 3's bar: 20,000 tasks, 10% fail twice then succeed, 1% always fail. Each ends exactly as
// expected, the dead ones are in the dead-letter topic with the right headers, and replay brings them back.
const TASKS = 20_000;
const { topic, redis, store } = consumerSuite('retries', {
  partitions: 6,
  env: {
    CONSUMER_HANDLERS_MODULE: join(__dirname, '..', 'fixtures', 'order-handlers.js'),
    CONSUMER_RETRY_INITIAL_DELAY_MS: '5',
    CONSUMER_RETRY_MAX_DELAY_MS: '20',
    CONSUMER_MAX_ATTEMPTS: '3',
  },
});

const kindOf = (i: number) => (i % 100 === 0 ? 'always' : i % 10 === 1 ? 'twice' : 'ok');
const specs: (TaskSpec & { id: string })[] = Array.from({ length: TASKS }, (_, i) => {
  const id = `task-${i}`;
  if (kindOf(i) === 'always') return { id, type: 'switch', key: id, payload: null };
  if (kindOf(i) === 'twice') return { id, type: 'fail', key: id, payload: { times: 2 } };
  return { id, type: 'noop', key: id, payload: null };
});
const idsOf = (kind: string) => specs.filter((_, i) => kindOf(i) === kind).map((s) => s.id);

describe('retries, dead letters and replay', () => {
  it(`when ${TASKS} tasks include 10% that fail twice and 1% that always fail, then each ends as expected and the dead are dead-lettered, and replay brings them back`, async () => {
    await produce(topic, specs.map((spec) => envelopeRecord(envelopeOf(spec))));
    const dead = idsOf('always');
    await waitFor('every task to finish', async () => {
      const counts = await viewCounts(store, specs.map((s) => s.id));
      return (counts.succeeded ?? 0) + (counts.dead ?? 0) === TASKS;
    }, 180_000, 1000);

    expect(await viewCounts(store, idsOf('ok'))).toEqual({ succeeded: idsOf('ok').length });
    expect(await viewCounts(store, idsOf('twice'))).toEqual({ succeeded: idsOf('twice').length });
    expect(await viewCounts(store, dead)).toEqual({ dead: dead.length });
    expect(await store.get(idsOf('twice')[0]!)).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(await store.get(dead[0]!)).toMatchObject({ status: 'dead', attempts: 3, error: { code: 'HANDLER_FAILED', message: 'switch is off' } });

    const letters = await readTopic(`${topic}.dlq`, dead.length, 30_000);
    expect(letters.map((m) => headerOf(m, 'task-id')).sort()).toEqual([...dead].sort());
    for (const m of letters) {
      expect(headerOf(m, 'error-code')).toBe('HANDLER_FAILED');
      expect(headerOf(m, 'error-message')).toBe('switch is off');
      expect(headerOf(m, 'attempts')).toBe('3');
      expect(headerOf(m, 'origin-topic')).toBe(topic);
      expect(Number(headerOf(m, 'origin-offset'))).toBeGreaterThanOrEqual(0);
      expect(JSON.parse(m.value!.toString()).id).toBe(headerOf(m, 'task-id'));
    }

    await redis.set(`${topic}:switch`, 'on');
    const cli = join(__dirname, '..', '..', 'libs', 'cli', 'dist', 'main.js');
    const cliEnv = { ...process.env, TASKS_TOPIC: topic, TASKSTREAM_PREFIX: topic, REDIS_URL, KAFKA_BROKERS: KAFKA_BROKERS.join(',') };
    const dry = await promisify(execFile)(process.execPath, [cli, 'dlq', 'replay', '--all', '--dry-run'], { env: cliEnv });
    expect(dry.stdout).toContain(`${dead.length} of ${dead.length} selected dead letters would be replayed`);
    expect(await viewCounts(store, dead)).toEqual({ dead: dead.length });
    await promisify(execFile)(process.execPath, [cli, 'dlq', 'replay', '--error-code', 'HANDLER_FAILED'], { env: cliEnv });
    await waitFor('replayed tasks to succeed', async () => (await viewCounts(store, dead)).succeeded === dead.length, 60_000, 500);
    expect(await store.get(dead[0]!)).toMatchObject({ status: 'succeeded', attempts: 1, result: { ranOn: 'switch' } });
  }, 300_000);
});
