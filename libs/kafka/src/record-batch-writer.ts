import { crc32c } from './crc32c';
import { writeRecord, type PlannedRecord } from './planned-record';

interface KafkajsLong {
  getHighBits(): number;
  getLowBits(): number;
}
// kafkajs's own conversion for int64 fields, so numbers, strings and Longs come out as they would from kafkajs.
const Long = require('kafkajs/src/utils/long') as { fromValue(value: unknown): KafkajsLong };

/** What kafkajs 2.2.4's produce request passes to `RecordBatch()` of `recordBatch/v0`. */
export interface RecordBatchOptions {
  compression?: unknown;
  firstOffset?: unknown;
  firstTimestamp?: unknown;
  maxTimestamp?: unknown;
  partitionLeaderEpoch?: number;
  lastOffsetDelta?: number;
  transactional?: boolean;
  producerId?: unknown;
  producerEpoch?: number;
  firstSequence?: number;
  records?: unknown[];
}

const MAGIC_BYTE = 2;
const TRANSACTIONAL_ATTRIBUTE = 0x10;

// Byte offsets in the encoded batch: FirstOffset int64, Length int32, then the
// batch proper. The CRC covers everything from the attributes to the end.
const LENGTH_AT = 8;
const BATCH_AT = 12;
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;
const RECORDS_AT = 61;

function writeInt64(buffer: Buffer, offset: number, value: unknown): void {
  const long = Long.fromValue(value);
  buffer.writeInt32BE(long.getHighBits(), offset);
  buffer.writeInt32BE(long.getLowBits(), offset + 4);
}

/**
 * An uncompressed record batch with its FirstOffset and Length framing, as
 * kafkajs's `RecordBatch()` buffer, in one allocation and without copies.
 * Defaults are kafkajs's.
 */
export function writeRecordBatch(options: RecordBatchOptions, records: PlannedRecord[]): Buffer {
  const {
    firstOffset = 0,
    firstTimestamp = Date.now(),
    maxTimestamp = Date.now(),
    partitionLeaderEpoch = 0,
    lastOffsetDelta = 0,
    transactional = false,
    producerId = -1,
    producerEpoch = 0,
    firstSequence = 0,
  } = options;
  let size = RECORDS_AT;
  for (const record of records) size += record.size;
  // Unsafe (uninitialised) is fine: every byte is written below, and the offset check proves it.
  const buffer = Buffer.allocUnsafe(size);

  writeInt64(buffer, 0, firstOffset);
  buffer.writeInt32BE(size - BATCH_AT, LENGTH_AT);
  buffer.writeInt32BE(partitionLeaderEpoch, BATCH_AT);
  buffer.writeInt8(MAGIC_BYTE, MAGIC_AT);
  buffer.writeInt16BE(transactional ? TRANSACTIONAL_ATTRIBUTE : 0, ATTRIBUTES_AT);
  buffer.writeInt32BE(lastOffsetDelta, 23);
  writeInt64(buffer, 27, firstTimestamp);
  writeInt64(buffer, 35, maxTimestamp);
  writeInt64(buffer, 43, producerId);
  buffer.writeInt16BE(producerEpoch, 51);
  buffer.writeInt32BE(firstSequence, 53);
  buffer.writeInt32BE(records.length, 57);

  let offset = RECORDS_AT;
  for (const record of records) offset = writeRecord(buffer, offset, record);
  if (offset !== size) throw new Error(`record batch measured ${size} bytes but wrote ${offset}`);
  buffer.writeUInt32BE(crc32c(buffer.subarray(ATTRIBUTES_AT)), CRC_AT);
  return buffer;
}
