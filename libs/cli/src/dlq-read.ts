import { Headers } from '@taskstream/contract';
import type { Kafka } from 'kafkajs';

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer;
  headers: Record<string, string>;
}

/** Reads a whole topic as it is now (up to each partition's current end), without committing anything. */
export async function readDeadLetters(kafka: Kafka, topic: string): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  const letters: DeadLetter[] = [];
  if (remaining.size === 0) return letters;
  // A throwaway group: reading the dead letters must not move anyone's committed offsets.
  const consumer = kafka.consumer({ groupId: `taskstream-dlq-reader-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value.toString();
          letters.push({ partition, offset: message.offset, key: message.key?.toString(), value: message.value ?? Buffer.alloc(0), headers });
          if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
          if (remaining.size === 0) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return letters.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

export function describeLetter(letter: DeadLetter): string {
  const h = letter.headers;
  return [
    `${letter.partition}:${letter.offset}`,
    h[Headers.taskId] ?? '-',
    h[Headers.errorCode] ?? '-',
    `attempts=${h[Headers.attempts] ?? '?'}`,
    `from ${h[Headers.originTopic] ?? '?'}/${h[Headers.originPartition] ?? '?'}@${h[Headers.originOffset] ?? '?'}`,
    (h[Headers.errorMessage] ?? '').slice(0, 80),
  ].join('  ');
}

/** The value as text when it is UTF-8 without control bytes, else base64. */
export function printableValue(value: Buffer): string {
  const text = value.toString('utf8');
  return Buffer.from(text, 'utf8').equals(value) && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? text : `base64:${value.toString('base64')}`;
}
