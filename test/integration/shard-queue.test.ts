import { redisKeys } from '@taskstream/contract';
import { createRedisShardQueue } from '@taskstream/queue';
import { dropPrefix, testRedis, uniqueName } from '../helpers';

// The bridge's side of the buffer against the real Redis: one drain and one ack cover all the
// shards a bridge holds, and each shard still gets its own answer.
const prefix = uniqueName('shard-queue');
const redis = testRedis();
const queue = createRedisShardQueue({ redis, prefix, ownerId: 'bridge-a', leaseTtlInMs: 10_000 });
const keys = redisKeys(prefix);

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** Shard 0: fresh tasks; shard 1: a batch a dead owner left in flight, and newer tasks; shard 2: leased by another bridge; shard 3: empty. */
async function fourShards(): Promise<void> {
  await redis.lpush(keys.pending(0), 'a1', 'a2', 'a3');
  await redis.rpush(keys.inflight(1), 'b1', 'b2');
  await redis.lpush(keys.pending(1), 'b3');
  await redis.lpush(keys.pending(2), 'c1');
  await redis.set(keys.depth, 5);
  for (const shard of [0, 1, 3]) expect(await queue.acquireLease(shard)).toBe(true);
  await redis.set(keys.lease(2), 'bridge-b');
}

describe('shard queue on Redis', () => {
  it('when a bridge drains its shards, then one call answers each in order: fresh, recovered first, lease lost, empty', async () => {
    await fourShards();
    expect(await queue.drain([0, 1, 2, 3], 2)).toEqual([
      { kind: 'fresh', items: ['a1', 'a2'] },
      { kind: 'recovered', items: ['b1', 'b2'] },
      { kind: 'lease-lost' },
      { kind: 'fresh', items: [] },
    ]);
    expect(await redis.lrange(keys.inflight(0), 0, -1)).toEqual(['a1', 'a2']);
    expect(await redis.lrange(keys.pending(1), 0, -1)).toEqual(['b3']);
    expect(await redis.lrange(keys.pending(2), 0, -1)).toEqual(['c1']);
    expect(await redis.get(keys.depth)).toBe('3');

    expect(await queue.ack([
      { shard: 0, count: 2 },
      { shard: 1, count: 2 },
      { shard: 2, count: 1 },
    ])).toEqual([true, true, false]);
    expect(await redis.exists(keys.inflight(0), keys.inflight(1))).toBe(0);
    expect(await redis.mget(keys.published(0), keys.published(1), keys.published(2))).toEqual(['2', '2', null]);

    expect(await queue.drain([0, 1], 10)).toEqual([
      { kind: 'fresh', items: ['a3'] },
      { kind: 'fresh', items: ['b3'] },
    ]);
    expect(await redis.get(keys.depth)).toBe('1');
  });

  it('when a bridge holds no shard, then draining and acknowledging answer with nothing', async () => {
    expect(await queue.drain([], 10)).toEqual([]);
    expect(await queue.ack([])).toEqual([]);
  });
});
