/**
 * Micro-benchmark: CPU per task, on the Node side and in Redis, of the bridge's
 * side of the buffer: drain the oldest tasks of 16 lists (up to 2000 each),
 * then acknowledge them, as the bridge does after Kafka took them (the real
 * ShardQueue). Redis CPU comes from INFO, so run it on an otherwise idle Redis;
 * everything it writes is under a prefix of its own, deleted afterwards.
 * Not a test: numbers depend on the machine and what else runs on it.
 *
 *   npx tsc -b && REDIS_URL=redis://127.0.0.1:6379 node libs/queue/bench/drain-ack.js [tasks=300000] [itemBytes=300]
 */
const { redisKeys } = require('@taskstream/contract');
const { deleteKeys, redisCpuInUs, run } = require('./redis-bench-helpers');
const { createRedis, createRedisShardQueue } = require('../dist');

const SHARDS = 16;
const MAX_PER_SHARD = 2000;
const tasks = Number(process.argv[2] ?? 300_000);
const item = 'x'.repeat(Number(process.argv[3] ?? 300));
const prefix = `bench-drain-${process.pid}`;

async function main() {
  const redis = createRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', connectionName: 'taskstream-bench' });
  const keys = redisKeys(prefix);
  const queue = createRedisShardQueue({ redis, prefix, ownerId: 'bench', leaseTtlInMs: 600_000 });
  const shards = [...Array(SHARDS).keys()];
  try {
    for (const shard of shards) {
      for (let i = 0; i < tasks / SHARDS; i += 1000) await redis.lpush(keys.pending(shard), ...Array(Math.min(1000, tasks / SHARDS - i)).fill(item));
      await queue.acquireLease(shard);
    }
    await redis.set(keys.depth, tasks);
    const redisBefore = await redisCpuInUs(redis);
    const nodeBefore = process.cpuUsage();
    for (let moved = 0; moved < tasks; ) {
      const outcomes = await queue.drain(shards, MAX_PER_SHARD);
      const batches = outcomes.map((o, shard) => ({ shard, count: o.kind === 'lease-lost' ? 0 : o.items.length })).filter((b) => b.count > 0);
      if (batches.length === 0) throw new Error(`drained ${moved} of ${tasks}, then nothing`);
      await queue.ack(batches);
      moved += batches.reduce((n, b) => n + b.count, 0);
    }
    const node = process.cpuUsage(nodeBefore);
    const redisUs = (await redisCpuInUs(redis)) - redisBefore;
    console.log(`drain + ack (bridge)  node ${((node.user + node.system) / tasks).toFixed(2)} µs/task   redis ${(redisUs / tasks).toFixed(2)} µs/task`);
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}

run(main);
