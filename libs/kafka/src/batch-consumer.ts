import type { Logger } from '@taskstream/telemetry';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { FetchedRecord } from './kafkajs-fast-record-decoder';

export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  /** Read when needed: a record of the fast decoder makes a new view of the fetched bytes at each read. */
  readonly value: Buffer | null;
  /** Every header, decoded (the first value of a repeated one). */
  readonly headers: Record<string, string | undefined>;
  /** One header, decoded, as `headers[name]`; cheaper when only a few are read (most records read none). */
  header(name: string): string | undefined;
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
  /**
   * The partition's high watermark in this member's first batch of it since the member last
   * joined the group. Records from here on were written after the member got the partition, so
   * no other member (nor this one before it rejoined) was handed them; records before it may
   * have been handled already.
   */
  readonly joinedAtOffset: number;
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
  /**
   * Most records of a partition's batch given to the handler at once; a larger
   * batch is handed over in slices, one after the other. Default: 2000.
   */
  maxRecordsPerCall?: number;
  /** Default: 100 ms. */
  maxWaitTimeInMs?: number;
  /** Resolved offsets are committed at most this often, and when the consumer stops or a rebalance begins. Default: 1000 ms. */
  commitIntervalInMs?: number;
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

type KafkajsMessage = EachBatchPayload['batch']['messages'][number];

/** A header value as kafkajs decodes it (an array when the name repeats), as its first value's text; a null value is none. */
function headerText(raw: KafkajsMessage['headers'], name: string): string | undefined {
  const value = raw && Object.hasOwn(raw, name) ? raw[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first == null ? undefined : first.toString();
}

/**
 * A kafkajs message seen as an IncomingRecord. Key and headers are decoded
 * when read, not up front: a task from the bridge needs neither (its key is in
 * the envelope), and it reads only the few headers it looks for.
 */
class KafkajsRecord implements IncomingRecord {
  readonly offset: string;
  readonly timestamp: number;
  readonly #message: KafkajsMessage;

  constructor(
    readonly topic: string,
    readonly partition: number,
    message: KafkajsMessage,
  ) {
    this.offset = message.offset;
    this.timestamp = Number(message.timestamp);
    this.#message = message;
  }

  get key(): string | undefined {
    return this.#message.key?.toString();
  }

  /** Not kept: a record fetched by the fast decoder makes a new view at each read, which dies young once parsed. */
  get value(): Buffer | null {
    return this.#message.value;
  }

  /** Decoded anew on each read: for the rare record that needs them all (a dead letter). */
  get headers(): Record<string, string | undefined> {
    const raw = this.#message.headers;
    const headers: Record<string, string | undefined> = {};
    for (const name in raw) headers[name] = headerText(raw, name);
    return headers;
  }

  header(name: string): string | undefined {
    const message = this.#message;
    return message instanceof FetchedRecord ? message.headerText(name) : headerText(message.headers, name);
  }
}

/**
 * A kafkajs consumer group with `eachBatch` and manual offset resolution:
 * offsets are resolved by the handler only after the work is done, and
 * committed every `commitIntervalInMs`, on stop and when a rebalance begins.
 */
export function createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
  const maxRecordsPerCall = options.maxRecordsPerCall ?? 2000;
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
  let stopping = false;
  const commitIntervalInMs = options.commitIntervalInMs ?? 1000;
  /** Commits every offset resolved and not yet committed; taken from the latest batch (kafkajs makes a new group after a crash). */
  let commitResolved: (() => Promise<void>) | undefined;
  const commitNow = async (reason: string) => {
    try {
      await commitResolved?.();
    } catch (err) {
      options.logger.warn({ err, reason }, 'offset commit failed; the next owner will redo the work since the last commit');
    }
  };
  // The interval commit: a timer armed by a batch's end, at most once an interval (not pushed back
  // by later batches), so a busy consumer commits once an interval and one whose stream went quiet
  // still commits what it finished: it would otherwise show a lag it does not have, and an
  // autoscaler that reads the group's lag would keep replicas for it.
  let trailingCommit: NodeJS.Timeout | undefined;
  const commitLater = () => {
    if (stopping) return;
    trailingCommit ??= setTimeout(() => {
      trailingCommit = undefined;
      void commitNow('interval');
    }, commitIntervalInMs).unref();
  };

  // Per partition, the high watermark of its first batch since the last join (emptied at each join).
  const joinedAtOffsets = new Map<string, number>();
  const joinedAtOffsetOf = (topic: string, partition: number, highWatermark: string): number => {
    const name = `${topic}:${partition}`;
    let offset = joinedAtOffsets.get(name);
    if (offset === undefined) {
      // A watermark that is not a number tells nothing: every record may have been handled before.
      const parsed = Number(highWatermark);
      offset = highWatermark !== '' && Number.isFinite(parsed) ? parsed : Infinity;
      joinedAtOffsets.set(name, offset);
    }
    return offset;
  };

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joinedAtOffsets.clear();
    connected = true;
    options.logger.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined group');
  });
  // kafkajs tells of a rebalance once its batches are done and before it rejoins: the moment to hand
  // over what they finished (the old generation's commits are still accepted then).
  consumer.on(consumer.events.REBALANCING, () => {
    options.onRebalance?.();
    void commitNow('rebalance');
  });
  consumer.on(consumer.events.CRASH, (e) => {
    connected = false;
    commitResolved = undefined;
    options.logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
    if (!e.payload.restart) options.onFatalError?.(e.payload.error);
  });
  consumer.on(consumer.events.STOP, () => (connected = false));

  return {
    async start(handler) {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: true });
      await consumer.run({
        // With autoCommit on, kafkajs commits after every batch whatever the interval says: one
        // OffsetCommit per partition per fetch, hundreds a second under a moderate load, each a
        // round trip and a write to __consumer_offsets. So commits are ours: on the interval,
        // and whenever work is about to change hands (stop, rebalance), as kafkajs would.
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, uncommittedOffsets }) => {
          commitResolved = () => commitOffsetsIfNecessary(uncommittedOffsets());
          // Consumer lag for metrics (taskstream): from the fetch's high watermark, no extra request.
          const lag = (next: string) => options.onLag?.(batch.topic, batch.partition, Math.max(0, Number(batch.highWatermark) - Number(next)));
          if (!batch.isEmpty()) lag(batch.firstOffset()!);
          const joinedAtOffset = joinedAtOffsetOf(batch.topic, batch.partition, batch.highWatermark);
          const controls: BatchControls = { isActive: () => isRunning() && !isStale(), resolveOffset, heartbeat, joinedAtOffset };
          // Fetches are bounded in bytes, so small records make huge batches (a 512 KiB batch of
          // 50-byte records is 10,000 tasks, and the handler's state per task is far bigger than
          // the record): slices bound it in records. In order, so per-key order holds; once the
          // partition is gone the rest is left unresolved, for its next owner.
          const { messages } = batch;
          try {
            for (let start = 0; start < messages.length && (start === 0 || controls.isActive()); start += maxRecordsPerCall) {
              const records: IncomingRecord[] = [];
              for (let i = start; i < Math.min(start + maxRecordsPerCall, messages.length); i++) records.push(new KafkajsRecord(batch.topic, batch.partition, messages[i]!));
              await handler(records, controls);
            }
          } catch (err) {
            // kafkajs restarts the consumer from the committed offsets: hand over what was finished.
            await commitNow('batch failed');
            throw err;
          }
          if (!batch.isEmpty()) lag(String(Number(batch.lastOffset()) + 1));
          if (stopping || !isRunning()) return commitNow('stopping');
          // A heartbeat is how kafkajs learns of a rebalance; the partitions may be gone after it. The
          // commit is awaited here, so it goes before kafkajs rejoins; the REBALANCING event, which
          // kafkajs does not wait for, covers the rebalances it finds elsewhere (a fetch).
          try {
            await heartbeat();
          } catch (err) {
            await commitNow('rebalance');
            throw err;
          }
          commitLater();
        },
      });
    },
    // Batches still running when the consumer stops commit as they end; this covers a consumer
    // between batches. After leaving the group there is nothing to commit with.
    async stop() {
      stopping = true;
      clearTimeout(trailingCommit);
      await commitNow('stopping');
      await consumer.disconnect();
      commitResolved = undefined;
    },
    isConnected: () => connected,
  };
}
