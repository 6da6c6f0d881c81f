import { crc32c } from './crc32c';
import { writeRecord, type PlannedRecord } from './planned-record';
import { BatchAttributes, RecordBatchLayout } from './record-batch-layout';

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
const { FIRST_OFFSET_AT, LENGTH_AT, BATCH_AT, MAGIC_AT, CRC_AT, ATTRIBUTES_AT, RECORDS_AT } = RecordBatchLayout;

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
  let size: number = RECORDS_AT;
  for (const record of records) size += record.size;
  // Unsafe (uninitialised) is fine: every byte is written below, and the offset check proves it.
  const buffer = Buffer.allocUnsafe(size);

  writeInt64(buffer, FIRST_OFFSET_AT, firstOffset);
  buffer.writeInt32BE(size - BATCH_AT, LENGTH_AT);
  buffer.writeInt32BE(partitionLeaderEpoch, BATCH_AT);
  buffer.writeInt8(MAGIC_BYTE, MAGIC_AT);
  buffer.writeInt16BE(transactional ? BatchAttributes.TRANSACTIONAL : 0, ATTRIBUTES_AT);
  buffer.writeInt32BE(lastOffsetDelta, RecordBatchLayout.LAST_OFFSET_DELTA_AT);
  writeInt64(buffer, RecordBatchLayout.FIRST_TIMESTAMP_AT, firstTimestamp);
  writeInt64(buffer, RecordBatchLayout.MAX_TIMESTAMP_AT, maxTimestamp);
  writeInt64(buffer, RecordBatchLayout.PRODUCER_ID_AT, producerId);
  buffer.writeInt16BE(producerEpoch, RecordBatchLayout.PRODUCER_EPOCH_AT);
  buffer.writeInt32BE(firstSequence, RecordBatchLayout.FIRST_SEQUENCE_AT);
  buffer.writeInt32BE(records.length, RecordBatchLayout.RECORD_COUNT_AT);

  let offset: number = RECORDS_AT;
  for (const record of records) offset = writeRecord(buffer, offset, record);
  if (offset !== size) throw new Error(`record batch measured ${size} bytes but wrote ${offset}`);
  buffer.writeUInt32BE(crc32c(buffer.subarray(ATTRIBUTES_AT)), CRC_AT);
  return buffer;
}
