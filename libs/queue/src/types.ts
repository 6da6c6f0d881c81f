import type { TaskEnvelope, TaskStatus, TaskView, TraceCarrier } from '@taskstream/contract';

export interface BufferedTask {
  envelope: TaskEnvelope;
  trace: TraceCarrier;
  /** True when the client chose the id: then a repeat of it is not enqueued again. */
  clientId: boolean;
}

export type EnqueueResult =
  | { accepted: true; /** per task: false when its id was already known (idempotent repeat) */ fresh: boolean[] }
  | { accepted: false; reason: 'buffer-full'; depth: number };

/** Where ingest puts accepted tasks; durable once the promise resolves. */
export interface TaskBuffer {
  enqueue(tasks: BufferedTask[]): Promise<EnqueueResult>;
}

export interface StatusTransition {
  id: string;
  status: Exclude<TaskStatus, 'queued' | 'published'>;
  attempts: number;
  type: string;
  key: string;
  /** When the task was created (epoch ms): every status carries it. */
  createdAt: number;
  /** Result JSON (succeeded) or error JSON (retrying, dead); stored as it is, so it must be JSON. */
  detail?: string;
}

/** A task being replayed from the dead-letter topic. */
export type ReopenedTask = Pick<StatusTransition, 'id' | 'type' | 'key' | 'createdAt'>;

export interface TaskStatusStore {
  get(id: string): Promise<TaskView | undefined>;
  /** Applies transitions in one round trip; per task false when it was already finished. */
  apply(transitions: StatusTransition[]): Promise<boolean[]>;
  /** Per id, in one round trip: true when the task already succeeded or is dead (a redelivery to skip). */
  finished(ids: string[]): Promise<boolean[]>;
  /** Per id, the stored status (`queued` is not told from `published` here), undefined when none: checks over many tasks (a million ids is fine: read in pipelines of 10,000). */
  statuses(ids: string[]): Promise<(TaskStatus | undefined)[]>;
  /** Puts tasks back to `published` whatever their status, so a replay of a dead letter is not skipped as finished. */
  reopen(tasks: ReopenedTask[]): Promise<void>;
}

export type DrainOutcome =
  | { kind: 'lease-lost' }
  | { kind: 'fresh' | 'recovered'; items: string[] };

/** The bridge's side of the buffer: leased shards, their oldest tasks handed out, trimmed once Kafka has them. */
export interface ShardQueue {
  drain(shards: number[], maxPerShard: number): Promise<DrainOutcome[]>;
  /** Kafka has the tasks handed out from these lists: drop them and count them published. Per list: false when its lease was lost. */
  ack(batches: { shard: number; count: number }[]): Promise<boolean[]>;
  acquireLease(shard: number): Promise<boolean>;
  renewLease(shard: number): Promise<boolean>;
  releaseLease(shard: number): Promise<boolean>;
  /** Records this bridge as alive and returns how many bridges are alive. */
  heartbeat(): Promise<number>;
  leave(): Promise<void>;
}
