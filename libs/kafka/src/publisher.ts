import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { Kafka, Message, Producer } from 'kafkajs';
import { fastDefaultPartitioner } from './kafkajs-fast-partitioner';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string | Buffer;
  headers: Record<string, string | Buffer | undefined>;
}

/** The port the bridge and consumer publish through; kafkajs stays behind it. */
export interface TaskPublisher {
  connect(): Promise<void>;
  /** Resolves once every record is acknowledged by all in-sync replicas. */
  publish(records: OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface KafkajsPublisherOptions {
  kafka: Kafka;
  /** Time the broker may take to replicate before failing the request. Default: 30000 ms. */
  ackTimeoutInMs?: number;
}

function groupByTopic(records: OutgoingRecord[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    let messages = byTopic.get(record.topic);
    if (!messages) byTopic.set(record.topic, (messages = []));
    const headers: Record<string, string | Buffer> = {};
    // kafkajs cannot encode an undefined header value: absent trace state is simply no header.
    for (const name in record.headers) {
      const value = record.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    messages.push({ key: record.key, value: record.value, headers });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * acks=all and the idempotent producer: a retried produce never duplicates or
 * reorders records within a partition (kafkajs needs one request in flight for that).
 */
export function createKafkajsPublisher(options: KafkajsPublisherOptions): TaskPublisher {
  const producer: Producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // kafkajs's DefaultPartitioner, choosing the same partitions without BigInt arithmetic per record.
    createPartitioner: fastDefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  return {
    connect: () => producer.connect(),
    async publish(records) {
      if (records.length === 0) return;
      try {
        await producer.sendBatch({ topicMessages: groupByTopic(records), acks: -1, timeout: options.ackTimeoutInMs ?? 30_000 });
      } catch (err) {
        throw new TaskstreamError(ErrorCodes.KAFKA_UNAVAILABLE, `produce of ${records.length} records failed: ${(err as Error).message}`, {
          retriable: true,
          cause: err,
        });
      }
    },
    disconnect: () => producer.disconnect(),
  };
}
