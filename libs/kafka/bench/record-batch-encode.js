/**
 * Micro-benchmark: kafkajs 2.2.4 encoding produce requests (v7, one partition,
 * uncompressed) with its own modules, then with `kafkajs-fast-record-batch`
 * installed, then with `kafkajs-fast-produce-request` as well (the whole
 * produce request path as the library installs it). Prints records/s for each.
 * Not a test: numbers depend on the machine and what else runs on it.
 *
 *   npx tsc -b && node libs/kafka/bench/record-batch-encode.js [batches=200] [recordsPerBatch=1000] [headers=1]
 *
 * Records look like the bridge's: a task id key, a ~300 B JSON envelope
 * value, and a traceparent header (plus task-id and task-type with headers=3).
 */
const { join } = require('node:path');

const [batches = 200, recordsPerBatch = 1000, headerCount = 1] = process.argv.slice(2).map(Number);
const ROUNDS = 3;
const PRODUCE_REQUESTS = [3, 4, 5, 6, 7].map((version) => require.resolve(`kafkajs/src/protocol/requests/produce/v${version}/request`));

/** The v7 produce request module as it loads now; dropped from the cache so the next load sees the modules installed since. */
function loadProduceRequest() {
  const request = require(PRODUCE_REQUESTS[4]);
  for (const path of PRODUCE_REQUESTS) delete require.cache[path];
  return request;
}

function message(i) {
  const id = `0190f5a2-7c4e-7b1d-9a3f-${String(i).padStart(12, '0')}`;
  const headers = { traceparent: `00-4bf92f3577b34da6a3ce929d0e0e${String(i % 10000).padStart(4, '0')}-00f067aa0ba902b7-01` };
  if (headerCount >= 3) Object.assign(headers, { 'task-id': id, 'task-type': 'echo' });
  const payload = 'x'.repeat(180);
  const value = JSON.stringify({ id, type: 'echo', key: `key-${i % 500}`, attempt: 1, payload, createdAt: 1_700_000_000_000 + i });
  return { key: `key-${i % 500}`, value, headers };
}

const messages = Array.from({ length: recordsPerBatch }, (_, i) => message(i));
const options = {
  acks: -1,
  timeout: 30_000,
  producerId: require('kafkajs/src/utils/long').fromValue(4242),
  producerEpoch: 0,
  topicData: [{ topic: 'tasks', partitions: [{ partition: 0, firstSequence: 0, messages }] }],
};

/** Records per second of wall time and per second of this process's CPU time (GC threads included). */
async function measure(request) {
  const [wallStart, cpuStart] = [process.hrtime.bigint(), process.cpuUsage()];
  for (let i = 0; i < batches; i++) await request(options).encode();
  const cpu = process.cpuUsage(cpuStart);
  const records = batches * recordsPerBatch;
  return { wall: records / (Number(process.hrtime.bigint() - wallStart) / 1e9), cpu: records / ((cpu.user + cpu.system) / 1e6) };
}

const format = (rate) => `${Math.round(rate).toLocaleString('en')}`.padStart(9);

/** Guards the comparison: all must encode the same bytes (at a fixed clock, since unset timestamps are "now"). */
async function sameBytes(kafkajs, ...fast) {
  const now = Date.now;
  Date.now = () => 1_700_000_000_000;
  try {
    const expected = await kafkajs(options).encode();
    for (const request of fast) {
      if (!(await request(options).encode()).buffer.equals(expected.buffer)) throw new Error('a fast encoding differs from kafkajs');
    }
  } finally {
    Date.now = now;
  }
}

async function main() {
  const kafkajs = loadProduceRequest();
  require(join(__dirname, '..', 'dist', 'kafkajs-fast-record-batch'));
  const fastBatch = loadProduceRequest();
  require(join(__dirname, '..', 'dist', 'kafkajs-fast-produce-request'));
  const fast = loadProduceRequest();
  await sameBytes(kafkajs, fastBatch, fast);

  console.log(`${batches} produce requests of ${recordsPerBatch} records (${messages[0].value.length} B values, ${headerCount} header(s)), best of ${ROUNDS}:`);
  // CPU time is the steadier figure on a shared machine; wall time is what a lone process would see.
  for (const [name, request] of [['kafkajs', kafkajs], ['batch', fastBatch], ['fast', fast]]) {
    await measure(request); // warm-up
    let best = { wall: 0, cpu: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const { wall, cpu } = await measure(request);
      best = { wall: Math.max(best.wall, wall), cpu: Math.max(best.cpu, cpu) };
    }
    console.log(`  ${name.padEnd(8)} ${format(best.wall)} records/s (wall) ${format(best.cpu)} records per CPU-second`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
