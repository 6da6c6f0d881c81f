/**
 * kafkajs 2.2.4 encodes every produced record into an Encoder of its own (a
 * zeroed 512-byte buffer, plus one per header and one per varint), copies them
 * all into a growing batch Encoder, checksums byte by byte, and copies the
 * batch once more. In CPU profiles of the bridge at tens of thousands of
 * records/s this was the largest cost: Buffer allocation and copies ~15%, GC
 * ~10%, kafkajs's own code ~17%.
 *
 * This installs replacements for `protocol/recordBatch/record/v0` and
 * `protocol/recordBatch/v0` in the module cache, before the produce request
 * (v3 to v7 all share `produce/v3/request.js`) loads them, so the package stays
 * unmodified on disk. `Record()` only measures the record; `RecordBatch()`
 * writes the whole uncompressed batch into one buffer sized exactly, with a
 * slice-by-8 CRC-32C. The bytes are identical to kafkajs 2.2.4's (the unit
 * tests compare them on generated batches and whole produce requests).
 * Compressed batches, and records with inputs kafkajs converts in ways of its
 * own, go to kafkajs's original modules. Must be imported before kafkajs
 * produces anything.
 */
import { encoderOver, type KafkajsEncoder } from './kafkajs-encoder';
import { planRecord, PlannedRecord, type RecordArgs } from './planned-record';
import { writeRecordBatch, type RecordBatchOptions } from './record-batch-writer';
import { replaceCachedModule } from './require-cache';

const COMPRESSION_NONE = 0;
const RECORD_PATH = require.resolve('kafkajs/src/protocol/recordBatch/record/v0');
const RECORD_BATCH_PATH = require.resolve('kafkajs/src/protocol/recordBatch/v0');

// Loaded before the replacements are installed, as the fallback.
const originalRecord = require(RECORD_PATH) as (args: RecordArgs) => KafkajsEncoder;
const original = require(RECORD_BATCH_PATH) as {
  RecordBatch(options: RecordBatchOptions): Promise<KafkajsEncoder>;
  MAGIC_BYTE: number;
};

/** Stands in for kafkajs's `Record()`: a measured record, or kafkajs's own Encoder for inputs the fast path leaves alone. */
export function fastRecord(args: RecordArgs): PlannedRecord | KafkajsEncoder {
  return planRecord(args) ?? originalRecord(args);
}

function isPlanned(record: unknown): record is PlannedRecord {
  return record instanceof PlannedRecord;
}

/** Stands in for kafkajs's `RecordBatch()`: one buffer when uncompressed, kafkajs's own code otherwise. */
export async function fastRecordBatch(options: RecordBatchOptions): Promise<KafkajsEncoder> {
  const { compression = COMPRESSION_NONE, records = [] } = options;
  if (compression === COMPRESSION_NONE && records.every(isPlanned)) return encoderOver(writeRecordBatch(options, records));
  const originalRecords = records.map((record) => (isPlanned(record) ? originalRecord(record.args) : record));
  return original.RecordBatch({ ...options, records: originalRecords });
}

replaceCachedModule(RECORD_PATH, fastRecord);
replaceCachedModule(RECORD_BATCH_PATH, { RecordBatch: fastRecordBatch, MAGIC_BYTE: original.MAGIC_BYTE });
