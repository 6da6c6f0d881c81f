import { join } from 'node:path';
import {
  createTaskTopics, deleteTaskTopics, dropMatching, envelopeOf, envelopeRecord, pipelineEnv, produce, startService, testRedis, uniqueName, waitFor,
  type RunningService,
} from '../helpers';

// Issue 3's bar: 50,000 tasks over 500 keys whose handlers take 0–20 ms. Per-key order must hold,
// and 8-way parallelism inside a partition must be at least 5× faster than one task at a time.
const TASKS = 50_000;
const KEYS = 500;
const suite = uniqueName('lanes');
const redis = testRedis();
const running = new Set<RunningService>();

const tasks = Array.from({ length: TASKS }, (_, i) => envelopeOf({ id: `t-${i}`, type: 'timed', key: `key-${i % KEYS}`, payload: { seq: i, ms: (i * 7) % 21 } }));

/** Produces the same 50,000 tasks into a fresh topic, runs one consumer over it and times it. */
async function timedRun(name: string, keyConcurrency: number): Promise<number> {
  await createTaskTopics(name, 12);
  await produce(name, tasks.map((task) => envelopeRecord(task)));
  const consumer = await startService('consumer', pipelineEnv(name, {
    CONSUMER_HANDLERS_MODULE: join(__dirname, '..', 'fixtures', 'order-handlers.js'),
    CONSUMER_KEY_CONCURRENCY: String(keyConcurrency),
    CONSUMER_PARTITIONS_CONCURRENTLY: '12',
  }));
  running.add(consumer);
  // Timed from the first finished task, so process start and the group join are not part of it.
  await waitFor('the first task to run', async () => Number(await redis.get(`${name}:runs`)) > 0, 60_000, 20);
  const started = Date.now();
  await waitFor(`${TASKS} tasks to run`, async () => Number(await redis.get(`${name}:runs`)) >= TASKS, 240_000, 100);
  const elapsed = Date.now() - started;
  await consumer.stop();
  running.delete(consumer);
  return elapsed;
}

async function expectKeyOrder(name: string): Promise<void> {
  const pipeline = redis.pipeline();
  for (let k = 0; k < KEYS; k++) pipeline.lrange(`${name}:order:key-${k}`, 0, -1);
  const lists = ((await pipeline.exec()) ?? []).map(([, list]) => (list as string[]).map(Number));
  lists.forEach((seqs, k) => expect(seqs).toEqual(Array.from({ length: TASKS / KEYS }, (_, j) => k + j * KEYS)));
}

afterAll(async () => {
  await Promise.all([...running].map((s) => s.stop()));
  await dropMatching(redis, `${suite}-*`);
  await deleteTaskTopics(`${suite}-sequential`, `${suite}-parallel`);
  redis.disconnect();
}, 60_000);

describe('key-ordered parallelism inside a partition', () => {
  it(`when ${TASKS} timed tasks over ${KEYS} keys run 8 keys at a time, then each key keeps its order and it is ≥ 5× faster than one at a time`, async () => {
    const sequentialMs = await timedRun(`${suite}-sequential`, 1);
    const parallelMs = await timedRun(`${suite}-parallel`, 8);
    console.log(`key lanes: sequential ${sequentialMs} ms, 8-way ${parallelMs} ms, speed-up ${(sequentialMs / parallelMs).toFixed(1)}×`);
    await expectKeyOrder(`${suite}-sequential`);
    await expectKeyOrder(`${suite}-parallel`);
    expect(sequentialMs / parallelMs).toBeGreaterThanOrEqual(5);
  }, 400_000);
});
