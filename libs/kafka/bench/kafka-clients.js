/**
 * The Kafka clients `client-compare.js` measures, each behind the same two calls:
 * `produce(topic, batches)` sends each batch with acks=all from an idempotent
 * producer and waits for it before the next (as the bridge does), and
 * `consume(topic, expected)` reads the topic from the start with a fresh group
 * until `expected` records arrived, returning their count and value bytes.
 * Each client gets the cheapest form of its own API: no per-record work beyond
 * counting, and no commits but `BatchConsumer`'s own (once an interval and at
 * stop, as the consumer service runs it).
 */
const { join } = require('node:path');

const GROUP = () => `client-compare-${process.pid}-${Date.now()}`;
// The consumer service's fetch bounds (CONSUMER_FETCH_MAX_BYTES_PER_PARTITION, CONSUMER_FETCH_MAX_BYTES), for every client.
const FETCH = { maxBytesPerPartition: 512 * 1024, maxBytes: 4 * 1024 * 1024 };

/**
 * Counts what a consumer reads: `add` is called once per record with its value's length. The clock runs from
 * the first record to the `expected`-th, when `finished` resolves. `report()` is read once the consumer has
 * closed, so records that came after the expected ones (a redelivery) are counted too and fail the check.
 */
function arrivals(expected) {
  const seen = { records: 0, valueBytes: 0 };
  let clock;
  let used;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const add = (valueLength) => {
    clock ??= startClock();
    seen.records++;
    seen.valueBytes += valueLength;
    if (seen.records === expected) {
      used = clock();
      done();
    }
  };
  return { add, finished, report: () => ({ ...used, ...seen }) };
}

const quietLogger = { child: () => quietLogger, error() {}, warn() {}, info() {}, debug() {} };

/** kafkajs as the services use it: the module-cache replacements, `TaskPublisher` and `BatchConsumer`. */
function kafkajsTaskstream(broker) {
  const lib = require(join(__dirname, '..', 'dist'));
  const kafka = lib.createKafka({ brokers: [broker], clientId: 'client-compare', logger: quietLogger });
  return {
    async produce(topic, batches) {
      const publisher = lib.createKafkajsPublisher({ kafka });
      await publisher.connect();
      const used = await timeSends(batches, (batch) => publisher.publish(batch.map((record) => ({ topic, ...record }))));
      await publisher.disconnect();
      return used;
    },
    async consume(topic, expected) {
      const consumer = lib.createBatchConsumer({ kafka, groupId: GROUP(), topics: [topic], logger: quietLogger, partitionsConsumedConcurrently: 16, ...FETCH });
      const { add, finished, report } = arrivals(expected);
      await consumer.start(async (records, controls) => {
        for (const record of records) add(record.value.length);
        // Unresolved records are fetched again: the processor resolves what it has done.
        controls.resolveOffset(records[records.length - 1].offset);
      });
      await finished;
      await consumer.stop();
      return report();
    },
  };
}

/** kafkajs 2.2.4 as published, nothing replaced (must run in a process that never loaded `dist`). */
function kafkajsStock(broker) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({ brokers: [broker], clientId: 'client-compare', logLevel: logLevel.NOTHING });
  return {
    async produce(topic, batches) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const used = await timeSends(batches, (messages) => producer.sendBatch({ topicMessages: [{ topic, messages }], acks: -1 }));
      await producer.disconnect();
      return used;
    },
    async consume(topic, expected) {
      const consumer = kafka.consumer({ groupId: GROUP(), ...FETCH });
      return countWithEachBatch(consumer, { topics: [topic], fromBeginning: true }, expected, { autoCommit: false });
    },
  };
}

/** @platformatic/kafka 1.x (2.x needs Node 22): its producer, and its consumer's message stream with Buffer values. */
function platformatic(broker) {
  const { Producer, Consumer, stringSerializers } = require('@platformatic/kafka');
  return {
    async produce(topic, batches) {
      const producer = new Producer({ clientId: 'client-compare', bootstrapBrokers: [broker], serializers: stringSerializers, idempotent: true, acks: -1 });
      await producer.metadata({ topics: [topic] });
      const used = await timeSends(batches, (batch) => producer.send({ messages: batch.map((record) => ({ topic, ...record })) }));
      await producer.close();
      return used;
    },
    async consume(topic, expected) {
      const consumer = new Consumer({ groupId: GROUP(), clientId: 'client-compare', bootstrapBrokers: [broker], ...FETCH });
      // A deeper stream buffer than the default 1,024 messages: ~10% less CPU per record here.
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, highWaterMark: 16_384 });
      const { add, finished, report } = arrivals(expected);
      stream.on('data', (message) => add(message.value.length));
      await finished;
      await stream.close();
      await consumer.close(true);
      return report();
    },
  };
}

/**
 * @confluentinc/kafka-javascript (librdkafka underneath) through its KafkaJS-like API. Not in the lock file: its
 * install compiles librdkafka (~4 min here; the prebuilt download is not reachable), so install it by hand to
 * include it: `CKJS_LINKING=dynamic npm i --no-save @confluentinc/kafka-javascript` (dynamic = the system's
 * libssl and zlib instead of sources its static build downloads).
 */
function confluent(broker) {
  const { Kafka, logLevel } = require('@confluentinc/kafka-javascript').KafkaJS;
  const kafka = new Kafka({ kafkaJS: { brokers: [broker], clientId: 'client-compare', logLevel: logLevel.NOTHING } });
  return {
    async produce(topic, batches) {
      const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
      await producer.connect();
      // It rewrites the headers of the messages it is given, and the bench sends the same objects again: copies.
      const copy = ({ key, value, headers }) => ({ key, value, headers: { ...headers } });
      const used = await timeSends(batches, (batch) => producer.send({ topic, messages: batch.map(copy) }));
      await producer.disconnect();
      return used;
    },
    async consume(topic, expected) {
      const consumer = kafka.consumer({
        kafkaJS: { groupId: GROUP(), fromBeginning: true, autoCommit: false },
        // The fetch bounds the other consumers get, and librdkafka's prefetch queue bounded alike: at its default
        // (64 MiB) this consumer ran out of the services' 128 MiB heap on a 300,000-record backlog.
        'fetch.max.bytes': FETCH.maxBytes,
        'max.partition.fetch.bytes': FETCH.maxBytesPerPartition,
        'queued.max.messages.kbytes': FETCH.maxBytes / 1024,
        // -1: batches as large as the fetched messages allow (the default is 32 messages).
        'js.consumer.max.batch.size': -1,
      });
      return countWithEachBatch(consumer, { topics: [topic] }, expected, {});
    },
  };
}

/** Reads with a kafkajs-style consumer (kafkajs, or Confluent's KafkaJS API) whose `eachBatch` counts the records. */
async function countWithEachBatch(consumer, subscription, expected, runOptions) {
  await consumer.connect();
  await consumer.subscribe(subscription);
  const { add, finished, report } = arrivals(expected);
  await consumer.run({
    ...runOptions,
    partitionsConsumedConcurrently: 16,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) add(message.value.length);
    },
  });
  await finished;
  await consumer.disconnect();
  return report();
}

/** Sends the batches one after the other, each awaited; returns the time they took. */
async function timeSends(batches, send) {
  const started = startClock();
  for (const batch of batches) await send(batch);
  return started();
}

/** Wall and CPU time (this process, GC threads included) since the call, read when the returned function is. */
function startClock() {
  const [wallStart, cpuStart] = [performance.now(), process.cpuUsage()];
  return () => {
    const cpu = process.cpuUsage(cpuStart);
    return { wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
}

const CLIENTS = {
  'kafkajs+taskstream': { create: kafkajsTaskstream, module: 'kafkajs' },
  kafkajs: { create: kafkajsStock, module: 'kafkajs' },
  '@platformatic/kafka': { create: platformatic, module: '@platformatic/kafka' },
  '@confluentinc/kafka-javascript': { create: confluent, module: '@confluentinc/kafka-javascript' },
};

module.exports = { CLIENTS };
