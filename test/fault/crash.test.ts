import { join } from 'node:path';
import { pipelineSuite, sendBatches, statusCounts, waitFor, type TaskSpec } from '../helpers';

const TASKS = 60_000;
const { topic, redis, start, kill } = pipelineSuite('crash', {
  partitions: 6,
  env: {
    CONSUMER_HANDLERS_MODULE: join(__dirname, '..', 'fixtures', 'order-handlers.js'),
    // Short lease and session so the survivors take over within seconds, not the production defaults.
    BRIDGE_LEASE_TTL_MS: '2000',
    CONSUMER_SESSION_TIMEOUT_MS: '6000',
    BRIDGE_MAX_TASKS_PER_SHARD: '500',
  },
});

describe('kill -9 in the middle of the flow', () => {
  it('when the bridge and one consumer are killed mid-flow and restarted, then no task is lost', async () => {
    const ingest = await start('ingest');
    const bridge = await start('bridge');
    const consumerA = await start('consumer');
    await start('consumer');
    const tasks: TaskSpec[] = Array.from({ length: TASKS }, (_, i) => ({ type: 'record', key: `k-${i % 500}`, payload: { seq: i } }));
    const sending = sendBatches(ingest.url, tasks, 500, 2);

    await waitFor('a third of the tasks to run', async () => Number(await redis.get(`${topic}:runs`)) > TASKS / 3, 120_000, 50);
    await kill(bridge);
    await kill(consumerA);
    const runsAtKill = Number(await redis.get(`${topic}:runs`));
    await start('bridge');
    await start('consumer');
    const ids = await sending;

    await waitFor('every task to succeed', async () => (await statusCounts(redis, topic, ids)).succeeded === TASKS, 180_000, 1000);
    const runs = Number(await redis.get(`${topic}:runs`));
    const duplicates = runs - TASKS;
    console.log(`crash: killed bridge and a consumer after ${runsAtKill} runs; ${TASKS} succeeded, 0 lost, ${duplicates} duplicate runs`);
    expect(await statusCounts(redis, topic, ids)).toEqual({ succeeded: TASKS });
    // Duplicates are bounded by what was in flight: one bridge batch per list plus the killed consumer's uncommitted batches.
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThan(20_000);
  }, 400_000);
});
