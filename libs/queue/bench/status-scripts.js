/**
 * Micro-benchmark: CPU per task, on the Node side and in Redis, of the status
 * work every task costs: ingest's enqueue script (status + list push), then the
 * consumer's finished check and final status write, in batches of 1000, as the
 * services call them (the real TaskBuffer and status store). Redis CPU comes
 * from INFO (used_cpu_sys + used_cpu_user), so run it on an otherwise idle
 * Redis; everything it writes is under a prefix of its own, deleted afterwards.
 * Not a test: numbers depend on the machine and what else runs on it.
 *
 *   npx tsc -b && REDIS_URL=redis://127.0.0.1:6379 node libs/queue/bench/status-scripts.js [batches=300] [tasksPerBatch=1000]
 */
const { newTaskId } = require('@taskstream/contract');
const { deleteKeys, redisCpuInUs, run } = require('./redis-bench-helpers');
const { createRedis, createRedisStatusStore, createRedisTaskBuffer } = require('../dist');

const BATCH = Number(process.argv[3] ?? 1000);
const batches = Number(process.argv[2] ?? 300);
const prefix = `bench-status-${process.pid}`;

/** Runs `work` and prints Node and Redis CPU per task. */
async function measure(label, redis, work) {
  const redisBefore = await redisCpuInUs(redis);
  const nodeBefore = process.cpuUsage();
  await work();
  const node = process.cpuUsage(nodeBefore);
  const redisUs = (await redisCpuInUs(redis)) - redisBefore;
  const perTask = (us) => (us / batches / BATCH).toFixed(2);
  console.log(`${label.padEnd(28)} node ${perTask(node.user + node.system)} µs/task   redis ${perTask(redisUs)} µs/task`);
}

async function main() {
  const redis = createRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', connectionName: 'taskstream-bench' });
  const buffer = createRedisTaskBuffer({ redis, prefix, shardCount: 16, maxBufferedTasks: 1e9, statusTtlInSeconds: 3600 });
  const store = createRedisStatusStore({ redis, prefix, statusTtlInSeconds: 3600 });
  const enqueued = [];
  try {
    await measure('enqueue (ingest)', redis, async () => {
      for (let b = 0; b < batches; b++) {
        const now = Date.now();
        const tasks = Array.from({ length: BATCH }, (_, i) => {
          const id = newTaskId(now);
          return { envelope: { id, type: 'noop', key: `k-${i % 10_000}`, payload: null, createdAt: now, attempt: 1 }, trace: {}, clientId: false };
        });
        await buffer.enqueue(tasks);
        enqueued.push(tasks.map((t) => t.envelope));
      }
    });
    await measure('finished + apply (consumer)', redis, async () => {
      for (const batch of enqueued) {
        await store.finished(batch.map((e) => e.id));
        await store.apply(batch.map((e) => ({ id: e.id, type: e.type, key: e.key, createdAt: e.createdAt, status: 'succeeded', attempts: 1, detail: 'null' })));
      }
    });
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}

run(main);
