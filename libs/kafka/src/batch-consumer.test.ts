import type { Kafka } from 'kafkajs';
import { createLogger } from '@taskstream/telemetry';
import { createBatchConsumer, type BatchControls, type BatchHandler, type IncomingRecord } from './batch-consumer';

/** Just enough of a kafkajs consumer: `run` hands back its eachBatch. */
function fakeKafka() {
  let eachBatch: ((payload: unknown) => Promise<void>) | undefined;
  const consumer = {
    events: { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash', STOP: 'stop' },
    on: () => {},
    connect: async () => {},
    subscribe: async () => {},
    run: async (config: { eachBatch: typeof eachBatch }) => void (eachBatch = config.eachBatch),
    disconnect: async () => {},
  };
  return { kafka: { consumer: () => consumer } as unknown as Kafka, eachBatch: (payload: unknown) => eachBatch!(payload) };
}

/** Messages as kafkajs 2.2.4's record decoder returns them. */
const messages = [
  { offset: '7', timestamp: '1700000000123', key: Buffer.from('user-1'), value: Buffer.from('{"a":1}'), headers: { 'task-id': Buffer.from('t-1'), twice: [Buffer.from('first'), Buffer.from('second')] } },
  { offset: '8', timestamp: '1700000000124', key: null, value: null, headers: {} },
];

/** Hands one batch of partition 3 (high watermark 10) to a consumer running `handler`; returns the lags it reported. */
async function deliverTo(handler: BatchHandler, batchMessages: typeof messages, options: { maxRecordsPerCall?: number; isStale?: () => boolean } = {}): Promise<number[]> {
  const fake = fakeKafka();
  const lags: number[] = [];
  const consumer = createBatchConsumer({ kafka: fake.kafka, groupId: 'g', topics: ['tasks'], logger: createLogger('test', 'silent'), onLag: (_t, _p, lag) => lags.push(lag), maxRecordsPerCall: options.maxRecordsPerCall });
  await consumer.start(handler);
  const batch = { topic: 'tasks', partition: 3, highWatermark: '10', messages: batchMessages, isEmpty: () => false, firstOffset: () => batchMessages[0]!.offset, lastOffset: () => batchMessages.at(-1)!.offset };
  await fake.eachBatch({ batch, resolveOffset: () => {}, heartbeat: async () => {}, isRunning: () => true, isStale: options.isStale ?? (() => false) });
  return lags;
}

async function deliver(stale = false): Promise<{ records: IncomingRecord[]; controls: BatchControls; lags: number[] }> {
  let seen: { records: IncomingRecord[]; controls: BatchControls } | undefined;
  const lags = await deliverTo(async (records, controls) => void (seen = { records, controls }), messages, { isStale: () => stale });
  return { ...seen!, lags };
}

/** Five messages, offsets 10 to 14. */
const many = Array.from({ length: 5 }, (_, i) => ({ ...messages[1]!, offset: String(10 + i) }));

describe('createBatchConsumer', () => {
  it('when a batch arrives, then each message becomes a record with its place, bytes and timestamp', async () => {
    const { records, lags } = await deliver();
    expect(records.map(({ topic, partition, offset, key, value, timestamp }) => ({ topic, partition, offset, key, value: value?.toString() ?? null, timestamp }))).toEqual([
      { topic: 'tasks', partition: 3, offset: '7', key: 'user-1', value: '{"a":1}', timestamp: 1700000000123 },
      { topic: 'tasks', partition: 3, offset: '8', key: undefined, value: null, timestamp: 1700000000124 },
    ]);
    expect(lags).toEqual([3, 1]);
  });

  it('when headers are read, then they are text, a repeated one is its first value, and a missing one is undefined', async () => {
    const [first, second] = (await deliver()).records;
    expect(first!.headers).toEqual({ 'task-id': 't-1', twice: 'first' });
    expect([first!.header('task-id'), first!.header('twice'), first!.header('traceparent'), first!.header('constructor')]).toEqual(['t-1', 'first', undefined, undefined]);
    expect(second!.headers).toEqual({});
  });

  it('when a batch has more records than a call takes, then the handler gets them in slices, in order, one after the other', async () => {
    const calls: string[][] = [];
    let running = 0;
    const handler: BatchHandler = async (records) => {
      expect(++running).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      calls.push(records.map((r) => r.offset));
      running--;
    };
    await deliverTo(handler, many, { maxRecordsPerCall: 2 });
    expect(calls).toEqual([['10', '11'], ['12', '13'], ['14']]);
  });

  it('when the partition is taken away during a slice, then the later slices are left for its next owner', async () => {
    const calls: string[][] = [];
    let stale = false;
    const handler: BatchHandler = async (records) => {
      calls.push(records.map((r) => r.offset));
      stale = true;
    };
    await deliverTo(handler, many, { maxRecordsPerCall: 2, isStale: () => stale });
    expect(calls).toEqual([['10', '11']]);
  });

  it('when kafkajs says the partition is stale, then the handler is told it is no longer active', async () => {
    expect((await deliver(false)).controls.isActive()).toBe(true);
    expect((await deliver(true)).controls.isActive()).toBe(false);
  });
});
