/**
 * kafkajs 2.2.4 decodes every fetched record through a Decoder of its own over
 * a slice of the batch, adds the batch's first offset and timestamp to the
 * record's deltas through BigInt-backed Longs parsed from strings (twice per
 * record), reads each varlong through Longs, and builds the headers object by
 * spreading it once per header. In CPU profiles of the consumer at tens of
 * thousands of tasks/s this was about a tenth of its busy time and a fifth of
 * what it allocated.
 *
 * This installs a replacement for `protocol/recordBatch/v0/decoder` in the
 * module cache, before the fetch response (`fetch/v4/decodeMessages.js`, which
 * v5 to v11 share) loads it. An uncompressed batch is read in one pass over
 * the fetched buffer with plain numbers wherever they are exact; the records,
 * batch fields and batch context equal kafkajs 2.2.4's (the unit tests compare
 * them on generated batches). Compressed batches, batches cut off by the
 * fetch's byte limit, and anything the fast path does not expect (malformed
 * lengths, varlongs past 49 bits, a header named `__proto__`) go to kafkajs's
 * original decoder, which sees the batch as if nothing had read it. Offsets and
 * timestamps past 2^53 stay on the fast path, added as BigInts. Must be
 * imported before kafkajs fetches anything.
 *
 * A record's key, value and headers are made from the fetched bytes when they
 * are read (`FetchedRecord`), not up front: a consumer holds its records until
 * their work is done, and the three to five Buffer views and the headers
 * object of each record outlived the young generation and were copied and
 * promoted by the GC: about 300 of the ~750 bytes the consumer promoted per
 * task. The headers are checked at decoding,
 * so a batch the fast path would not read still goes to kafkajs.
 */
import { BatchAttributes, RecordBatchLayout as At } from './record-batch-layout';
import { replaceCachedModule } from './require-cache';

const BATCH_DECODER_PATH = require.resolve('kafkajs/src/protocol/recordBatch/v0/decoder');

/** The part of kafkajs's Decoder the batch decoder is given: the fetched messages and where this batch starts. */
export interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
}

interface DecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

interface BatchFields {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
}

type BatchContext = BatchFields & { magicByte: number };
export type DecodedBatch = BatchFields & { records: DecodedRecord[] };

// Loaded before the replacement is installed, as the fallback.
const originalDecode = require(BATCH_DECODER_PATH) as (decoder: KafkajsDecoder) => Promise<DecodedBatch>;

// kafkajs's timestamp types.
const LOG_APPEND_TIME = 1;
const CREATE_TIME = 0;
/** Varlongs of up to 7 bytes (49 bits) are exact as doubles; kafkajs reads up to 10. */
const MAX_EXACT_VARLONG_SHIFT = 49;

/** Thrown inside the fast path for anything it leaves to kafkajs; never leaves this module. */
class LeaveToKafkajs extends Error {}
const leave = new LeaveToKafkajs();

/** A cursor over one record batch: every read stays below `end` or leaves the batch to kafkajs. */
class BatchReader {
  constructor(
    readonly buffer: Buffer,
    public pos: number,
    public end: number,
  ) {}

  private byte(): number {
    if (this.pos >= this.end) throw leave;
    return this.buffer[this.pos++]!;
  }

  /** kafkajs's `readVarInt`; one that runs past `end` leaves the batch to kafkajs. */
  varInt(): number {
    const value = readVarIntAt(this.buffer, this);
    if (this.pos > this.end) throw leave;
    return value;
  }

  /** kafkajs's `readVarLong` for values that fit 49 bits, as a number. */
  varLong(): number {
    let result = 0;
    let scale = 1;
    let shift = 0;
    let current: number;
    do {
      if (shift >= MAX_EXACT_VARLONG_SHIFT) throw leave;
      current = this.byte();
      result += (current & 0x7f) * scale;
      scale *= 0x80;
      shift += 7;
    } while (current >= 0x80);
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  /** A length-prefixed byte string as a view of the fetched buffer, or null (length -1). */
  bytes(): Buffer | null {
    const length = this.varInt();
    if (length === -1) return null;
    if (length < -1 || this.pos + length > this.end) throw leave;
    const view = this.buffer.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  /** Moves past a length-prefixed byte string; returns its length (-1: null), so it starts at `pos - length`. */
  skipBytes(): number {
    const length = this.varInt();
    if (length < -1 || this.pos + length > this.end) throw leave;
    if (length > 0) this.pos += length;
    return length;
  }

  /** A length-prefixed UTF-8 string, or null (length -1). */
  text(): string | null {
    const length = this.varInt();
    if (length === -1) return null;
    if (length < -1 || this.pos + length > this.end) throw leave;
    const text = this.sameAsLastText(length) ? this.lastText : this.buffer.toString('utf8', this.pos, this.pos + length);
    this.lastText = text;
    this.lastTextAt = this.pos;
    this.lastTextLength = length;
    this.pos += length;
    return text;
  }

  // Header names repeat from record to record: comparing a few bytes costs less than decoding them.
  private lastText = '';
  private lastTextAt = 0;
  private lastTextLength = -1;

  private sameAsLastText(length: number): boolean {
    if (length !== this.lastTextLength) return false;
    const { buffer, pos, lastTextAt } = this;
    for (let i = 0; i < length; i++) if (buffer[pos + i] !== buffer[lastTextAt + i]) return false;
    return true;
  }
}

/** `base + delta` as kafkajs's Long addition prints it, in doubles when that is exact. */
function adderTo(base: bigint): (delta: number) => string {
  const baseNumber = Number(base);
  if (!Number.isSafeInteger(baseNumber)) return (delta) => (base + BigInt(delta)).toString();
  return (delta) => {
    const sum = baseNumber + delta;
    return Number.isSafeInteger(sum) ? String(sum) : (base + BigInt(delta)).toString();
  };
}

/** kafkajs's headers object: a repeated name collects its values into an array. */
function readHeaders(reader: BatchReader): DecodedRecord['headers'] {
  const headers: DecodedRecord['headers'] = {};
  const count = reader.varInt();
  if (count < -1) throw leave;
  for (let i = 0; i < count; i++) {
    const name = String(reader.text());
    // Assigning `__proto__` would set the prototype where kafkajs's spread defines a property.
    if (name === '__proto__') throw leave;
    const value = reader.bytes();
    const previous = headers[name];
    headers[name] = previous === undefined ? value : Array.isArray(previous) ? previous.concat([value]) : [previous, value];
  }
  return headers;
}

const PROTO_NAME = '__proto__';

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Whether the `length` bytes at `at` are the ASCII text `text`. */
function asciiBytesAre(buffer: Buffer, at: number, length: number, text: string): boolean {
  if (length !== text.length) return false;
  for (let i = 0; i < length; i++) if (buffer[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * kafkajs's `readVarInt` at `cursor.pos`, with its int32 arithmetic, moving the
 * cursor past it. No bounds check: past the buffer's end a read gives
 * undefined, which ends the varint, so the caller checks where the cursor
 * ended up (BatchReader), or reads bytes checked at decoding (FetchedRecord).
 */
function readVarIntAt(buffer: Buffer, cursor: { pos: number }): number {
  let result = 0;
  let shift = 0;
  let current: number;
  do {
    current = buffer[cursor.pos++]!;
    result += (current & 0x7f) << shift;
    shift += 7;
  } while (current >= 0x80);
  return (result >>> 1) ^ -(result & 1);
}

/** Moves past a record's headers, leaving to kafkajs what `readHeaders` would: the same checks, no objects. */
function skipHeaders(reader: BatchReader): void {
  const count = reader.varInt();
  if (count < -1) throw leave;
  for (let i = 0; i < count; i++) {
    const nameLength = reader.skipBytes();
    if (asciiBytesAre(reader.buffer, reader.pos - Math.max(nameLength, 0), nameLength, PROTO_NAME)) throw leave;
    reader.skipBytes();
  }
}

/**
 * A record as kafkajs 2.2.4's decoder returns it, but for `key`, `value` and
 * `headers`: getters that make them from the fetched buffer at each read (a
 * new view, a new headers object), equal to kafkajs's. `headerText()` reads
 * one header without making either. `toJSON()` gives kafkajs's plain record.
 */
export class FetchedRecord implements DecodedRecord {
  constructor(
    readonly magicByte: number,
    readonly attributes: number,
    readonly timestamp: string,
    readonly offset: string,
    readonly isControlRecord: boolean,
    readonly batchContext: BatchContext,
    private readonly buffer: Buffer,
    /** Where the key's bytes start, and their length (-1: null); the same for the value. */
    private readonly keyAt: number,
    private readonly keyLength: number,
    private readonly valueAt: number,
    private readonly valueLength: number,
    /** The header count's position, and the record's end. */
    private readonly headersAt: number,
    private readonly end: number,
  ) {}

  get key(): Buffer | null {
    return this.keyLength < 0 ? null : this.buffer.subarray(this.keyAt, this.keyAt + this.keyLength);
  }

  get value(): Buffer | null {
    return this.valueLength < 0 ? null : this.buffer.subarray(this.valueAt, this.valueAt + this.valueLength);
  }

  get headers(): DecodedRecord['headers'] {
    return readHeaders(new BatchReader(this.buffer, this.headersAt, this.end));
  }

  /** The first value of header `name` as text, as kafkajs's `headers[name]` (or its first element) would print; undefined when absent or null. */
  headerText(name: string): string | undefined {
    const { buffer } = this;
    // Checked at decoding: every length below stays inside the record.
    const reader = { pos: this.headersAt };
    const count = readVarIntAt(buffer, reader);
    const ascii = isAscii(name);
    for (let i = 0; i < count; i++) {
      const nameLength = readVarIntAt(buffer, reader);
      const nameAt = reader.pos;
      reader.pos += Math.max(nameLength, 0);
      const valueLength = readVarIntAt(buffer, reader);
      const valueAt = reader.pos;
      reader.pos += Math.max(valueLength, 0);
      // kafkajs names a header with a null name "null" (`String(null)`); a name that is not ASCII is compared decoded, as kafkajs decodes it.
      const matches =
        nameLength < 0 ? name === 'null' : ascii ? asciiBytesAre(buffer, nameAt, nameLength, name) : buffer.toString('utf8', nameAt, nameAt + nameLength) === name;
      if (matches) return valueLength < 0 ? undefined : buffer.toString('utf8', valueAt, valueAt + valueLength);
    }
    return undefined;
  }

  toJSON(): DecodedRecord {
    const { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord, batchContext } = this;
    return { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord, batchContext };
  }
}

function readRecords(reader: BatchReader, count: number, context: BatchContext, firstOffset: bigint, firstTimestamp: bigint): DecodedRecord[] {
  const offsetOf = adderTo(firstOffset);
  const timestampOf = adderTo(firstTimestamp);
  const appendTime = context.timestampType === LOG_APPEND_TIME && context.maxTimestamp ? context.maxTimestamp : undefined;
  const batchEnd = reader.end;
  const records: DecodedRecord[] = new Array(Math.max(count, 0));
  let lastTimestampDelta = NaN;
  let lastTimestamp = '';
  for (let i = 0; i < count; i++) {
    const length = reader.varInt();
    // A record holds at least its attributes byte; kafkajs fails on an empty one in its own way.
    if (length < 1 || reader.pos + length > batchEnd) throw leave;
    const recordEnd = reader.pos + length;
    reader.end = recordEnd;
    const attributes = reader.buffer.readInt8(reader.pos);
    reader.pos += 1;
    const timestampDelta = reader.varLong();
    // Records of a batch mostly share their timestamp, and printing a 13-digit number is not cheap.
    if (timestampDelta !== lastTimestampDelta) {
      lastTimestamp = appendTime ?? timestampOf(timestampDelta);
      lastTimestampDelta = timestampDelta;
    }
    const timestamp = lastTimestamp;
    const offset = offsetOf(reader.varInt());
    const keyLength = reader.skipBytes();
    const keyAt = reader.pos - Math.max(keyLength, 0);
    const valueLength = reader.skipBytes();
    const valueAt = reader.pos - Math.max(valueLength, 0);
    const headersAt = reader.pos;
    skipHeaders(reader);
    const { buffer } = reader;
    records[i] = new FetchedRecord(context.magicByte, attributes, timestamp, offset, context.isControlBatch, context, buffer, keyAt, keyLength, valueAt, valueLength, headersAt, recordEnd);
    // kafkajs moves to the next record by the length, whatever this one left unread.
    reader.pos = recordEnd;
    reader.end = batchEnd;
  }
  return records;
}

/** The batch at `start`, or undefined when kafkajs should decode it. Sets where the next batch starts. */
function decodeUncompressed(decoder: KafkajsDecoder): DecodedBatch | undefined {
  const { buffer, offset: start } = decoder;
  if (buffer.length - start < At.RECORDS_AT) return undefined;
  const end = start + At.BATCH_AT + buffer.readInt32BE(start + At.LENGTH_AT);
  const attributes = buffer.readInt16BE(start + At.ATTRIBUTES_AT);
  if (end > buffer.length || end < start + At.RECORDS_AT || (attributes & BatchAttributes.COMPRESSION_CODEC_MASK) !== 0) return undefined;
  const firstOffset = buffer.readBigInt64BE(start + At.FIRST_OFFSET_AT);
  const firstTimestamp = buffer.readBigInt64BE(start + At.FIRST_TIMESTAMP_AT);
  const fields: BatchFields = {
    firstOffset: firstOffset.toString(),
    firstTimestamp: firstTimestamp.toString(),
    partitionLeaderEpoch: buffer.readInt32BE(start + At.BATCH_AT),
    inTransaction: (attributes & BatchAttributes.TRANSACTIONAL) > 0,
    isControlBatch: (attributes & BatchAttributes.CONTROL) > 0,
    lastOffsetDelta: buffer.readInt32BE(start + At.LAST_OFFSET_DELTA_AT),
    producerId: buffer.readBigInt64BE(start + At.PRODUCER_ID_AT).toString(),
    producerEpoch: buffer.readInt16BE(start + At.PRODUCER_EPOCH_AT),
    firstSequence: buffer.readInt32BE(start + At.FIRST_SEQUENCE_AT),
    maxTimestamp: buffer.readBigInt64BE(start + At.MAX_TIMESTAMP_AT).toString(),
    timestampType: (attributes & BatchAttributes.LOG_APPEND_TIME) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
  };
  const context: BatchContext = { ...fields, magicByte: buffer.readInt8(start + At.MAGIC_AT) };
  const count = buffer.readInt32BE(start + At.RECORD_COUNT_AT);
  if (count < -1) return undefined;
  try {
    const records = readRecords(new BatchReader(buffer, start + At.RECORDS_AT, end), count, context, firstOffset, firstTimestamp);
    decoder.offset = end;
    return { ...fields, records };
  } catch (err) {
    if (err === leave) return undefined;
    throw err;
  }
}

/** Stands in for kafkajs's record batch decoder: kafkajs's own for what the fast path leaves alone. */
export async function fastRecordBatchDecoder(decoder: KafkajsDecoder): Promise<DecodedBatch> {
  return decodeUncompressed(decoder) ?? originalDecode(decoder);
}

replaceCachedModule(BATCH_DECODER_PATH, fastRecordBatchDecoder);
