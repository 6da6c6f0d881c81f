/**
 * Span names and attributes shared by the services, the tests and `taskstream trace`.
 * Names follow the OpenTelemetry messaging conventions (`{operation} {destination}`);
 * `task.*` attributes are ours, so a task's spans are found by `task.id`.
 */
export const SpanNames = {
  /** Ingest, one per sampled task, root of the task's trace (PRODUCER, operation `create`). */
  create: (topic: string) => `create ${topic}`,
  /** Bridge: per batch (CLIENT, links) and per sampled task in its trace (PRODUCER). */
  send: (topic: string) => `send ${topic}`,
  /** Consumer, per task attempt run (CONSUMER), parent of `handle <type>`. */
  process: (topic: string) => `process ${topic}`,
  handle: (type: string) => `handle ${type}`,
} as const;

export const Attr = {
  messagingSystem: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  partition: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  kafkaOffset: 'messaging.kafka.offset',
  kafkaKey: 'messaging.kafka.message.key',
  taskId: 'task.id',
  taskType: 'task.type',
  taskAttempt: 'task.attempt',
  /** Accepted by ingest → drained by the bridge, in ms: the wait in Redis. */
  redisWaitMs: 'task.wait.redis_ms',
  /** Written to Kafka → picked up by the consumer, in ms: the wait in Kafka. */
  kafkaWaitMs: 'task.wait.kafka_ms',
  /** Set on a bridge span when the batch was left in-flight by a bridge that died. */
  recovered: 'task.recovered',
} as const;

/**
 * The messaging attributes every span of a task's path carries, and those
 * naming the task itself: one place for what ingest, bridge and consumer share.
 */
export function messagingAttributes(operation: 'create' | 'send' | 'process', topic: string): Record<string, string> {
  return { [Attr.messagingSystem]: 'kafka', [Attr.destination]: topic, [Attr.operationType]: operation, [Attr.operationName]: operation };
}

export function taskAttributes(task: { id: string; type: string }): Record<string, string> {
  return { [Attr.messageId]: task.id, [Attr.taskId]: task.id, [Attr.taskType]: task.type };
}
