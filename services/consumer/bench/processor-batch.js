/**
 * Micro-benchmark: the consumer's CPU per task on no-op records, through the
 * real batch consumer adapter (`createBatchConsumer`'s eachBatch over a fake
 * kafkajs consumer) and the real `createTaskProcessor`, metrics and bulkhead,
 * with in-memory status store and publisher. Prints µs of CPU per task and
 * tasks per CPU-second. Not a test: numbers depend on the machine and what
 * else runs on it (run it under `nice -n 19` beside other work).
 *
 *   npx tsc -b && node services/consumer/bench/processor-batch.js [batches=25] [recordsPerBatch=2000] [keysPerBatch=800] [partitions=4]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof services/consumer/bench/processor-batch.js
 *
 * The local services run with NODE_OPTIONS="--max-old-space-size=128
 * --max-semi-space-size=8" (deploy/local/services.sh); with them, the GC's
 * share is closer to the service's.
 *
 * Records look like the bridge's: value = envelope JSON, key = task key,
 * headers task-first-send, task-id and task-type, no traceparent (an unsampled
 * task), written after the consumer joined (the batches' high watermark is
 * their first offset), so no finished-check is made, as in the pipeline. Messages
 * are shaped as kafkajs 2.2.4's record decoder returns them (Buffer key, value
 * and header values, string offset and timestamp); `isStale` goes through
 * kafkajs's SeekOffsets, as the runner's does.
 */
const { randomUUID } = require('node:crypto');
const { topicNames } = require('@taskstream/contract');
const { createBatchConsumer } = require('@taskstream/kafka');
// After @taskstream/kafka, which may install its own version in the module cache (as in the service).
const SeekOffsets = require('kafkajs/src/consumer/seekOffsets');
const { createLogger, createMetricsRegistry } = require('@taskstream/telemetry');
const { createTaskProcessor } = require('../dist/processor');
const { createConsumerMetrics } = require('../dist/metrics');
const { Bulkhead } = require('../dist/bulkhead');
const { basicHandlers } = require('../dist/handlers/basic');

const [batches = 25, recordsPerBatch = 2000, keysPerBatch = 800, partitions = 4] = process.argv.slice(2).map(Number);
const ROUNDS = 5;
const TOPIC = 'tasks';

function messagesOf(partition) {
  const createdAt = Date.now();
  return Array.from({ length: recordsPerBatch }, (_, i) => {
    const id = randomUUID();
    const key = `k-${partition}-${i % keysPerBatch}`;
    const value = JSON.stringify({ id, type: 'noop', key, payload: null, createdAt, attempt: 1 });
    return {
      magicByte: 2,
      attributes: 0,
      timestamp: String(createdAt + 3),
      offset: String(1_000_000 + i),
      key: Buffer.from(key),
      value: Buffer.from(value),
      headers: { 'task-first-send': Buffer.from('1'), 'task-id': Buffer.from(id), 'task-type': Buffer.from('noop') },
      isControlRecord: false,
    };
  });
}

/** A kafkajs `Batch` as eachBatch sees it (the parts the adapter reads). */
function batchOf(partition, messages) {
  return {
    topic: TOPIC,
    partition,
    // The partition's end when the consumer joined (the adapter keeps the first batch's): these records came later.
    highWatermark: String(1_000_000),
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0].offset,
    lastOffset: () => messages[messages.length - 1].offset,
  };
}

/** Just enough of a kafkajs consumer for createBatchConsumer: `run` hands back its eachBatch. */
function fakeKafka() {
  let eachBatch;
  const consumer = {
    events: { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash', STOP: 'stop' },
    on: () => {},
    connect: async () => {},
    subscribe: async () => {},
    run: async (config) => void (eachBatch = config.eachBatch),
    disconnect: async () => {},
  };
  return { kafka: { consumer: () => consumer }, eachBatch: () => eachBatch };
}

async function main() {
  const logger = createLogger('bench', 'silent');
  const metrics = createConsumerMetrics(createMetricsRegistry('bench'));
  let published = 0;
  let written = 0;
  let checked = 0;
  const statusStore = {
    get: async () => undefined,
    finished: async (ids) => ((checked += ids.length), ids.map(() => false)),
    apply: async (transitions) => ((written += transitions.length), transitions.map(() => true)),
  };
  const publisher = { connect: async () => {}, disconnect: async () => {}, publish: async (records) => void (published += records.length) };
  const processor = createTaskProcessor({
    handlers: basicHandlers,
    statusStore,
    publisher,
    metrics,
    logger,
    topics: topicNames(TOPIC),
    policy: { maxAttempts: 3, retryInitialDelayInMs: 200, retryMaxDelayInMs: 10_000, retryMode: 'in-place', timeoutInMs: () => 60_000 },
    keyConcurrency: 64,
    maxRecordBytes: 1024 * 1024,
    maxResultBytes: 64 * 1024,
    checkpointIntervalInMs: 200,
    bulkhead: new Bulkhead({}),
    publishResults: false,
  });
  const fake = fakeKafka();
  await createBatchConsumer({ kafka: fake.kafka, groupId: 'bench', topics: [TOPIC], logger }).start(processor);
  const eachBatch = fake.eachBatch();
  const seekOffsets = new SeekOffsets();
  const fetched = Array.from({ length: partitions }, (_, p) => batchOf(p, messagesOf(p)));
  let resolved = 0;
  const payloadOf = (batch) => ({
    batch,
    resolveOffset: () => void resolved++,
    heartbeat: async () => {},
    isRunning: () => true,
    isStale: () => seekOffsets.has(batch.topic, batch.partition),
  });

  /** `batches` partition batches, `partitions` of them at once (one fetch's worth, as the runner does). */
  async function measure() {
    const [wallStart, cpuStart] = [process.hrtime.bigint(), process.cpuUsage()];
    for (let done = 0; done < batches; done += partitions) {
      await Promise.all(fetched.slice(0, Math.min(partitions, batches - done)).map((batch) => eachBatch(payloadOf(batch))));
    }
    const cpu = process.cpuUsage(cpuStart);
    const tasks = batches * recordsPerBatch;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { usPerTask: (cpuSeconds * 1e6) / tasks, perCpuSecond: tasks / cpuSeconds, wall: tasks / (Number(process.hrtime.bigint() - wallStart) / 1e9) };
  }

  await measure(); // warm-up: compilation, metric children, first old-space growth
  console.log(`${batches} batches of ${recordsPerBatch} no-op records (${keysPerBatch} keys each, ${partitions} partitions at once), best of ${ROUNDS}:`);
  let best;
  for (let round = 0; round < ROUNDS; round++) {
    const r = await measure();
    console.log(`  round ${round + 1}: ${r.usPerTask.toFixed(2)} µs CPU/task, ${Math.round(r.perCpuSecond).toLocaleString('en')} tasks per CPU-second, ${Math.round(r.wall).toLocaleString('en')} tasks/s wall`);
    if (!best || r.usPerTask < best.usPerTask) best = r;
  }
  console.log(`best: ${best.usPerTask.toFixed(2)} µs CPU/task, ${Math.round(best.perCpuSecond).toLocaleString('en')} tasks per CPU-second`);
  const expected = (ROUNDS + 1) * batches * recordsPerBatch;
  if (written !== expected || published !== 0) throw new Error(`expected ${expected} statuses and no records, got ${written} and ${published}`);
  if (resolved === 0) throw new Error('no offset was resolved');
  if (checked !== 0) throw new Error(`${checked} first sends were checked against the status store`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
