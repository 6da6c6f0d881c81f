/** Topic names derived from the base tasks topic, so one setting renames them all. */
export interface TopicNames {
  tasks: string;
  retry: string;
  deadLetter: string;
  results: string;
}

export function topicNames(tasksTopic: string): TopicNames {
  return { tasks: tasksTopic, retry: `${tasksTopic}.retry`, deadLetter: `${tasksTopic}.dlq`, results: `${tasksTopic}.results` };
}

/** Redis key names under one prefix, so several pipelines can share a Redis. */
export interface RedisKeys {
  /** Tasks of a shard, newest at the head; the oldest, at the tail, are the next to be published. */
  pending(shard: number): string;
  /** How many of the oldest pending tasks the shard's lease holder is producing, until Kafka acknowledges them. */
  inflightCount(shard: number): string;
  /** A list the bridges of an earlier layout moved in-flight tasks to; only read to put such tasks back. */
  oldInflight(shard: number): string;
  lease(shard: number): string;
  /** Tasks ever pushed to / published from a shard: a task's place vs these tells queued from published. */
  pushed(shard: number | string): string;
  published(shard: number | string): string;
  /** Tasks in all pending lists, the ones being produced included (the 429 cap is checked against it). */
  depth: string;
  /** Sorted set of live bridge ids scored by their last heartbeat. */
  bridges: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    pending: (shard) => `${prefix}:q:${shard}`,
    inflightCount: (shard) => `${prefix}:inflight-count:${shard}`,
    oldInflight: (shard) => `${prefix}:inflight:${shard}`,
    lease: (shard) => `${prefix}:lease:${shard}`,
    pushed: (shard) => `${prefix}:pushed:${shard}`,
    published: (shard) => `${prefix}:published:${shard}`,
    depth: `${prefix}:depth`,
    bridges: `${prefix}:bridges`,
  };
}

/** Kafka header names of the contract. */
export const Headers = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  taskId: 'task-id',
  taskType: 'task-type',
  /**
   * Set by the bridge on the first produce of tasks it took fresh from Redis (not a retried
   * produce, not tasks a dead bridge left in flight): no earlier copy of the task can be in Kafka,
   * so a consumer that got the partition before the record was written skips its finished-check.
   */
  firstSend: 'task-first-send',
  errorCode: 'error-code',
  errorMessage: 'error-message',
  attempts: 'attempts',
  originTopic: 'origin-topic',
  originPartition: 'origin-partition',
  originOffset: 'origin-offset',
} as const;
