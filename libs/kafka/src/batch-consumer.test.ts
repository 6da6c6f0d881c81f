import type { Kafka } from 'kafkajs';
import { createLogger } from '@taskstream/telemetry';
import { createBatchConsumer, type BatchControls, type BatchHandler, type IncomingRecord } from './batch-consumer';
import { FetchedRecord, fastRecordBatchDecoder } from './kafkajs-fast-record-decoder';
import { kafkajsRecord, kafkajsRecordBatch } from './kafkajs-samples.test-helpers';

/** Just enough of a kafkajs consumer: `run` hands back its eachBatch and keeps its settings; `log` tells what was done, in order. */
function fakeKafka() {
  let eachBatch: ((payload: unknown) => Promise<void>) | undefined;
  const log: string[] = [];
  let runConfig: Record<string, unknown> = {};
  const listeners = new Map<string, (event: unknown) => void>();
  const consumer = {
    events: { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash', STOP: 'stop' },
    on: (name: string, listener: (event: unknown) => void) => void listeners.set(name, listener),
    connect: async () => {},
    subscribe: async () => {},
    run: async (config: { eachBatch: typeof eachBatch }) => {
      runConfig = config;
      eachBatch = config.eachBatch;
    },
    disconnect: async () => void log.push('disconnect'),
  };
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka,
    eachBatch: (payload: unknown) => eachBatch!(payload),
    emit: (name: string, event: unknown = { payload: {} }) => listeners.get(name)!(event),
    log,
    runConfig: () => runConfig,
  };
}

/** The parts of kafkajs's eachBatch payload about commits and heartbeats, writing what they are asked into `log`. */
function commitControls(log: string[], options: { running?: boolean; heartbeat?: () => Promise<void> } = {}) {
  return {
    isRunning: () => options.running ?? true,
    heartbeat: options.heartbeat ?? (async () => void log.push('heartbeat')),
    uncommittedOffsets: () => ({ topics: [{ topic: 'tasks', partitions: [{ partition: 3, offset: '9' }] }] }),
    commitOffsetsIfNecessary: async (offsets?: { topics: { partitions: { offset: string }[] }[] }) =>
      void log.push(offsets ? `commit ${offsets.topics[0]!.partitions[0]!.offset}` : 'commit if due'),
  };
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
  await fake.eachBatch({ batch, resolveOffset: () => {}, ...commitControls([]), isStale: options.isStale ?? (() => false) });
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

  it('when a header value is null (other clients can write one), then it reads as missing instead of failing the batch', async () => {
    let seen: IncomingRecord[] = [];
    const withNulls = [{ ...messages[1]!, headers: { gone: null, list: [null, Buffer.from('x')] } }] as unknown as typeof messages;
    await deliverTo(async (records) => void (seen = records), withNulls);
    expect([seen[0]!.header('gone'), seen[0]!.header('list')]).toEqual([undefined, undefined]);
    expect(seen[0]!.headers).toEqual({ gone: undefined, list: undefined });
  });

  it('when records come from the fast decoder, then key, value and headers read as from kafkajs\'s objects', async () => {
    const record = kafkajsRecord({ key: 'user-1', value: '{"a":1}', headers: { 'task-id': 't-1', twice: ['first', 'second'] }, offsetDelta: 0, timestampDelta: 123 });
    const { buffer } = await kafkajsRecordBatch({ firstOffset: '7', firstTimestamp: 1700000000000, records: [record] });
    const decoded = (await fastRecordBatchDecoder({ buffer, offset: 0 })).records;
    expect(decoded[0]).toBeInstanceOf(FetchedRecord);
    let seen: IncomingRecord[] = [];
    await deliverTo(async (records) => void (seen = records), decoded as unknown as typeof messages);
    const [fetched] = seen;
    expect({ offset: fetched!.offset, key: fetched!.key, value: fetched!.value?.toString(), timestamp: fetched!.timestamp }).toEqual({ offset: '7', key: 'user-1', value: '{"a":1}', timestamp: 1700000000123 });
    expect([fetched!.header('task-id'), fetched!.header('twice'), fetched!.header('traceparent')]).toEqual(['t-1', 'first', undefined]);
    expect(fetched!.headers).toEqual({ 'task-id': 't-1', twice: 'first' });
  });

  it('when batches of a partition arrive, then joinedAtOffset is the high watermark of its first batch since the last group join (none that is not a number: every record may repeat)', async () => {
    const fake = fakeKafka();
    const seen: number[] = [];
    const consumer = createBatchConsumer({ kafka: fake.kafka, groupId: 'g', topics: ['tasks'], logger: createLogger('test', 'silent') });
    await consumer.start(async (_records, controls) => void seen.push(controls.joinedAtOffset));
    const deliver = (partition: number, highWatermark: string) =>
      fake.eachBatch({
        batch: { topic: 'tasks', partition, highWatermark, messages, isEmpty: () => false, firstOffset: () => '7', lastOffset: () => '8' },
        resolveOffset: () => {},
        ...commitControls([]),
        isStale: () => false,
      });
    fake.emit('join');
    await deliver(3, '10');
    await deliver(3, '25');
    await deliver(4, '40');
    fake.emit('join');
    await deliver(3, '30');
    await deliver(4, '45');
    fake.emit('join');
    await deliver(3, 'x');
    await deliver(4, '');
    expect(seen).toEqual([10, 10, 40, 30, 45, Infinity, Infinity]);
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

  describe('offset commits', () => {
    const oneBatch = { topic: 'tasks', partition: 3, highWatermark: '10', messages: many, isEmpty: () => false, firstOffset: () => '10', lastOffset: () => '14' };
    async function started(handlerWriting: (log: string[]) => BatchHandler = (log) => async () => void log.push('handled')) {
      const fake = fakeKafka();
      const consumer = createBatchConsumer({ kafka: fake.kafka, groupId: 'g', topics: ['tasks'], logger: createLogger('test', 'silent'), commitIntervalInMs: 250 });
      await consumer.start(handlerWriting(fake.log));
      const deliver = (controls: ReturnType<typeof commitControls>) => fake.eachBatch({ batch: oneBatch, resolveOffset: () => {}, isStale: () => false, ...controls });
      return { fake, consumer, deliver };
    }

    it('when kafkajs runs the consumer, then it does not commit after every batch: commits are ours', async () => {
      const { fake } = await started();
      expect(fake.runConfig()).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false });
    });

    it('when a batch ends while running, then a heartbeat is sent and nothing is committed before the interval', async () => {
      const { fake, deliver } = await started();
      await deliver(commitControls(fake.log));
      expect(fake.log).toEqual(['handled', 'heartbeat']);
    });

    it('when batches end, then what was resolved is committed one interval after the first of them, and again only after another batch', async () => {
      jest.useFakeTimers();
      try {
        const { fake, deliver } = await started();
        await deliver(commitControls(fake.log));
        await jest.advanceTimersByTimeAsync(100);
        await deliver(commitControls(fake.log));
        fake.log.length = 0;
        // Armed by the first batch, not pushed back by the second: one interval after the first.
        await jest.advanceTimersByTimeAsync(149);
        expect(fake.log).toEqual([]);
        await jest.advanceTimersByTimeAsync(1);
        expect(fake.log).toEqual(['commit 9']);
        await jest.advanceTimersByTimeAsync(1000);
        expect(fake.log).toEqual(['commit 9']);
      } finally {
        jest.useRealTimers();
      }
    });

    it('when a batch ends while the consumer stops, then every resolved offset is committed at once', async () => {
      const { fake, deliver } = await started();
      await deliver(commitControls(fake.log, { running: false }));
      expect(fake.log).toEqual(['handled', 'commit 9']);
    });

    it('when the heartbeat reports a rebalance, then resolved offsets are committed before kafkajs hands the partitions on', async () => {
      const { fake, deliver } = await started();
      const rebalancing = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
      const heartbeat = async () => {
        throw rebalancing;
      };
      await expect(deliver(commitControls(fake.log, { heartbeat }))).rejects.toBe(rebalancing);
      expect(fake.log).toEqual(['handled', 'commit 9']);
    });

    it('when the consumer is stopped between batches, then resolved offsets are committed before it leaves the group', async () => {
      const { fake, consumer, deliver } = await started();
      await deliver(commitControls(fake.log));
      fake.log.length = 0;
      await consumer.stop();
      expect(fake.log).toEqual(['commit 9', 'disconnect']);
    });

    it('when a batch ends while stop() is committing, then it commits as a stopping batch and arms no timer', async () => {
      jest.useFakeTimers();
      try {
        const { fake, consumer, deliver } = await started();
        await deliver(commitControls(fake.log));
        fake.log.length = 0;
        const stopped = consumer.stop();
        // kafkajs has not yet marked itself stopped: isRunning() still says true.
        await deliver(commitControls(fake.log));
        await stopped;
        await jest.advanceTimersByTimeAsync(1000);
        expect(fake.log).toEqual(['commit 9', 'handled', 'commit 9', 'disconnect']);
      } finally {
        jest.useRealTimers();
      }
    });

    it('when the handler fails, then what was finished before is committed and the error goes on to kafkajs', async () => {
      const failure = new Error('redis down');
      const { fake, deliver } = await started((log) => async () => {
        log.push('handled');
        throw failure;
      });
      await expect(deliver(commitControls(fake.log))).rejects.toBe(failure);
      expect(fake.log).toEqual(['handled', 'commit 9']);
    });

    it('when kafkajs announces a rebalance, then resolved offsets are committed before it rejoins', async () => {
      const { fake, deliver } = await started();
      await deliver(commitControls(fake.log));
      fake.log.length = 0;
      fake.emit('rebalancing');
      await new Promise((resolve) => setImmediate(resolve));
      expect(fake.log).toEqual(['commit 9']);
    });

    it('when the consumer crashed, then nothing is committed through the group kafkajs has dropped', async () => {
      const { fake, deliver } = await started();
      await deliver(commitControls(fake.log));
      fake.log.length = 0;
      fake.emit('crash', { payload: { error: new Error('boom'), restart: true } });
      fake.emit('rebalancing');
      await new Promise((resolve) => setImmediate(resolve));
      expect(fake.log).toEqual([]);
    });

    it('when stopped before any batch arrived, then it just leaves the group', async () => {
      const { fake, consumer } = await started();
      await consumer.stop();
      expect(fake.log).toEqual(['disconnect']);
    });
  });
});
