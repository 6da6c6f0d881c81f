import { Counter, Gauge, Histogram, LATENCY_BUCKETS, type Registry } from '@taskstream/telemetry';

/** Labelled children of one task type, looked up once per type instead of hashing labels per task. */
export interface TypeMetrics {
  redisWait: ReturnType<Histogram<'type'>['labels']>;
  kafkaWait: ReturnType<Histogram<'type'>['labels']>;
  handlerDuration: ReturnType<Histogram<'type'>['labels']>;
  endToEnd: ReturnType<Histogram<'type'>['labels']>;
  inFlight: ReturnType<Gauge<'type'>['labels']>;
  succeeded: ReturnType<Counter<'type' | 'outcome'>['labels']>;
  dead: ReturnType<Counter<'type' | 'outcome'>['labels']>;
}

export interface ConsumerMetrics {
  tasks: Counter<'type' | 'outcome'>;
  handlerDuration: Histogram<'type'>;
  endToEnd: Histogram<'type'>;
  /** Accepted by ingest → written to Kafka by the bridge (the record's timestamp). */
  redisWait: Histogram<'type'>;
  /** Written to Kafka → the attempt starts (includes waiting for a key lane or bulkhead slot). */
  kafkaWait: Histogram<'type'>;
  retries: Counter<'type'>;
  deadLetters: Counter<'reason'>;
  duplicates: Counter;
  inFlight: Gauge<'type'>;
  rebalances: Counter;
  lag: Gauge<'topic' | 'partition'>;
  forType(type: string): TypeMetrics;
}

export function createConsumerMetrics(registry: Registry): ConsumerMetrics {
  const registers = [registry];
  const perType = (name: string, help: string) => new Histogram({ name, help, labelNames: ['type'], buckets: LATENCY_BUCKETS, registers });
  const handlerDuration = perType('taskstream_handler_duration_seconds', 'Handler run time per attempt');
  const endToEnd = perType('taskstream_task_e2e_seconds', 'Accepted by ingest to handler done');
  const redisWait = perType('taskstream_stage_redis_wait_seconds', 'Wait in the Redis buffer: accepted by ingest to written to Kafka by the bridge');
  const kafkaWait = perType('taskstream_stage_kafka_wait_seconds', 'Wait in Kafka: written by the bridge to handler start');
  // Task types are few (the registered handlers), so this cache stays small.
  const cache = new Map<string, TypeMetrics>();
  const tasks = new Counter({ name: 'taskstream_consumer_tasks_total', help: 'Tasks finished, by type and outcome', labelNames: ['type', 'outcome'], registers });
  const inFlight = new Gauge({ name: 'taskstream_consumer_in_flight', help: 'Tasks running now, by type', labelNames: ['type'], registers });
  return {
    tasks,
    handlerDuration,
    endToEnd,
    redisWait,
    kafkaWait,
    retries: new Counter({ name: 'taskstream_consumer_retries_total', help: 'Failed attempts that will be retried', labelNames: ['type'], registers }),
    deadLetters: new Counter({ name: 'taskstream_dead_letters_total', help: 'Records sent to the dead-letter topic, by error code', labelNames: ['reason'], registers }),
    duplicates: new Counter({ name: 'taskstream_consumer_duplicates_total', help: 'Redelivered tasks skipped because they had already finished', registers }),
    inFlight,
    rebalances: new Counter({ name: 'taskstream_consumer_rebalances_total', help: 'Consumer group rebalances seen', registers }),
    lag: new Gauge({ name: 'taskstream_consumer_lag', help: 'Records of a partition not yet handled by this consumer (high watermark - next offset)', labelNames: ['topic', 'partition'], registers }),
    forType(type) {
      let children = cache.get(type);
      if (!children) {
        children = {
          redisWait: redisWait.labels(type),
          kafkaWait: kafkaWait.labels(type),
          handlerDuration: handlerDuration.labels(type),
          endToEnd: endToEnd.labels(type),
          inFlight: inFlight.labels(type),
          succeeded: tasks.labels(type, 'succeeded'),
          dead: tasks.labels(type, 'dead'),
        };
        cache.set(type, children);
      }
      return children;
    },
  };
}
