import type { Logger } from '@taskstream/telemetry';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string | undefined>;
  /** Record timestamp, epoch ms (CreateTime: when the producer wrote it, e.g. the bridge). */
  timestamp: number;
}

/** What a batch handler may do with the partition it was given. */
export interface BatchControls {
  /** False once shutdown or a rebalance took the partition away: start no new work. */
  isActive(): boolean;
  /** Marks everything up to and including this offset as done (committed later). */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
}

export type BatchHandler = (records: IncomingRecord[], controls: BatchControls) => Promise<void>;

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** Partitions handled at once by this process. Default: 4. */
  partitionsConsumedConcurrently?: number;
  /** Default: 30000 ms. */
  sessionTimeoutInMs?: number;
  /** Default: 3000 ms. */
  heartbeatIntervalInMs?: number;
  /** Default: 4 MiB. */
  maxBytesPerPartition?: number;
  /** Most bytes one fetch returns over all partitions: bounds what is decoded in memory at once. Default: 8 MiB. */
  maxBytes?: number;
  /** Default: 100 ms. */
  maxWaitTimeInMs?: number;
  onRebalance?: () => void;
  /** Records of a partition not yet handled (high watermark − next offset), at the start and end of each batch. */
  onLag?: (topic: string, partition: number, lag: number) => void;
  /** The consumer crashed and kafkajs will not restart it: the process should exit and be restarted. */
  onFatalError?: (err: Error) => void;
}

export interface BatchConsumer {
  start(handler: BatchHandler): Promise<void>;
  /** Finishes the running batches, commits resolved offsets and leaves the group. */
  stop(): Promise<void>;
  isConnected(): boolean;
}

function headersOf(raw: EachBatchPayload['batch']['messages'][number]['headers']): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    headers[name] = first === undefined ? undefined : first.toString();
  }
  return headers;
}

/**
 * A kafkajs consumer group with `eachBatch` and manual offset resolution:
 * offsets are resolved by the handler only after the work is done, and
 * committed by kafkajs' auto-commit and on stop.
 */
export function createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutInMs ?? 30_000,
    heartbeatInterval: options.heartbeatIntervalInMs ?? 3_000,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
    maxBytes: options.maxBytes ?? 8 * 1024 * 1024,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
    allowAutoTopicCreation: false,
  });
  let connected = false;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    connected = true;
    options.logger.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined group');
  });
  consumer.on(consumer.events.REBALANCING, () => options.onRebalance?.());
  consumer.on(consumer.events.CRASH, (e) => {
    connected = false;
    options.logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
    if (!e.payload.restart) options.onFatalError?.(e.payload.error);
  });
  consumer.on(consumer.events.STOP, () => (connected = false));

  return {
    async start(handler) {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        autoCommitInterval: 1000,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const records: IncomingRecord[] = batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key?.toString(),
            value: m.value,
            headers: headersOf(m.headers),
            timestamp: Number(m.timestamp),
          }));
          // Consumer lag for metrics (taskstream): from the fetch's high watermark, no extra request.
          const lag = (next: string) => options.onLag?.(batch.topic, batch.partition, Math.max(0, Number(batch.highWatermark) - Number(next)));
          if (!batch.isEmpty()) lag(batch.firstOffset()!);
          await handler(records, { isActive: () => isRunning() && !isStale(), resolveOffset, heartbeat });
          if (!batch.isEmpty()) lag(String(Number(batch.lastOffset()) + 1));
        },
      });
    },
    stop: () => consumer.disconnect(),
    isConnected: () => connected,
  };
}
