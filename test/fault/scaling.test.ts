import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createTaskTopics, deleteTaskTopics, dropPrefix, pipelineEnv, sendBatches, startService, statusCounts, terminateLikeKubernetes, testRedis, uniqueName,
  waitFor, watchProgress, type RunningService, type TaskSpec,
} from '../helpers';

// Replicas come and go while tasks flow, the way kubectl scale, rollouts and crashes do it.
const redis = testRedis();
const cleanups: (() => Promise<void>)[] = [];

async function pipeline(name: string, partitions: number) {
  const topic = uniqueName(name);
  await createTaskTopics(topic, partitions);
  const env = pipelineEnv(topic, {
    CONSUMER_HANDLERS_MODULE: join(__dirname, '..', 'fixtures', 'order-handlers.js'),
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    CONSUMER_DRAIN_TIMEOUT_MS: '10000',
    BRIDGE_LEASE_TTL_MS: '2000',
  });
  const running = new Set<RunningService>();
  const start = async (service: RunningService['name']) => {
    const s = await startService(service, env);
    running.add(s);
    return s;
  };
  cleanups.push(async () => {
    await Promise.all([...running].map((s) => s.stop()));
    await dropPrefix(redis, topic);
    await deleteTaskTopics(topic);
  });
  return { topic, running, start };
}

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  redis.disconnect();
}, 120_000);

const tasksFor = (count: number, keys: number): TaskSpec[] => Array.from({ length: count }, (_, i) => ({ type: 'record', key: `k-${i % keys}`, payload: { seq: i } }));

describe('scaling while tasks flow', () => {
  it('when consumers go 1 → 4 → 1 by SIGTERM and one is killed -9 while 200,000 tasks flow, then none is lost and duplicates stay bounded', async () => {
    const TASKS = 200_000;
    const { topic, start, running } = await pipeline('scale-consumers', 12);
    const ingest = await start('ingest');
    await start('bridge');
    const first = await start('consumer');
    const progress = watchProgress(redis, `${topic}:runs`, TASKS);
    const sending = sendBatches(ingest.url, tasksFor(TASKS, 2000), 1000, 2);
    const runs = async () => Number(await redis.get(`${topic}:runs`));

    await waitFor('10% done', async () => (await runs()) > TASKS * 0.1, 120_000, 50);
    const added = await Promise.all([start('consumer'), start('consumer'), start('consumer')]);
    await waitFor('40% done', async () => (await runs()) > TASKS * 0.4, 180_000, 50);
    await added[0]!.kill();
    running.delete(added[0]!);
    await waitFor('60% done', async () => (await runs()) > TASKS * 0.6, 180_000, 50);
    for (const consumer of [added[1]!, added[2]!]) {
      expect(await consumer.stop()).toBe(0);
      running.delete(consumer);
    }
    const ids = await sending;
    await waitFor('every task to succeed', async () => (await statusCounts(redis, topic, ids)).succeeded === TASKS, 240_000, 1000);
    const { longestStallInMs } = await progress.stop();
    const duplicates = (await runs()) - TASKS;
    console.log(`scaling 1→4→1 + kill -9: ${TASKS} succeeded, 0 lost, ${duplicates} duplicate runs, longest pause in progress ${longestStallInMs} ms`);
    expect(await statusCounts(redis, topic, ids)).toEqual({ succeeded: TASKS });
    expect(first.proc.exitCode).toBeNull();
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThan(20_000);
  }, 600_000);

  it('when consumer and bridge replicas go 1 → 6 → 2 the way kubectl scale does (preStop, SIGTERM, SIGKILL after the grace period), then none is lost', async () => {
    const TASKS = 100_000;
    const { topic, start, running } = await pipeline('scale-pods', 12);
    const ingest = await start('ingest');
    const bridges = [await start('bridge')];
    const consumers = [await start('consumer')];
    const sending = sendBatches(ingest.url, tasksFor(TASKS, 1000), 1000, 2);
    const runs = async () => Number(await redis.get(`${topic}:runs`));

    await waitFor('10% done', async () => (await runs()) > TASKS * 0.1, 120_000, 50);
    bridges.push(...(await Promise.all(Array.from({ length: 5 }, () => start('bridge')))));
    consumers.push(...(await Promise.all(Array.from({ length: 5 }, () => start('consumer')))));
    await waitFor('50% done', async () => (await runs()) > TASKS * 0.5, 180_000, 50);
    // Scale down to 2 of each: the newest pods go first, each with preStop then SIGTERM (grace 15 s).
    const leaving = [...bridges.splice(2), ...consumers.splice(2)];
    const endings = await Promise.all(leaving.map((s) => terminateLikeKubernetes(s, { preStopInMs: 1000, graceInMs: 15_000 })));
    leaving.forEach((s) => running.delete(s));
    const ids = await sending;
    await waitFor('every task to succeed', async () => (await statusCounts(redis, topic, ids)).succeeded === TASKS, 240_000, 1000);
    await sleep(500);
    const duplicates = (await runs()) - TASKS;
    console.log(`scaling 1→6→2 pods: ${TASKS} succeeded, 0 lost, ${duplicates} duplicate runs, endings ${JSON.stringify(endings)}`);
    expect(await statusCounts(redis, topic, ids)).toEqual({ succeeded: TASKS });
    expect(endings.every((e) => e === 'graceful')).toBe(true);
    expect(duplicates).toBeLessThan(10_000);
  }, 600_000);
});
