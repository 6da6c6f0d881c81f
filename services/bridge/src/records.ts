import { decodeBufferedItem, Headers, type BufferedItem, type TraceCarrier } from '@taskstream/contract';
import type { OutgoingRecord } from '@taskstream/kafka';

/**
 * A Kafka record from a buffered item: the value bytes go through untouched.
 * `trace` replaces the stored trace context (the bridge's own span of a sampled task).
 * `firstSend` marks a task no earlier produce can have put in Kafka (the consumer then need not
 * ask Redis whether it already finished); first among the headers, where the consumer looks first.
 */
export function toRecord(topic: string, item: BufferedItem, trace: TraceCarrier = item, firstSend = false): OutgoingRecord {
  return {
    topic,
    key: item.key,
    value: item.value,
    headers: {
      [Headers.firstSend]: firstSend ? '1' : undefined,
      [Headers.taskId]: item.id,
      [Headers.taskType]: item.type,
      [Headers.traceparent]: trace.traceparent,
      [Headers.tracestate]: trace.tracestate,
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
