import type { TaskEnvelope } from '@taskstream/contract';
import type { IncomingRecord } from '@taskstream/kafka';
import type { TypeMetrics } from './metrics';

/**
 * Per-stage waits of a task's first attempt, from timestamps it already carries:
 * Redis = accepted (envelope createdAt) → written to Kafka (record timestamp, set
 * by the bridge's produce); Kafka = written → this attempt starts. Retried copies
 * (attempt > 1) are skipped: their timestamps describe the retry, not the pipeline.
 */
export function observeStageWaits(children: TypeMetrics, record: IncomingRecord, task: TaskEnvelope, now: number): void {
  const written = record.timestamp;
  if (task.attempt !== 1 || !(written > 0)) return;
  const inRedis = written - task.createdAt;
  // A third-party record never was in Redis: its createdAt is when it was parsed, after the timestamp.
  if (inRedis >= 0) children.redisWait.observe(inRedis / 1000);
  children.kafkaWait.observe(Math.max(0, now - written) / 1000);
}
