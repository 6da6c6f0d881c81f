// Imported, not the global: on Node 20 the global `Buffer` is a getter, ~3% of a produce request's CPU when read per field.
import { Buffer } from 'node:buffer';
import { writeText } from '@taskstream/contract';
import { isExactVarLong, sizeOfVarInt, sizeOfVarLong, writeVarInt, writeVarLong } from './varint';

/** What kafkajs 2.2.4's produce request passes to `recordBatch/record/v0` (the message spread, plus deltas). */
export interface RecordArgs {
  offsetDelta?: unknown;
  timestampDelta?: unknown;
  key?: unknown;
  value?: unknown;
  headers?: unknown;
}

type Field = string | Buffer | null;

/** Byte length of a null field: kafkajs writes it as the varint -1. */
const NULL_LENGTH = -1;

/**
 * A record measured but not written yet: the batch writes it straight into its
 * one buffer. Fields are, in wire order, key, value, then each header's key and
 * value; all are "varint length + bytes" on the wire.
 */
export class PlannedRecord {
  constructor(
    /** What kafkajs passed, for its own encoder when the batch falls back. */
    readonly args: RecordArgs,
    /** Bytes after the record's own varint length prefix. */
    readonly bodySize: number,
    readonly timestampDelta: number,
    readonly offsetDelta: number,
    readonly fields: Field[],
    readonly fieldLengths: number[],
  ) {}

  get size(): number {
    return sizeOfVarInt(this.bodySize) + this.bodySize;
  }
}

function isBytes(value: unknown): value is string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

/**
 * The record's fields: key, value, then header values in kafkajs's order
 * (`Object.keys`, arrays as repeated keys, holes skipped as its flatMap does).
 * Undefined for header values other than strings and Buffers: kafkajs throws
 * on null values and has quirks of its own for other types, which the
 * fallback keeps. Sized once for the usual headers of one value each.
 */
function fieldsOf(key: Field, value: Field, headers: unknown): Field[] | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const names = Object.keys(headers);
  const fields = new Array<Field>(2 + 2 * names.length);
  fields[0] = key;
  fields[1] = value;
  let at = 2;
  for (const name of names) {
    const header = (headers as Record<string, unknown>)[name];
    if (!Array.isArray(header)) {
      if (!isBytes(header)) return undefined;
      fields[at++] = name;
      fields[at++] = header;
      continue;
    }
    // A repeated header: one name and value per element, so the array grows past its first size.
    fields.length = at;
    for (let i = 0; i < header.length; i++) {
      if (!(i in header)) continue;
      const item: unknown = header[i];
      if (!isBytes(item)) return undefined;
      fields.push(name, item);
    }
    at = fields.length;
  }
  fields.length = at;
  return fields;
}

/**
 * Measures a record the way kafkajs's `Record()` would encode it, or returns
 * undefined when kafkajs should encode it itself (inputs it converts in ways
 * of its own: keys or values neither strings nor Buffers, varlongs past
 * 2^52, headers with other values).
 */
export function planRecord(args: RecordArgs): PlannedRecord | undefined {
  const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = args;
  if (typeof offsetDelta !== 'number' || !isExactVarLong(timestampDelta)) return undefined;
  if ((key != null && !isBytes(key)) || (value != null && !isBytes(value))) return undefined;
  const fields = fieldsOf((key ?? null) as Field, (value ?? null) as Field, headers);
  if (!fields) return undefined;

  const headerCount = (fields.length - 2) / 2;
  let bodySize = 1 + sizeOfVarLong(timestampDelta) + sizeOfVarInt(offsetDelta) + sizeOfVarInt(headerCount);
  const fieldLengths = new Array<number>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const length = field == null ? NULL_LENGTH : typeof field === 'string' ? Buffer.byteLength(field, 'utf8') : field.length;
    fieldLengths[i] = length;
    bodySize += sizeOfVarInt(length) + Math.max(length, 0);
  }
  return new PlannedRecord(args, bodySize, timestampDelta, offsetDelta, fields, fieldLengths);
}

function writeField(buffer: Buffer, offset: number, field: Field, length: number): number {
  offset = writeVarInt(buffer, offset, length);
  if (field === null) return offset;
  if (typeof field === 'string') writeText(buffer, offset, field, length);
  else field.copy(buffer, offset);
  return offset + length;
}

/** Writes the record at `offset` as kafkajs's `Record()` encodes it; returns the offset after it. */
export function writeRecord(buffer: Buffer, offset: number, record: PlannedRecord): number {
  const { fields, fieldLengths } = record;
  offset = writeVarInt(buffer, offset, record.bodySize);
  buffer[offset++] = 0; // record attributes: none defined yet
  offset = writeVarLong(buffer, offset, record.timestampDelta);
  offset = writeVarInt(buffer, offset, record.offsetDelta);
  offset = writeField(buffer, offset, fields[0]!, fieldLengths[0]!);
  offset = writeField(buffer, offset, fields[1]!, fieldLengths[1]!);
  offset = writeVarInt(buffer, offset, (fields.length - 2) / 2);
  for (let i = 2; i < fields.length; i++) offset = writeField(buffer, offset, fields[i]!, fieldLengths[i]!);
  return offset;
}
