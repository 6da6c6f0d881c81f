import type { BullmqResult } from './bullmq';
import type { KafkaCeilingResult } from './kafka-ceiling';
import type { KafkaDirectResult } from './kafka-direct';
import type { LatencyAtHalfResult } from './latency-at-half';
import type { Memory } from './processes';
import type { SingleIngestResult } from './single-ingest';
import type { ThroughputResult } from './throughput';
import type { TracingOverheadResult } from './tracing-overhead';

/** Everything one bench run measured; a scenario not selected (or failed) is absent. */
export interface BenchResults {
  throughput?: ThroughputResult;
  singleIngest?: SingleIngestResult;
  latencyAtHalf?: LatencyAtHalfResult;
  memory?: Record<string, Memory | undefined>;
  kafkaDirect?: KafkaDirectResult;
  ceiling?: KafkaCeilingResult;
  bullmq?: BullmqResult;
  tracing?: TracingOverheadResult;
  /** Scenario → error message, for scenarios that failed (the others still ran). */
  failed: Record<string, string>;
}

export const NODE_SERVICES = ['ingest', 'bridge', 'consumer'] as const;

/** taskstream ÷ peer ratios the table states; NaN when either side did not run. */
export function ratios(r: BenchResults): { overBullmq: number; overCeiling: number } {
  const ours = r.throughput?.endToEndPerSecond ?? NaN;
  return {
    overBullmq: ours / (r.bullmq?.endToEndPerSecond ?? NaN),
    overCeiling: ours / (r.ceiling?.ceilingPerSecond ?? NaN),
  };
}
