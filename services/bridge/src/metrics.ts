import { Counter, Gauge, Histogram, LATENCY_BUCKETS, type Registry } from '@taskstream/telemetry';

export interface BridgeMetrics {
  batches: Counter;
  batchSize: Histogram;
  publishDuration: Histogram;
  tasksPublished: Counter;
  tasksRecovered: Counter;
  produceErrors: Counter;
  ownedShards: Gauge;
}

export function createBridgeMetrics(registry: Registry): BridgeMetrics {
  const registers = [registry];
  return {
    batches: new Counter({ name: 'taskstream_bridge_batches_total', help: 'Batches produced to Kafka', registers }),
    batchSize: new Histogram({ name: 'taskstream_bridge_batch_size', help: 'Tasks per produced batch', buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000, 25000, 50000], registers }),
    publishDuration: new Histogram({ name: 'taskstream_bridge_publish_duration_seconds', help: 'Time for Kafka to acknowledge a batch', buckets: LATENCY_BUCKETS, registers }),
    tasksPublished: new Counter({ name: 'taskstream_bridge_tasks_published_total', help: 'Tasks acknowledged by Kafka', registers }),
    tasksRecovered: new Counter({ name: 'taskstream_bridge_tasks_recovered_total', help: 'In-flight tasks of a dead bridge published again', registers }),
    produceErrors: new Counter({ name: 'taskstream_bridge_produce_errors_total', help: 'Failed produce attempts (retried)', registers }),
    ownedShards: new Gauge({ name: 'taskstream_bridge_owned_shards', help: 'Redis lists this bridge holds the lease of', registers }),
  };
}
