/**
 * Where each field of a Kafka record batch (magic 2) sits in its bytes, for the
 * encoder and the decoder that replace kafkajs's: FirstOffset int64, Length
 * int32, then the batch proper, whose CRC covers everything from the attributes
 * to the end. The records follow the count.
 */
export const RecordBatchLayout = {
  FIRST_OFFSET_AT: 0,
  LENGTH_AT: 8,
  /** Where the batch proper starts: Length counts the bytes from here. */
  BATCH_AT: 12,
  MAGIC_AT: 16,
  CRC_AT: 17,
  ATTRIBUTES_AT: 21,
  LAST_OFFSET_DELTA_AT: 23,
  FIRST_TIMESTAMP_AT: 27,
  MAX_TIMESTAMP_AT: 35,
  PRODUCER_ID_AT: 43,
  PRODUCER_EPOCH_AT: 51,
  FIRST_SEQUENCE_AT: 53,
  RECORD_COUNT_AT: 57,
  RECORDS_AT: 61,
} as const;

/** Batch attributes bits. */
export const BatchAttributes = {
  COMPRESSION_CODEC_MASK: 0x07,
  LOG_APPEND_TIME: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
} as const;
