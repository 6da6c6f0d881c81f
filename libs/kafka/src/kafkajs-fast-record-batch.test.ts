import { fastRecord, fastRecordBatch } from './kafkajs-fast-record-batch';
import {
  encodeOutcome,
  GZIP,
  loadProduceRequest,
  printedWithBuild,
  Long,
  randomSource,
  RECORD_BATCH_PATH,
  RECORD_PATH,
  sampleMessages,
  sampleProduceRequest,
  type Headers,
  type Random,
} from './kafkajs-samples.test-helpers';
import { PlannedRecord, type RecordArgs } from './planned-record';
import type { RecordBatchOptions } from './record-batch-writer';

// Jest keeps its own module registry, so requiring these paths here gives kafkajs's originals.
type Encoded = { buffer: Buffer };
const originalRecord = require(RECORD_PATH) as (args: RecordArgs) => unknown;
const originalRecordBatch = (require(RECORD_BATCH_PATH) as { RecordBatch(options: RecordBatchOptions): Promise<Encoded> }).RecordBatch;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  records: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]>; offset: string; timestamp: string }[];
}>;
const TIMESTAMP_DELTAS = [0, 1, -1, 63, 64, -65, 300, 2 ** 31, -(2 ** 31) - 5, 2 ** 40 + 3, -(2 ** 45), 2 ** 52 - 1, -(2 ** 52 - 1)];

function sampleBatchOptions(r: Random, recordCount: number): RecordBatchOptions {
  const firstTimestamp = 1_700_000_000_000 + r.int(1000);
  return {
    compression: r.pick([undefined, 0]),
    firstOffset: r.pick([undefined, 0, Long.fromValue('123456789012'), '42']),
    firstTimestamp: r.pick([firstTimestamp, String(firstTimestamp)]),
    maxTimestamp: firstTimestamp + r.int(1000),
    partitionLeaderEpoch: r.pick([undefined, 0, 7]),
    lastOffsetDelta: recordCount - 1,
    transactional: r.int(2) === 1,
    producerId: r.pick([undefined, Long.fromValue(-1), Long.fromValue('9007199254740993'), 4242]),
    producerEpoch: r.int(2 ** 15),
    firstSequence: r.int(2 ** 31),
  };
}

async function encodeBothWays(options: RecordBatchOptions, argsList: RecordArgs[]) {
  const fast = argsList.map(fastRecord);
  const expected = await originalRecordBatch({ ...options, records: argsList.map(originalRecord) });
  const actual = await fastRecordBatch({ ...options, records: fast });
  return { expected: expected.buffer, actual: actual.buffer, allPlanned: fast.every((record) => record instanceof PlannedRecord) };
}

describe('fast kafkajs record batch encoding', () => {
  it('when generated uncompressed batches are encoded, then the bytes equal kafkajs 2.2.4 and the fast path encoded them', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = randomSource(seed);
      const messages = sampleMessages(r);
      const argsList = messages.map((message, i) => ({ ...message, offsetDelta: i, timestampDelta: r.pick(TIMESTAMP_DELTAS) }));
      const { expected, actual, allPlanned } = await encodeBothWays(sampleBatchOptions(r, messages.length), argsList);
      expect({ seed, allPlanned, equal: actual.equals(expected) }).toEqual({ seed, allPlanned: true, equal: true });
    }
  });

  it('when a batch has no records, then the bytes equal kafkajs 2.2.4', async () => {
    const { expected, actual } = await encodeBothWays({ firstTimestamp: 1, maxTimestamp: 1 }, []);
    expect(actual).toEqual(expected);
  });

  it('when a record has inputs kafkajs converts its own way, then kafkajs encodes it and the bytes still match', async () => {
    const unusual = [{ timestampDelta: 2 ** 60 }, { timestampDelta: NaN }, { timestampDelta: Long.fromValue(5) }, { headers: 'ab' }];
    const argsList = [{ key: 'plain', value: 'record' }, ...unusual].map((args, i) => ({ ...args, offsetDelta: i }));
    const { expected, actual, allPlanned } = await encodeBothWays({ firstTimestamp: 1, maxTimestamp: 2 }, argsList);
    expect(allPlanned).toBe(false);
    expect(actual).toEqual(expected);
  });

  it('when a header array has holes, then they are skipped as kafkajs skips them', async () => {
    const { expected, actual, allPlanned } = await encodeBothWays({ firstTimestamp: 1, maxTimestamp: 1 }, [{ key: 'k', headers: { a: [, 'b', , 'c'] } }]);
    expect(allPlanned).toBe(true);
    expect(actual).toEqual(expected);
  });

  it('when a header value is null, then it throws as kafkajs does', () => {
    const args = { key: 'k', value: 'v', headers: { broken: null } };
    // Matched by message: Node's TypeError is not the one of Jest's sandbox.
    expect(() => originalRecord(args)).toThrow('argument must be of type string or an instance of Buffer');
    expect(() => fastRecord(args)).toThrow('argument must be of type string or an instance of Buffer');
  });

  it('when the batch is GZIP-compressed, then kafkajs compresses it and the bytes match', async () => {
    const r = randomSource(42);
    const argsList = sampleMessages(r).map((message, i) => ({ ...message, offsetDelta: i, timestampDelta: i }));
    const { expected, actual } = await encodeBothWays({ compression: GZIP, firstTimestamp: 1, maxTimestamp: 2 }, argsList);
    expect(actual).toEqual(expected);
  });

  it('when kafkajs decodes the fast bytes, then keys, values, headers, offsets and timestamps come back', async () => {
    const r = randomSource(7);
    const messages = sampleMessages(r);
    const argsList = messages.map((message, i) => ({ ...message, offsetDelta: i, timestampDelta: i * 10 }));
    const encoded = await fastRecordBatch({ firstOffset: 100, firstTimestamp: 5000, maxTimestamp: 9000, records: argsList.map(fastRecord) });
    const { records } = await decodeRecordBatch(new Decoder(encoded.buffer));
    expect(records.map(({ key, value, headers, offset, timestamp }) => ({ key, value, headers, offset, timestamp }))).toEqual(
      messages.map((message, i) => ({
        key: asBytes(message.key),
        value: asBytes(message.value),
        headers: decodedHeaders(message.headers ?? {}),
        offset: String(100 + i),
        timestamp: String(5000 + i * 10),
      })),
    );
  });
});

const asBytes = (value: string | Buffer | null | undefined) => (value == null ? null : Buffer.from(value));

/** What kafkajs's decoder makes of `headers`: one value, or an array when a key repeats. */
function decodedHeaders(headers: Headers): Record<string, Buffer | Buffer[]> {
  const decoded: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const values = (Array.isArray(value) ? value : [value]).map((item) => Buffer.from(item));
    if (values.length > 0) decoded[name] = values.length === 1 ? values[0]! : values;
  }
  return decoded;
}

describe('fast record batches in kafkajs produce requests', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_700_000_050_000));
  afterEach(() => jest.restoreAllMocks());

  it.each([3, 7])('when produce requests v%i are encoded, uncompressed or GZIP, then the bytes equal kafkajs 2.2.4', async (version) => {
    const original = loadProduceRequest(version, { recordBatch: false, produceRequest: false });
    const fast = loadProduceRequest(version, { recordBatch: true, produceRequest: false });
    for (let seed = 1; seed <= 40; seed++) {
      const options = sampleProduceRequest(randomSource(seed), seed % 10 === 0 ? GZIP : 0);
      const [expected, actual] = await Promise.all([encodeOutcome(original(options)), encodeOutcome(fast(options))]);
      expect({ seed, ...actual }).toEqual({ seed, ...expected });
    }
  });

  it('when the built library is loaded in plain Node, then kafkajs loads the fast record batch modules', () => {
    const script = `
      const names = ['recordBatch/record/v0', 'recordBatch/v0'].map((path) => require('kafkajs/src/protocol/' + path));
      console.log(names[0].name, names[1].RecordBatch.name, names[1].MAGIC_BYTE)`;
    expect(printedWithBuild(script)).toBe('fastRecord fastRecordBatch 2');
  });
});
