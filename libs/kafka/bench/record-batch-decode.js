/**
 * Micro-benchmark: kafkajs 2.2.4 decoding fetched record batches (uncompressed,
 * as `fetch/v4/decodeMessages.js` calls the batch decoder) with its own module,
 * then with `kafkajs-fast-record-decoder`. Prints records per CPU-second for each,
 * GC threads included. Not a test: numbers depend on the machine and what else runs on it.
 *
 *   npx tsc -b && node libs/kafka/bench/record-batch-decode.js [fetches=200] [recordsPerBatch=1000] [headers=1]
 *
 * Records look like the bridge's: a task id key, a ~300 B JSON envelope value,
 * a traceparent header (plus task-id and task-type with headers=3); 16 batches per fetch.
 */
const [fetches = 200, recordsPerBatch = 1000, headerCount = 1] = process.argv.slice(2).map(Number);
const BATCHES_PER_FETCH = 16;
const ROUNDS = 3;
const DECODER_PATH = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder');
const Decoder = require('kafkajs/src/protocol/decoder');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');

function record(i) {
  const id = `0190f5a2-7c4e-7b1d-9a3f-${String(i).padStart(12, '0')}`;
  const headers = { traceparent: `00-4bf92f3577b34da6a3ce929d0e0e${String(i % 10000).padStart(4, '0')}-00f067aa0ba902b7-01` };
  if (headerCount >= 3) Object.assign(headers, { 'task-id': id, 'task-type': 'echo' });
  const value = JSON.stringify({ id, type: 'echo', key: `key-${i % 500}`, attempt: 1, payload: 'x'.repeat(180), createdAt: 1_700_000_000_000 + i });
  // A producer stamps a batch within a few milliseconds.
  return Record({ key: `key-${i % 500}`, value, headers, offsetDelta: i, timestampDelta: Math.floor(i / 250) });
}

async function fetchedBuffer() {
  const records = Array.from({ length: recordsPerBatch }, (_, i) => record(i));
  const batches = [];
  for (let b = 0; b < BATCHES_PER_FETCH; b++) {
    batches.push((await RecordBatch({ firstOffset: String(b * 1_000_000), firstTimestamp: 1_700_000_000_000, records, lastOffsetDelta: recordsPerBatch - 1 })).buffer);
  }
  return Buffer.concat(batches);
}

/** Decodes the buffer as decodeMessages does; returns the records decoded. */
async function decodeFetch(decode, buffer) {
  const decoder = new Decoder(buffer);
  let records = 0;
  while (decoder.canReadBytes(49)) records += (await decode(decoder)).records.length;
  return records;
}

async function measure(decode, buffer) {
  const cpuStart = process.cpuUsage();
  let records = 0;
  for (let i = 0; i < fetches; i++) records += await decodeFetch(decode, buffer);
  const cpu = process.cpuUsage(cpuStart);
  return records / ((cpu.user + cpu.system) / 1e6);
}

async function main() {
  const buffer = await fetchedBuffer();
  const kafkajs = require(DECODER_PATH);
  const { fastRecordBatchDecoder } = require('../dist/kafkajs-fast-record-decoder');
  if (JSON.stringify(await kafkajs(new Decoder(buffer))) !== JSON.stringify(await fastRecordBatchDecoder(new Decoder(buffer)))) {
    throw new Error('the fast decoder differs from kafkajs');
  }
  console.log(`${fetches} fetches of ${BATCHES_PER_FETCH} batches x ${recordsPerBatch} records, ${headerCount} header(s), records per CPU-second:`);
  for (let round = 1; round <= ROUNDS; round++) {
    const original = await measure(kafkajs, buffer);
    const fast = await measure(fastRecordBatchDecoder, buffer);
    const format = (rate) => `${Math.round(rate).toLocaleString('en')}`.padStart(11);
    console.log(`round ${round}: kafkajs ${format(original)}   fast ${format(fast)}   ${(fast / original).toFixed(1)}x`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
