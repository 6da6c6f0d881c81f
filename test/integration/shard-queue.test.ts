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

/**
 * Shard 0: fresh tasks; shard 1: two tasks a dead owner had in flight, and a newer one; shard 2:
 * leased by another bridge; shard 3: empty. Lists hold the newest at the head (ingest's LPUSH).
 */
async function fourShards(): Promise<void> {
  await redis.lpush(keys.pending(0), 'a1', 'a2', 'a3');
  await redis.lpush(keys.pending(1), 'b1', 'b2', 'b3');
  await redis.set(keys.inflightCount(1), 2);
  await redis.lpush(keys.pending(2), 'c1');
  await redis.set(keys.depth, 7);
  for (const shard of [0, 1, 3]) expect(await queue.acquireLease(shard)).toBe(true);
  await redis.set(keys.lease(2), 'bridge-b');
}

/** Three tasks on a shard this bridge holds, the oldest two of them handed out. */
async function twoOfThreeHandedOut(shard: number, name: string): Promise<void> {
  await redis.lpush(keys.pending(shard), `${name}1`, `${name}2`, `${name}3`);
  expect(await queue.acquireLease(shard)).toBe(true);
  expect(await queue.drain([shard], 2)).toEqual([{ kind: 'fresh', items: [`${name}1`, `${name}2`] }]);
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
    // Handed out, not taken: until Kafka has them the tasks stay on their lists, counted in flight.
    expect(await redis.lrange(keys.pending(0), 0, -1)).toEqual(['a3', 'a2', 'a1']);
    // Each count carries the drain's token: the ack trims only its own.
    expect(await redis.mget(keys.inflightCount(0), keys.inflightCount(1), keys.inflightCount(3))).toEqual([expect.stringMatching(/^2:bridge-a\//), expect.stringMatching(/^2:bridge-a\//), null]);
    expect(await redis.get(keys.depth)).toBe('7');

    expect(await queue.ack([
      { shard: 0, count: 2 },
      { shard: 1, count: 2 },
      { shard: 2, count: 1 },
    ])).toEqual([true, true, false]);
    expect(await redis.lrange(keys.pending(0), 0, -1)).toEqual(['a3']);
    expect(await redis.lrange(keys.pending(1), 0, -1)).toEqual(['b3']);
    expect(await redis.lrange(keys.pending(2), 0, -1)).toEqual(['c1']);
    expect(await redis.exists(keys.inflightCount(0), keys.inflightCount(1))).toBe(0);
    expect(await redis.mget(keys.published(0), keys.published(1), keys.published(2))).toEqual(['2', '2', null]);
    expect(await redis.get(keys.depth)).toBe('3');

    expect(await queue.drain([0, 1], 10)).toEqual([
      { kind: 'fresh', items: ['a3'] },
      { kind: 'fresh', items: ['b3'] },
    ]);
    await queue.ack([{ shard: 0, count: 1 }, { shard: 1, count: 1 }]);
    expect(await redis.exists(keys.pending(0), keys.pending(1))).toBe(0);
    expect(await redis.get(keys.depth)).toBe('1');
  });

  it('when a bridge drains the same shards again before its ack, then it gets the same tasks again, as recovered', async () => {
    await twoOfThreeHandedOut(4, 'd');
    await redis.lpush(keys.pending(4), 'd4');
    expect(await queue.drain([4], 10)).toEqual([{ kind: 'recovered', items: ['d1', 'd2'] }]);
    expect(await queue.ack([{ shard: 4, count: 2 }])).toEqual([true]);
    expect(await queue.drain([4], 10)).toEqual([{ kind: 'fresh', items: ['d3', 'd4'] }]);
  });

  it('when a lease went to another bridge and came back before the ack, then the late ack trims nothing', async () => {
    const other = createRedisShardQueue({ redis, prefix, ownerId: 'bridge-b', leaseTtlInMs: 10_000 });
    await twoOfThreeHandedOut(6, 'f');
    // The lease lapses mid-produce; the other bridge publishes f1 and f2 again and acknowledges them.
    await redis.set(keys.lease(6), 'bridge-b');
    expect(await other.drain([6], 10)).toEqual([{ kind: 'recovered', items: ['f1', 'f2'] }]);
    expect(await other.ack([{ shard: 6, count: 2 }])).toEqual([true]);
    // The other bridge drains f3, then the lease comes back before the first bridge's late ack.
    expect(await other.drain([6], 10)).toEqual([{ kind: 'fresh', items: ['f3'] }]);
    await redis.set(keys.lease(6), 'bridge-a');
    expect(await queue.ack([{ shard: 6, count: 2 }])).toEqual([false]);
    expect(await redis.lrange(keys.pending(6), 0, -1)).toEqual(['f3']);
    expect(await queue.drain([6], 10)).toEqual([{ kind: 'recovered', items: ['f3'] }]);
  });

  it('when a bridge of the earlier layout left tasks in its in-flight list, then they are put back and handed out first, as recovered', async () => {
    // The earlier drain moved the oldest tasks (oldest first) to the in-flight list and counted them out of the depth.
    await redis.rpush(keys.oldInflight(5), 'e1', 'e2');
    await redis.lpush(keys.pending(5), 'e3');
    await redis.set(keys.depth, 1);
    expect(await queue.acquireLease(5)).toBe(true);
    expect(await queue.drain([5], 10)).toEqual([{ kind: 'recovered', items: ['e1', 'e2'] }]);
    expect(await redis.exists(keys.oldInflight(5))).toBe(0);
    expect(await redis.get(keys.depth)).toBe('3');
    await queue.ack([{ shard: 5, count: 2 }]);
    expect(await queue.drain([5], 10)).toEqual([{ kind: 'fresh', items: ['e3'] }]);
  });

  it('when a bridge holds no shard, then draining and acknowledging answer with nothing', async () => {
    expect(await queue.drain([], 10)).toEqual([]);
    expect(await queue.ack([])).toEqual([]);
  });
});
