import { Headers } from '@taskstream/contract';
import type { IncomingRecord, OutgoingRecord } from '@taskstream/kafka';

export interface DeadLetterReason {
  code: string;
  message: string;
  attempts: number;
  taskId?: string;
}

/** The original bytes and headers, plus headers naming the error and where the record came from. */
export function deadLetterOf(record: IncomingRecord, topic: string, reason: DeadLetterReason): OutgoingRecord {
  return {
    topic,
    key: record.key ?? reason.taskId ?? `${record.topic}-${record.partition}-${record.offset}`,
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [Headers.errorCode]: reason.code,
      [Headers.errorMessage]: reason.message.slice(0, 1000),
      [Headers.attempts]: String(reason.attempts),
      [Headers.originTopic]: record.topic,
      [Headers.originPartition]: String(record.partition),
      [Headers.originOffset]: record.offset,
      ...(reason.taskId ? { [Headers.taskId]: reason.taskId } : {}),
    },
  };
}
