/**
 * Kafka clients compared on the local broker (issue 6, "client choice by
 * measurement"): the same records produced (acks=all, idempotent, one batch at a
 * time, as the bridge sends) and consumed back from a fresh group, per client.
 * Each client runs in a process of its own, in turn, round after round, each
 * round on a new 16-partition topic, with the services' heap settings. Prints
 * records/s (wall) and µs of CPU per record of the client's process (GC and
 * client threads included; the broker's CPU is not counted), the median of the
 * rounds with their range, and peak RSS.
 * Not a test: numbers depend on the machine and on what else runs on it.
 *
 *   make up   # or deploy/local/stack.sh up: the broker on 127.0.0.1:9092
 *   npx tsc -b && node libs/kafka/bench/client-compare.js [records=300000] [recordsPerBatch=2000] [rounds=3]
 *
 * Records look like the bridge's: a task id key, a ~255 B JSON envelope value,
 * task-id and task-type headers (no traceparent: 99% of tasks at 1% sampling).
 */
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { CLIENTS } = require('./kafka-clients');

const BROKER = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0];
const PARTITIONS = 16;
const DISTINCT_BATCHES = 10;
// The heap the local bridge and consumer run with (deploy/local/services.sh): without a cap V8 lets garbage pile
// up for hundreds of MiB and peak RSS says little about the client.
const NODE_HEAP_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=8'];

function record(i) {
  const id = `0190f5a2-7c4e-7b1d-9a3f-${String(i).padStart(12, '0')}`;
  const value = JSON.stringify({ id, type: 'noop', key: id, attempt: 1, payload: { n: i, note: 'x'.repeat(90) }, createdAt: 1_700_000_000_000 + i });
  return { key: id, value, headers: { 'task-id': id, 'task-type': 'noop' } };
}

/**
 * The batches to send, built before the clock starts so every client is timed on its own work. The first
 * `DISTINCT_BATCHES` are built and then sent again in turn (as new records), so peak RSS is mostly the client's.
 */
function batchesOf(count, perBatch) {
  const batches = [];
  for (let first = 0; first < count; first += perBatch) {
    const size = Math.min(perBatch, count - first);
    const again = batches.length >= DISTINCT_BATCHES ? batches[batches.length % DISTINCT_BATCHES] : undefined;
    batches.push(again?.length === size ? again : Array.from({ length: size }, (_, i) => record(first + i)));
  }
  return batches;
}

/** Child process: one client, one topic, produce then consume; one JSON line out. */
async function runChild(clientName, topic, count, perBatch) {
  const client = CLIENTS[clientName].create(BROKER);
  const batches = batchesOf(count, perBatch);
  const valueBytes = batches.reduce((sum, batch) => sum + batch.reduce((bytes, r) => bytes + Buffer.byteLength(r.value), 0), 0);
  const produced = await client.produce(topic, batches);
  const consumed = await client.consume(topic, count);
  // The check that keeps the comparison honest: every record came back whole.
  if (consumed.records !== count || consumed.valueBytes !== valueBytes) {
    throw new Error(`${clientName} read ${consumed.records} records / ${consumed.valueBytes} B, expected ${count} / ${valueBytes}`);
  }
  const peakRssKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
  console.log(JSON.stringify({ produce: produced, consume: { wallMs: consumed.wallMs, cpuMs: consumed.cpuMs }, peakRssMiB: peakRssKiB / 1024 }));
}

/** Whether a client's package loads here; one that does not is skipped, with the reason. */
function loads(name) {
  const { module } = CLIENTS[name];
  try {
    require.resolve(module);
  } catch {
    console.log(`skipping ${name}: not installed`);
    return false;
  }
  try {
    require(module);
    return true;
  } catch (err) {
    console.log(`skipping ${name}: it does not load (${err.message.split('\n')[0]})`);
    return false;
  }
}

async function withAdmin(use) {
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({ brokers: [BROKER], clientId: 'client-compare', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

function runRound(clientName, round, count, perBatch) {
  const topic = `client-compare-${Date.now()}-${round}`;
  return withAdmin(async (admin) => {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    try {
      const args = [...NODE_HEAP_FLAGS, __filename, '--child', clientName, topic, String(count), String(perBatch)];
      const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      return JSON.parse(out.trim().split('\n').pop());
    } finally {
      await admin.deleteTopics({ topics: [topic] });
    }
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const whole = (n) => Math.round(n).toLocaleString('en');

/** "median (min–max)" of a figure over the rounds. */
function spread(values, format) {
  const sorted = [...values].sort((a, b) => a - b);
  return `${format(median(values))} (${format(sorted[0])}–${format(sorted[sorted.length - 1])})`;
}

function printTable(results, count) {
  const rows = [['client', 'produce records/s', 'produce µs CPU/record', 'consume records/s', 'consume µs CPU/record', 'peak RSS MiB']];
  for (const [name, runs] of Object.entries(results)) {
    const rate = (phase) => runs.map((run) => (count / run[phase].wallMs) * 1000);
    const cpu = (phase) => runs.map((run) => (run[phase].cpuMs * 1000) / count);
    const oneDecimal = (n) => n.toFixed(1);
    rows.push([name, spread(rate('produce'), whole), spread(cpu('produce'), oneDecimal), spread(rate('consume'), whole), spread(cpu('consume'), oneDecimal), whole(Math.max(...runs.map((run) => run.peakRssMiB)))]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
}

async function main() {
  const [count = 300_000, perBatch = 2_000, rounds = 3] = process.argv.slice(2).map(Number);
  const names = Object.keys(CLIENTS).filter(loads);
  console.log(`${count.toLocaleString('en')} records in batches of ${perBatch.toLocaleString('en')}, ${PARTITIONS} partitions, ${rounds} rounds, broker ${BROKER}: ${names.join(', ')}`);
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // Each round starts with the next client, so no client always runs first on a cold broker.
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length];
      results[name].push(await runRound(name, round, count, perBatch));
      process.stdout.write('.');
    }
  }
  console.log('\n(median of the rounds, their range in brackets; CPU is the client process only)');
  printTable(results, count);
}

const [mode, ...childArgs] = process.argv.slice(2);
const run = mode === '--child' ? () => runChild(childArgs[0], childArgs[1], Number(childArgs[2]), Number(childArgs[3])) : main;
run().catch((err) => {
  console.error(err);
  process.exit(1);
});
