import { FetchedRecord, fastRecordBatchDecoder, type DecodedBatch, type KafkajsDecoder } from './kafkajs-fast-record-decoder';
import { BatchAttributes, RecordBatchLayout as At } from './record-batch-layout';
import { GZIP, kafkajsRecord, kafkajsRecordBatch, printedWithBuild, randomSource, sampleMessages, type Random } from './kafkajs-samples.test-helpers';

// Jest keeps its own module registry, so requiring these paths here gives kafkajs's originals.
const originalDecode = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: KafkajsDecoder) => Promise<DecodedBatch>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkajsDecoder & { canReadBytes(n: number): boolean };

// fetch/v4/decodeMessages.js reads batches while this many bytes are left.
const RECORD_BATCH_OVERHEAD = 49;
// Up to 7 varlong bytes (49 bits) the fast path decodes itself; a longer one, now and then, is left to kafkajs.
const TIMESTAMP_DELTAS = [0, 1, -1, 63, 64, -65, 300, 2 ** 31, -(2 ** 31) - 5, 2 ** 40 + 3, -(2 ** 45), 2 ** 48 - 1, -(2 ** 48)];
const FAR_TIMESTAMP_DELTA = 2 ** 52 - 1;
const FIRST_OFFSETS = ['0', '42', '123456789012', '9007199254740000', '9223372036854775000'];
const FIRST_TIMESTAMPS = [-1, 0, 1_700_000_000_000, 9_007_199_254_740_900];

async function sampleBatch(r: Random, compression = 0): Promise<Buffer> {
  const messages = sampleMessages(r);
  const records = messages.map((message, i) => kafkajsRecord({ ...message, offsetDelta: i * r.pick([1, 1, 1000]), timestampDelta: r.int(200) === 0 ? FAR_TIMESTAMP_DELTA : r.pick(TIMESTAMP_DELTAS) }));
  const firstTimestamp = r.pick(FIRST_TIMESTAMPS);
  const { buffer } = await kafkajsRecordBatch({
    compression,
    records,
    firstOffset: r.pick(FIRST_OFFSETS),
    firstTimestamp,
    maxTimestamp: firstTimestamp + r.int(1000),
    partitionLeaderEpoch: r.int(10),
    lastOffsetDelta: messages.length - 1,
    transactional: r.int(2) === 1,
    producerId: r.pick([-1, 4242, '9007199254740993']),
    producerEpoch: r.int(2 ** 15),
    firstSequence: r.int(2 ** 31),
  });
  // Timestamp type (log append time) and control flags; kafkajs does not check the CRC.
  buffer.writeInt16BE(buffer.readInt16BE(At.ATTRIBUTES_AT) | r.pick([0, 0, BatchAttributes.LOG_APPEND_TIME, BatchAttributes.CONTROL]), At.ATTRIBUTES_AT);
  return buffer;
}

/** What decodeMessages would see: every batch, where each one ended, or the error that stopped it. */
async function decodeAll(decode: (decoder: KafkajsDecoder) => Promise<DecodedBatch>, buffer: Buffer) {
  const decoder = new Decoder(buffer);
  const batches: { batch: DecodedBatch; endedAt: number }[] = [];
  try {
    while (decoder.canReadBytes(RECORD_BATCH_OVERHEAD)) batches.push({ batch: await decode(decoder), endedAt: decoder.offset });
    return { batches };
  } catch (err) {
    return { batches, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** Buffers as hex: one string comparison instead of a deep walk over every byte. */
const printed = (outcome: unknown) => JSON.stringify(outcome, (_, value: unknown) => (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('hex') : value));

async function expectSameAsKafkajs(buffer: Buffer) {
  const expected = await decodeAll(originalDecode, buffer);
  expect(printed(await decodeAll(fastRecordBatchDecoder, buffer))).toBe(printed(expected));
  return expected;
}

/** True when the fast path decoded the batch itself (kafkajs's decoder was not called). */
async function decodedByFastPath(buffer: Buffer): Promise<boolean> {
  let fallback = false;
  await jest.isolateModulesAsync(async () => {
    jest.doMock('kafkajs/src/protocol/recordBatch/v0/decoder', () => async (decoder: KafkajsDecoder) => {
      fallback = true;
      return originalDecode(decoder);
    });
    const { fastRecordBatchDecoder: isolated } = require('./kafkajs-fast-record-decoder') as typeof import('./kafkajs-fast-record-decoder');
    await isolated(new Decoder(buffer));
  });
  return !fallback;
}

describe('fast kafkajs record batch decoding', () => {
  /** kafkajs's headers[name] (or its first element) as text; null or absent is undefined. */
  const kafkajsHeaderText = (headers: Record<string, unknown>, name: string) => {
    const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
    const first = (Array.isArray(value) ? value[0] : value) as Buffer | null | undefined;
    return first == null ? undefined : first.toString();
  };

  it('when one header of a fetched record is read by name, then it is the text of kafkajs\'s first value for that name, with no headers object made', async () => {
    const names = ['traceparent', 'tracestate', 'task-type', 'task-id', 'span-id', 'ключ', '', '7', 'null', 'absent', 'task-i', 'task-idx'];
    let read = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const buffer = await sampleBatch(randomSource(seed));
      const [expected, fast] = [await decodeAll(originalDecode, buffer), await decodeAll(fastRecordBatchDecoder, buffer)];
      fast.batches.forEach(({ batch }, b) =>
        batch.records.forEach((record, i) => {
          if (!(record instanceof FetchedRecord)) return;
          const kafkajsHeaders = expected.batches[b]!.batch.records[i]!.headers;
          for (const name of names) expect({ seed, name, text: record.headerText(name) }).toEqual({ seed, name, text: kafkajsHeaderText(kafkajsHeaders, name) });
          read++;
        }),
      );
    }
    expect(read).toBeGreaterThan(1000);
  });

  it('when a header value is null, then reading it by name gives undefined, as an absent one', async () => {
    // kafkajs cannot write a null header value (other clients can): an empty one, its length byte 0 made -1 (zigzag 1).
    const { buffer } = await kafkajsRecordBatch({ firstTimestamp: 1, records: [kafkajsRecord({ value: 'v', headers: { empty: '', later: 'x' }, offsetDelta: 0, timestampDelta: 0 })] });
    const lengthAt = buffer.indexOf('empty') + 'empty'.length;
    expect(buffer[lengthAt]).toBe(0);
    buffer[lengthAt] = 1;
    const [record] = (await fastRecordBatchDecoder(new Decoder(buffer))).records as FetchedRecord[];
    expect(record).toBeInstanceOf(FetchedRecord);
    expect(record!.headers).toEqual({ empty: null, later: Buffer.from('x') });
    expect([record!.headerText('empty'), record!.headerText('later')]).toEqual([undefined, 'x']);
  });

  it('when a fetched record\'s value is read twice, then each read is a new view of the same fetched bytes (none is kept)', async () => {
    const { buffer } = await kafkajsRecordBatch({ firstTimestamp: 1, records: [kafkajsRecord({ key: 'k', value: 'payload', offsetDelta: 0, timestampDelta: 0 })] });
    const [record] = (await fastRecordBatchDecoder(new Decoder(buffer))).records;
    expect(record!.value).not.toBe(record!.value);
    expect(record!.value!.buffer).toBe(buffer.buffer);
    expect([record!.key?.toString(), record!.value?.toString()]).toEqual(['k', 'payload']);
  });

  it('when generated fetches of several uncompressed batches are decoded, then records, batch fields and positions equal kafkajs 2.2.4', async () => {
    let fast = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = randomSource(seed);
      const batches = await Promise.all(Array.from({ length: 1 + r.int(3) }, () => sampleBatch(r)));
      const expected = await expectSameAsKafkajs(Buffer.concat(batches));
      expect({ seed, error: expected.error, batches: expected.batches.length }).toEqual({ seed, error: undefined, batches: batches.length });
      if (await decodedByFastPath(batches[0]!)) fast++;
    }
    // Batches with a timestamp delta past 49 bits go to kafkajs; most have none.
    expect(fast).toBeGreaterThan(100);
  });

  it('when a batch is ordinary, then the fast path decodes it, and kafkajs only what it leaves alone', async () => {
    const ordinary = await kafkajsRecordBatch({ firstOffset: '7', firstTimestamp: 1_700_000_000_000, records: [kafkajsRecord({ key: 'k', value: 'v', headers: { a: 'b' }, offsetDelta: 0, timestampDelta: 5 })] });
    const farDelta = await kafkajsRecordBatch({ firstTimestamp: 1, records: [kafkajsRecord({ value: 'v', offsetDelta: 0, timestampDelta: FAR_TIMESTAMP_DELTA })] });
    const protoHeader = await kafkajsRecordBatch({ firstTimestamp: 1, records: [kafkajsRecord({ value: 'v', headers: { ['__proto__']: 'x' }, offsetDelta: 0, timestampDelta: 0 })] });
    expect(await decodedByFastPath(ordinary.buffer)).toBe(true);
    expect(await decodedByFastPath(farDelta.buffer)).toBe(false);
    expect(await decodedByFastPath(protoHeader.buffer)).toBe(false);
    await expectSameAsKafkajs(protoHeader.buffer);
  });

  it('when a record is longer than what it holds, then the bytes after it are skipped as kafkajs skips them', async () => {
    const records = [0, 1].map((i) => kafkajsRecord({ key: 'k', value: `v${i}`, offsetDelta: i, timestampDelta: i }));
    const { buffer } = await kafkajsRecordBatch({ firstTimestamp: 1, records });
    // The first record's length is one varint byte where the records start (zigzag: twice the length); two bytes more.
    const length = buffer[At.RECORDS_AT]! / 2;
    const bodyAt = At.RECORDS_AT + 1;
    const padded = Buffer.concat([buffer.subarray(0, bodyAt + length), Buffer.from([0xff, 0xff]), buffer.subarray(bodyAt + length)]);
    padded[At.RECORDS_AT] = (length + 2) * 2;
    padded.writeInt32BE(padded.readInt32BE(At.LENGTH_AT) + 2, At.LENGTH_AT);
    expect(await decodedByFastPath(padded)).toBe(true);
    const { batches } = await expectSameAsKafkajs(padded);
    expect(batches[0]!.batch.records.map((record) => record.value?.toString())).toEqual(['v0', 'v1']);
  });

  it('when a batch is compressed, then kafkajs decodes it and the records are the same', async () => {
    const r = randomSource(7);
    const buffer = Buffer.concat([await sampleBatch(r, GZIP), await sampleBatch(r), await sampleBatch(r, GZIP)]);
    expect(await decodedByFastPath(buffer)).toBe(false);
    expect((await expectSameAsKafkajs(buffer)).batches).toHaveLength(3);
  });

  it('when the fetch cut the last batch off, then the same error stops both after the same batches', async () => {
    const r = randomSource(11);
    const whole = Buffer.concat([await sampleBatch(r), await sampleBatch(r)]);
    for (const cut of [1, 9, 40, 70, 200]) {
      const expected = await expectSameAsKafkajs(whole.subarray(0, Math.max(0, whole.length - cut)));
      expect(expected.error ?? 'fewer batches').toMatch(/KafkaJSPartialMessageError|RangeError|fewer batches/);
    }
  });

  it('when record lengths or counts are malformed, then the result or error equals kafkajs 2.2.4', async () => {
    const r = randomSource(13);
    const batch = await sampleBatch(r);
    for (let seed = 1; seed <= 100; seed++) {
      const corrupt = Buffer.from(batch);
      const at = At.RECORD_COUNT_AT + randomSource(seed).int(corrupt.length - At.RECORD_COUNT_AT);
      corrupt[at] = randomSource(seed * 31).int(256);
      await expectSameAsKafkajs(corrupt);
    }
    // A record of length 0 (zigzag 0), at the start and as the batch's last bytes.
    const empty = Buffer.from(batch);
    empty[At.RECORDS_AT] = 0;
    expect((await expectSameAsKafkajs(empty)).error).toBeDefined();
    const onlyRecord = await kafkajsRecordBatch({ firstTimestamp: 1, records: [kafkajsRecord({ value: 'v', offsetDelta: 0, timestampDelta: 0 })] });
    const truncated = Buffer.from(onlyRecord.buffer.subarray(0, At.RECORDS_AT + 1));
    truncated.writeInt32BE(truncated.length - At.BATCH_AT, At.LENGTH_AT);
    truncated[At.RECORDS_AT] = 0;
    expect((await expectSameAsKafkajs(truncated)).error).toBeDefined();
  });

  it('when the built library is loaded, then kafkajs fetches decode with the fast decoder', () => {
    expect(printedWithBuild(`console.log(require('kafkajs/src/protocol/recordBatch/v0/decoder').name)`)).toBe('fastRecordBatchDecoder');
  });
});
