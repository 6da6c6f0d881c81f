import { newTaskId, timeOfTaskId, type TaskEnvelope } from '@taskstream/contract';
import { createRedisStatusStore, createRedisTaskBuffer, type StatusTransition } from '@taskstream/queue';
import { dropPrefix, testRedis, uniqueName } from '../helpers';

// The status store and the buffer's status writes against the real Redis: where statuses live,
// how long they are kept, and that a finished task is never changed again.
const prefix = uniqueName('status-store');
const RETENTION = 3_600;
const redis = testRedis();
const store = createRedisStatusStore({ redis, prefix, statusTtlInSeconds: RETENTION });
const buffer = createRedisTaskBuffer({ redis, prefix, shardCount: 4, maxBufferedTasks: 1_000, statusTtlInSeconds: RETENTION });

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const envelopeOf = (id: string): TaskEnvelope => ({ id, type: 'noop', key: id, payload: null, createdAt: Date.now(), attempt: 1 });
const enqueue = (envelopes: TaskEnvelope[], clientId: boolean, into = buffer) =>
  into.enqueue(envelopes.map((envelope) => ({ envelope, trace: {}, clientId })));
const transition = (id: string, status: StatusTransition['status'], detail?: string): StatusTransition => ({ id, type: 'noop', key: id, createdAt: Date.now(), status, attempts: 1, detail });
const nowInSeconds = () => Math.floor(Date.now() / 1000);
const bucketOf = (createdAt: number) => `${prefix}:tb:${Math.floor(createdAt / 60_000) * 60}`;

describe('status store on Redis', () => {
  it('when ingest makes the ids, then statuses are fields of one bucket hash per minute, which expires after the retention, with no key per task', async () => {
    const ids = Array.from({ length: 50 }, () => newTaskId(Date.now()));
    expect(await enqueue(ids.map((id) => envelopeOf(id)), false)).toEqual({ accepted: true, fresh: ids.map(() => true) });
    expect(await store.statuses(ids)).toEqual(ids.map(() => 'queued'));
    const buckets = await redis.keys(`${prefix}:tb:*`);
    expect(buckets.length).toBeGreaterThanOrEqual(1);
    expect(buckets.length).toBeLessThanOrEqual(2);
    for (const bucket of buckets) {
      const expireAt = await redis.expiretime(bucket);
      expect(expireAt).toBeGreaterThanOrEqual(nowInSeconds() + RETENTION);
      expect(expireAt).toBeLessThanOrEqual(nowInSeconds() + RETENTION + 60);
    }
    expect(await redis.keys(`${prefix}:s:*`)).toEqual([]);
  });

  it('when a client chooses the id, then its status is a key of its own with the retention as TTL, and a repeat is not enqueued', async () => {
    const id = uniqueName('order');
    expect(await enqueue([envelopeOf(id)], true)).toEqual({ accepted: true, fresh: [true] });
    expect(await redis.ttl(`${prefix}:s:${id}`)).toBeGreaterThan(RETENTION - 5);
    expect(await enqueue([envelopeOf(id), envelopeOf(id)], true)).toEqual({ accepted: true, fresh: [false, false] });
  });

  it('when a client repeats a time-ordered id of its own, then the repeat is not enqueued either', async () => {
    const id = newTaskId(Date.now());
    expect(await enqueue([envelopeOf(id), envelopeOf(id)], true)).toEqual({ accepted: true, fresh: [true, false] });
    expect(await enqueue([envelopeOf(id)], true)).toEqual({ accepted: true, fresh: [false] });
  });

  it('when a task succeeded, then a later transition of a redelivery changes nothing and is reported as not applied', async () => {
    const ids = [newTaskId(Date.now()), uniqueName('client')];
    await enqueue(ids.map((id) => envelopeOf(id)), true);
    expect(await store.apply(ids.map((id) => transition(id, 'succeeded', '{"n":1}')))).toEqual([true, true]);
    expect(await store.apply(ids.map((id) => transition(id, 'retrying', '{"code":"X","message":"late"}')))).toEqual([false, false]);
    expect(await store.finished(ids)).toEqual([true, true]);
    for (const id of ids) expect(await store.get(id)).toMatchObject({ id, status: 'succeeded', attempts: 1, result: { n: 1 } });
  });

  it('when one call holds the same task twice, then the second sees the first: a task finished earlier in the call is not changed again', async () => {
    const ids = [newTaskId(Date.now()), uniqueName('client')];
    const late = '{"code":"X","message":"late"}';
    const calls = ids.flatMap((id) => [transition(id, 'processing'), transition(id, 'succeeded', '{"n":1}'), transition(id, 'retrying', late)]);
    expect(await store.apply(calls)).toEqual([true, true, false, true, true, false]);
    expect(await store.statuses(ids)).toEqual(['succeeded', 'succeeded']);
  });

  it('when one call mixes buckets, own keys and unknown tasks, then every flag and status lands on its own task', async () => {
    const earlier = Date.now() - 5 * 60_000;
    const ids = [newTaskId(Date.now()), uniqueName('a'), newTaskId(earlier), newTaskId(Date.now()), uniqueName('b'), uniqueName('c'), newTaskId(earlier), newTaskId(earlier)];
    const even = ids.map((_, i) => i % 2 === 0);
    await store.apply(ids.filter((_, i) => even[i]).map((id) => transition(id, 'succeeded', 'null')));
    expect(await store.finished(ids)).toEqual(even);
    expect(await store.apply(ids.map((id) => transition(id, 'dead', '{"code":"X","message":"y"}')))).toEqual(even.map((finished) => !finished));
    expect(await store.statuses(ids)).toEqual(even.map((finished) => (finished ? 'succeeded' : 'dead')));
  });

  it('when a batch holds more statuses than one Redis command is given, then every one is written and read', async () => {
    const big = createRedisTaskBuffer({ redis, prefix, shardCount: 4, maxBufferedTasks: 100_000, statusTtlInSeconds: RETENTION });
    const ids = Array.from({ length: 2_500 }, () => newTaskId(Date.now()));
    await enqueue(ids.map((id) => envelopeOf(id)), false, big);
    expect(new Set(await store.statuses(ids))).toEqual(new Set(['queued']));
    expect(await store.finished(ids)).toEqual(ids.map(() => false));
    expect(await store.apply(ids.map((id) => transition(id, 'succeeded', 'null')))).toEqual(ids.map(() => true));
    expect(await store.finished(ids)).toEqual(ids.map(() => true));
    // The store sends at most 1,000 per script; the script itself splits longer runs too.
    expect(await redis.tsFinished(ids.flatMap((id) => [bucketOf(timeOfTaskId(id)!), id]))).toEqual(ids.map(() => 1));
  });

  it('when a task is unknown, then get answers undefined and finished false', async () => {
    const ids = [newTaskId(Date.now()), uniqueName('never')];
    expect(await Promise.all(ids.map((id) => store.get(id)))).toEqual([undefined, undefined]);
    expect(await store.finished(ids)).toEqual([false, false]);
  });

  it('when a dead task is reopened for a replay, then it is published again and may finish anew', async () => {
    const id = newTaskId(Date.now());
    await store.apply([transition(id, 'dead', '{"code":"HANDLER_FAILED","message":"boom"}')]);
    await store.reopen([{ id, type: 'noop', key: id, createdAt: Date.now() }]);
    expect(await store.get(id)).toMatchObject({ status: 'published', attempts: 0 });
    expect(await store.apply([transition(id, 'succeeded', 'null')])).toEqual([true]);
  });

  it('when a task from a bucket that already expired is updated, then the bucket lives the retention from now, not deleted at once', async () => {
    const createdAt = Date.now() - 3 * 86_400_000;
    const id = newTaskId(createdAt);
    expect(await store.apply([transition(id, 'succeeded', 'null')])).toEqual([true]);
    expect(await store.statuses([id])).toEqual(['succeeded']);
    expect(await redis.expiretime(bucketOf(createdAt))).toBeGreaterThanOrEqual(nowInSeconds() + RETENTION - 1);
  });

  it('when a bucket already expires later, then a write never brings its expiry forward', async () => {
    const createdAt = Date.now();
    const id = newTaskId(createdAt);
    await store.apply([transition(id, 'processing')]);
    const bucket = bucketOf(createdAt);
    const later = nowInSeconds() + 10 * RETENTION;
    await redis.expireat(bucket, later);
    await store.apply([transition(id, 'succeeded', 'null')]);
    expect(await redis.expiretime(bucket)).toBe(later);
  });

  it('when Redis has forgotten the scripts (a restart, SCRIPT FLUSH), then the next calls load them again and answer', async () => {
    const id = newTaskId(Date.now());
    const roomy = createRedisTaskBuffer({ redis, prefix, shardCount: 4, maxBufferedTasks: 1_000_000, statusTtlInSeconds: RETENTION });
    await redis.script('FLUSH');
    expect(await enqueue([envelopeOf(id)], false, roomy)).toEqual({ accepted: true, fresh: [true] });
    await redis.script('FLUSH');
    expect(await store.finished([id])).toEqual([false]);
    await redis.script('FLUSH');
    expect(await store.apply([transition(id, 'succeeded', 'null')])).toEqual([true]);
    expect(await store.finished([id])).toEqual([true]);
  });

  it('when a script fails for another reason, then the error reaches the caller, not a reload', async () => {
    const wrongType = `${prefix}:not-a-hash`;
    await redis.set(wrongType, 'x');
    await expect(redis.tsFinished([wrongType, 'some-field'])).rejects.toThrow(/WRONGTYPE/);
  });
});
