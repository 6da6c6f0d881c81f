import { shardOf, type TaskEnvelope } from '@taskstream/contract';
import { createRedisStatusStore, createRedisTaskBuffer, type TaskBuffer, type TaskStatusStore } from '@taskstream/queue';
import type { KafkaMessage } from 'kafkajs';
import {
  createTaskTopics, envelopeOf, headerOf, metricValue, pipelineEnv, readTopic, topicPerTestSuite, topicRecordCount, viewCounts, waitFor,
  type RunningService,
} from '../helpers';

// The bridge against real Redis and Kafka; the test plays ingest by filling the buffer with the real TaskBuffer.
const SHARDS = 8;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const suite = topicPerTestSuite('bridge');
const { redis } = suite;

/** A fresh topic and prefix for one test; the lease TTL is short so takeovers happen within seconds. */
async function pipeline(createTopic = true, leaseTtlInMs = 2000): Promise<{ topic: string; env: Record<string, string>; buffer: TaskBuffer; statuses: TaskStatusStore }> {
  const topic = await suite.newTopic(createTopic);
  const env = pipelineEnv(topic, { BUFFER_SHARDS: String(SHARDS), BRIDGE_LEASE_TTL_MS: String(leaseTtlInMs) });
  const buffer = createRedisTaskBuffer({ redis, prefix: topic, shardCount: SHARDS, maxBufferedTasks: 1_000_000, statusTtlInSeconds: 3600 });
  return { topic, env, buffer, statuses: createRedisStatusStore({ redis, prefix: topic, statusTtlInSeconds: 3600 }) };
}

const startBridge = (env: Record<string, string>): Promise<RunningService> => suite.start('bridge', env);

async function enqueue(buffer: TaskBuffer, envelopes: TaskEnvelope[], tracestate?: string): Promise<void> {
  const result = await buffer.enqueue(envelopes.map((envelope) => ({ envelope, trace: { traceparent: TRACEPARENT, tracestate }, clientId: true })));
  if (!result.accepted) throw new Error('test buffer refused the tasks');
}

function tasks(topic: string, count: number, keys: number, from = 0): TaskEnvelope[] {
  return Array.from({ length: count }, (_, i) => envelopeOf({ id: `${topic}-t${from + i}`, type: 'noop', key: `key-${(from + i) % keys}`, payload: { seq: from + i } }));
}

/** Shard -> owner of every lease currently held under a prefix. */
async function leaseOwners(prefix: string): Promise<Map<number, string>> {
  const owners = new Map<number, string>();
  for (let shard = 0; shard < SHARDS; shard++) {
    const owner = await redis.get(`${prefix}:lease:${shard}`);
    if (owner) owners.set(shard, owner);
  }
  return owners;
}

const ownedBy = (bridge: RunningService) => (owner: string) => owner.includes(`-${bridge.proc.pid}-`);
const seqsByKey = (messages: KafkaMessage[]) => {
  const byKey = new Map<string, number[]>();
  for (const m of messages) byKey.set(m.key!.toString(), [...(byKey.get(m.key!.toString()) ?? []), JSON.parse(m.value!.toString()).payload.seq]);
  return byKey;
};

describe('bridge draining the Redis buffer into Kafka', () => {
  it('when tasks are buffered, then each arrives with key, envelope value and contract headers (marked as a first send), per key in order, and is published', async () => {
    const { topic, env, buffer, statuses } = await pipeline();
    await startBridge(env);
    const envelopes = tasks(topic, 300, 5);
    for (let i = 0; i < envelopes.length; i += 100) await enqueue(buffer, envelopes.slice(i, i + 100), i === 0 ? 'vendor=1' : undefined);

    const messages = await readTopic(topic, 300, 30_000);
    expect(messages).toHaveLength(300);
    const byId = new Map(envelopes.map((e) => [e.id, e]));
    for (const m of messages) {
      const envelope = byId.get(headerOf(m, 'task-id')!)!;
      expect(m.key!.toString()).toBe(envelope.key);
      expect(m.value!.toString()).toBe(JSON.stringify(envelope));
      expect(headerOf(m, 'task-type')).toBe('noop');
      expect(headerOf(m, 'traceparent')).toBe(TRACEPARENT);
      expect(headerOf(m, 'tracestate')).toBe((envelope.payload as { seq: number }).seq < 100 ? 'vendor=1' : undefined);
      expect(headerOf(m, 'task-first-send')).toBe('1');
    }
    for (const [key, seqs] of seqsByKey(messages)) expect(seqs).toEqual(envelopes.filter((e) => e.key === key).map((e) => (e.payload as { seq: number }).seq));
    const ids = envelopes.map((e) => e.id);
    await waitFor('statuses to be published', async () => (await viewCounts(statuses, ids)).published === 300, 10_000);
  }, 60_000);

  it('when a bridge died with a batch in flight, then a new bridge publishes it first (not marked as a first send), before newer tasks of that shard', async () => {
    const { topic, env, buffer, statuses } = await pipeline();
    const older = tasks(topic, 5, 1);
    await enqueue(buffer, older);
    const shard = shardOf('key-0', SHARDS);
    // What drain.lua does, then the owner vanishes: the oldest tasks counted in flight, no lease.
    await redis.set(`${topic}:inflight-count:${shard}`, await redis.llen(`${topic}:q:${shard}`));
    await enqueue(buffer, tasks(topic, 5, 1, 5));
    expect(await redis.exists(`${topic}:lease:${shard}`)).toBe(0);

    const bridge = await startBridge(env);
    const messages = await readTopic(topic, 10, 30_000);
    expect(messages.map((m) => JSON.parse(m.value!.toString()).payload.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(messages.map((m) => headerOf(m, 'task-first-send'))).toEqual([...Array(5).fill(undefined), ...Array(5).fill('1')]);
    await waitFor('the in-flight count to be cleared', async () => (await redis.exists(`${topic}:inflight-count:${shard}`)) === 0, 10_000);
    await waitFor('statuses to be published', async () => (await viewCounts(statuses, messages.map((m) => headerOf(m, 'task-id')!))).published === 10, 10_000);
    expect(await metricValue(bridge.url, 'taskstream_bridge_tasks_recovered_total')).toBe(5);
  }, 60_000);

  it('when two bridges run at once, then they split the shard leases and nothing is published twice', async () => {
    // A longer lease: a renewal late on a busy machine must not hand a shard over mid-batch.
    const { topic, env, buffer, statuses } = await pipeline(true, 6000);
    const [a, b] = await Promise.all([startBridge(env), startBridge(env)]);
    await waitFor('both bridges to hold leases of all shards', async () => {
      const owners = [...(await leaseOwners(topic)).values()];
      return owners.length === SHARDS && owners.some(ownedBy(a!)) && owners.some(ownedBy(b!));
    }, 20_000);

    const envelopes = tasks(topic, 2000, 400);
    for (let i = 0; i < envelopes.length; i += 250) await enqueue(buffer, envelopes.slice(i, i + 250));
    await waitFor('all to be published', async () => (await viewCounts(statuses, envelopes.map((e) => e.id))).published === 2000, 30_000);
    expect(await topicRecordCount(topic)).toBe(2000);
    const messages = await readTopic(topic, 2000, 30_000);
    expect(new Set(messages.map((m) => headerOf(m, 'task-id'))).size).toBe(2000);
    expect(await metricValue(a!.url, 'taskstream_bridge_tasks_published_total')).toBeGreaterThan(0);
    expect(await metricValue(b!.url, 'taskstream_bridge_tasks_published_total')).toBeGreaterThan(0);
  }, 90_000);

  it('when Kafka refuses the produce, then nothing is lost: the batch stays in flight on its lists, even through SIGTERM, and the next bridge publishes it (not marked as a first send)', async () => {
    // The topic does not exist yet (auto-creation is off): every produce fails until it is created.
    const { topic, env, buffer, statuses } = await pipeline(false);
    const stuck = await startBridge(env);
    const envelopes = tasks(topic, 50, 7);
    await enqueue(buffer, envelopes);
    const shards = [...Array(SHARDS).keys()];
    const pending = async () => (await Promise.all(shards.map((s) => redis.llen(`${topic}:q:${s}`)))).reduce((sum, n) => sum + n, 0);
    // An in-flight count is "<count>:<drain token>".
    const inFlight = async () => (await Promise.all(shards.map((s) => redis.get(`${topic}:inflight-count:${s}`)))).reduce((sum, n) => sum + parseInt(n ?? '0', 10), 0);
    await waitFor('a batch to be in flight', async () => (await inFlight()) > 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await pending()).toBe(50);
    expect(await viewCounts(statuses, envelopes.map((e) => e.id))).toEqual({ queued: 50 });

    const stopped = Date.now();
    expect(await suite.stop(stuck)).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect((await redis.keys(`${topic}:lease:*`)).length).toBe(0);
    expect(await pending()).toBe(50);
    expect(await inFlight()).toBeGreaterThan(0);

    await createTaskTopics(topic, 3);
    const next = await startBridge(env);
    await waitFor('all to be published', async () => (await viewCounts(statuses, envelopes.map((e) => e.id))).published === 50, 30_000, 500);
    expect(await inFlight()).toBe(0);
    expect(await pending()).toBe(0);
    expect(await topicRecordCount(topic)).toBe(50);
    expect(await metricValue(next.url, 'taskstream_bridge_tasks_recovered_total')).toBeGreaterThan(0);
    // The stuck bridge's in-flight batch, published by the next one, may not carry the mark.
    const recovered = (await readTopic(topic, 50, 30_000)).filter((m) => headerOf(m, 'task-first-send') === undefined);
    expect(recovered.length).toBe(await metricValue(next.url, 'taskstream_bridge_tasks_recovered_total'));
  }, 90_000);

  it('when SIGTERM arrives, then the bridge releases its leases, leaves, and exits 0', async () => {
    const { topic, env } = await pipeline();
    const bridge = await startBridge(env);
    await waitFor('leases to be taken', async () => (await leaseOwners(topic)).size === SHARDS, 10_000);
    expect(await suite.stop(bridge)).toBe(0);
    expect((await redis.keys(`${topic}:lease:*`)).length).toBe(0);
    expect(await redis.zcard(`${topic}:bridges`)).toBe(0);
  }, 60_000);
});

