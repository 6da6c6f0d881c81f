import { Counter, Gauge, Histogram, LATENCY_BUCKETS, type Registry } from '@taskstream/telemetry';

export interface ConsumerMetrics {
  tasks: Counter<'type' | 'outcome'>;
  handlerDuration: Histogram<'type'>;
  endToEnd: Histogram<'type'>;
  retries: Counter<'type'>;
  deadLetters: Counter<'reason'>;
  duplicates: Counter;
  inFlight: Gauge<'type'>;
  rebalances: Counter;
}

export function createConsumerMetrics(registry: Registry): ConsumerMetrics {
  const registers = [registry];
  return {
    tasks: new Counter({ name: 'taskstream_consumer_tasks_total', help: 'Tasks finished, by type and outcome', labelNames: ['type', 'outcome'], registers }),
    handlerDuration: new Histogram({ name: 'taskstream_handler_duration_seconds', help: 'Handler run time per attempt', labelNames: ['type'], buckets: LATENCY_BUCKETS, registers }),
    endToEnd: new Histogram({ name: 'taskstream_task_e2e_seconds', help: 'Accepted by ingest to handler done', labelNames: ['type'], buckets: LATENCY_BUCKETS, registers }),
    retries: new Counter({ name: 'taskstream_consumer_retries_total', help: 'Failed attempts that will be retried', labelNames: ['type'], registers }),
    deadLetters: new Counter({ name: 'taskstream_dead_letters_total', help: 'Records sent to the dead-letter topic, by error code', labelNames: ['reason'], registers }),
    duplicates: new Counter({ name: 'taskstream_consumer_duplicates_total', help: 'Redelivered tasks skipped because they had already finished', registers }),
    inFlight: new Gauge({ name: 'taskstream_consumer_in_flight', help: 'Tasks running now, by type', labelNames: ['type'], registers }),
    rebalances: new Counter({ name: 'taskstream_consumer_rebalances_total', help: 'Consumer group rebalances seen', registers }),
  };
}
