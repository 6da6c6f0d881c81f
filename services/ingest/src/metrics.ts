import { Counter, Gauge, Histogram, LATENCY_BUCKETS, type Registry } from '@taskstream/telemetry';

export interface IngestMetrics {
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route' | 'method' | 'status'>;
  tasksAccepted: Counter;
  tasksRejected: Counter<'reason'>;
  tasksDuplicate: Counter;
  enqueueCallTasks: Histogram;
  bufferDepth: Gauge<'shard'>;
  oldestTaskAge: Gauge<'shard'>;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    httpRequests: new Counter({ name: 'taskstream_http_requests_total', help: 'HTTP requests', labelNames: ['route', 'method', 'status'], registers }),
    httpDuration: new Histogram({
      name: 'taskstream_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tasksAccepted: new Counter({ name: 'taskstream_tasks_accepted_total', help: 'Tasks accepted into the buffer', registers }),
    tasksRejected: new Counter({ name: 'taskstream_tasks_rejected_total', help: 'Tasks refused, by reason', labelNames: ['reason'], registers }),
    tasksDuplicate: new Counter({ name: 'taskstream_tasks_duplicate_total', help: 'Tasks whose client id was already known', registers }),
    // Tasks per enqueue script call: batches, and single requests coalesced per event-loop turn.
    enqueueCallTasks: new Histogram({
      name: 'taskstream_ingest_enqueue_call_tasks',
      help: 'Tasks per Redis enqueue call',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
      registers,
    }),
    bufferDepth: new Gauge({ name: 'taskstream_buffer_depth', help: 'Tasks in each Redis list, those the bridge is producing included', labelNames: ['shard'], registers }),
    // How long the oldest waiting task has waited: depth says how much, this says how late.
    oldestTaskAge: new Gauge({ name: 'taskstream_buffer_oldest_task_age_seconds', help: 'Age of the oldest task waiting in each Redis list (0 when empty)', labelNames: ['shard'], registers }),
  };
}
