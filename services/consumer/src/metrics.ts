import { Counter, FastHistogram, Gauge, LATENCY_BUCKETS, type HistogramChild, type Registry } from '@taskstream/telemetry';

/** A number kept per task type on the hot path and handed to prom-client only when the metric is read (its `collect`). */
export interface Tally {
  inc(): void;
}

export interface InFlightTally extends Tally {
  dec(): void;
}

/** Per-type children, looked up once per type: observing or counting does no label work per task. */
export interface TypeMetrics {
  redisWait: HistogramChild;
  kafkaWait: HistogramChild;
  handlerDuration: HistogramChild;
  endToEnd: HistogramChild;
  inFlight: InFlightTally;
  succeeded: Tally;
  dead: Tally;
}

/**
 * The consumer's metrics. Tasks, in-flight, handler duration and end to end are counted per type
 * through `forType` (and filled in when read), so they are registered here but not exposed.
 */
export interface ConsumerMetrics {
  /** Accepted by ingest → written to Kafka by the bridge (the record's timestamp). */
  redisWait: FastHistogram<'type'>;
  /** Written to Kafka → the attempt starts (includes waiting for a key lane or bulkhead slot). */
  kafkaWait: FastHistogram<'type'>;
  retries: Counter<'type'>;
  deadLetters: Counter<'reason'>;
  duplicates: Counter;
  rebalances: Counter;
  lag: Gauge<'topic' | 'partition'>;
  forType(type: string): TypeMetrics;
}

/** What the hot path counted per type since the counters were last read, and what runs now. */
interface Counts {
  running: number;
  succeeded: number;
  dead: number;
}

export function createConsumerMetrics(registry: Registry): ConsumerMetrics {
  const registers = [registry];
  const perType = (name: string, help: string) => new FastHistogram({ name, help, labelNames: ['type'], buckets: LATENCY_BUCKETS, registers });
  const handlerDuration = perType('taskstream_handler_duration_seconds', 'Handler run time per attempt');
  const endToEnd = perType('taskstream_task_e2e_seconds', 'Accepted by ingest to handler done');
  const redisWait = perType('taskstream_stage_redis_wait_seconds', 'Wait in the Redis buffer: accepted by ingest to written to Kafka by the bridge');
  const kafkaWait = perType('taskstream_stage_kafka_wait_seconds', 'Wait in Kafka: written by the bridge to handler start');
  // Task types are few (the registered handlers), so these stay small.
  const cache = new Map<string, TypeMetrics>();
  const counts = new Map<string, Counts>();
  // These two are only registered: their values are filled in from the per-type tallies when scraped.
  new Counter({
    name: 'taskstream_consumer_tasks_total',
    help: 'Tasks finished, by type and outcome',
    labelNames: ['type', 'outcome'],
    registers,
    collect() {
      for (const [type, c] of counts) {
        if (c.succeeded) this.inc({ type, outcome: 'succeeded' }, c.succeeded);
        if (c.dead) this.inc({ type, outcome: 'dead' }, c.dead);
        c.succeeded = c.dead = 0;
      }
    },
  });
  new Gauge({
    name: 'taskstream_consumer_in_flight',
    help: 'Tasks running now, by type',
    labelNames: ['type'],
    registers,
    collect() {
      for (const [type, c] of counts) this.set({ type }, c.running);
    },
  });
  return {
    redisWait,
    kafkaWait,
    retries: new Counter({ name: 'taskstream_consumer_retries_total', help: 'Failed attempts that will be retried', labelNames: ['type'], registers }),
    deadLetters: new Counter({ name: 'taskstream_dead_letters_total', help: 'Records sent to the dead-letter topic, by error code', labelNames: ['reason'], registers }),
    duplicates: new Counter({ name: 'taskstream_consumer_duplicates_total', help: 'Redelivered tasks skipped because they had already finished', registers }),
    rebalances: new Counter({ name: 'taskstream_consumer_rebalances_total', help: 'Consumer group rebalances seen', registers }),
    lag: new Gauge({ name: 'taskstream_consumer_lag', help: 'Records of a partition not yet handled by this consumer (high watermark - next offset)', labelNames: ['topic', 'partition'], registers }),
    forType(type) {
      let children = cache.get(type);
      if (!children) {
        const c: Counts = { running: 0, succeeded: 0, dead: 0 };
        counts.set(type, c);
        children = {
          redisWait: redisWait.labels(type),
          kafkaWait: kafkaWait.labels(type),
          handlerDuration: handlerDuration.labels(type),
          endToEnd: endToEnd.labels(type),
          inFlight: { inc: () => void c.running++, dec: () => void c.running-- },
          succeeded: { inc: () => void c.succeeded++ },
          dead: { inc: () => void c.dead++ },
        };
        cache.set(type, children);
      }
      return children;
    },
  };
}
