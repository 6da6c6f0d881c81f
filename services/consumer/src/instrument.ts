import type { TaskEnvelope } from '@taskstream/contract';
import type { IncomingRecord } from '@taskstream/kafka';
import type { ConsumerMetrics } from './metrics';
import { traced } from './tracing';

/**
 * Per-stage waits of a task's first attempt, from timestamps it already carries:
 * Redis = accepted (envelope createdAt) → written to Kafka (record timestamp, set
 * by the bridge's produce); Kafka = written → this attempt starts. Retried copies
 * (attempt > 1) are skipped: their timestamps describe the retry, not the pipeline.
 */
export function observeStageWaits(metrics: ConsumerMetrics, record: IncomingRecord, task: TaskEnvelope, now: number): void {
  if (task.attempt !== 1 || !(record.timestamp > 0)) return;
  const children = metrics.forType(task.type);
  const inRedis = record.timestamp - task.createdAt;
  // A third-party record never was in Redis: its createdAt is when it was parsed, after the timestamp.
  if (inRedis >= 0) children.redisWait.observe(inRedis / 1000);
  children.kafkaWait.observe(Math.max(0, now - record.timestamp) / 1000);
}

/** Everything the consumer measures around one task run: stage waits, then the traced run. */
export function instrumentTask<T>(metrics: ConsumerMetrics, record: IncomingRecord, task: TaskEnvelope, fn: () => Promise<T>): Promise<T> {
  const now = Date.now();
  observeStageWaits(metrics, record, task, now);
  return traced(record, task, fn, now);
}
