import { decodeBufferedItem, Headers, type BufferedItem } from '@taskstream/contract';
import type { OutgoingRecord } from '@taskstream/kafka';

/** A Kafka record from a buffered item: the value bytes go through untouched. */
export function toRecord(topic: string, item: BufferedItem): OutgoingRecord {
  return {
    topic,
    key: item.key,
    value: item.value,
    headers: {
      [Headers.taskId]: item.id,
      [Headers.taskType]: item.type,
      [Headers.traceparent]: item.traceparent,
      [Headers.tracestate]: item.tracestate,
    },
  };
}

export interface ShardBatch {
  shard: number;
  items: BufferedItem[];
  recovered: boolean;
}

export function decodeItems(raw: string[]): BufferedItem[] {
  return raw.map(decodeBufferedItem);
}
