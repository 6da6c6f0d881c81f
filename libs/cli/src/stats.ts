import { bucketsOf, maxOf, parsePrometheus, quantileBetween, sumOf, type Sample } from './prom';

export type ServiceKey = 'ingest' | 'bridge' | 'consumer';

/** One scrape of the three /metrics endpoints; a service that did not answer has no samples. */
export interface Snapshot {
  atInMs: number;
  samples: Partial<Record<ServiceKey, Sample[]>>;
  errors: Partial<Record<ServiceKey, string>>;
}

export async function takeSnapshot(urls: Record<ServiceKey, string>, timeoutInMs = 900): Promise<Snapshot> {
  const snapshot: Snapshot = { atInMs: Date.now(), samples: {}, errors: {} };
  await Promise.all(
    (Object.keys(urls) as ServiceKey[]).map(async (key) => {
      try {
        const res = await fetch(urls[key], { signal: AbortSignal.timeout(timeoutInMs) });
        if (!res.ok) throw new Error(`answered ${res.status}`);
        snapshot.samples[key] = parsePrometheus(await res.text());
      } catch (err) {
        snapshot.errors[key] = (err as Error).message;
      }
    }),
  );
  return snapshot;
}

const num = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const millis = (seconds: number) => (Number.isFinite(seconds) ? `${num(seconds * 1000, seconds < 0.01 ? 1 : 0)} ms` : '–');

/** Per-second rate of a counter between two snapshots (NaN when either lacks the service). */
function rate(from: Snapshot, to: Snapshot, key: ServiceKey, name: string, filter?: (l: Record<string, string>) => boolean): number {
  const a = from.samples[key];
  const b = to.samples[key];
  if (!a || !b || to.atInMs <= from.atInMs) return NaN;
  return Math.max(0, sumOf(b, name, filter) - sumOf(a, name, filter)) / ((to.atInMs - from.atInMs) / 1000);
}

/** p50 / p99 of a histogram over the window, as "12 ms / 40 ms". */
function percentiles(from: Snapshot, to: Snapshot, key: ServiceKey, histogram: string): string {
  const a = from.samples[key];
  const b = to.samples[key];
  if (!a || !b) return '–';
  const before = bucketsOf(a, histogram);
  const after = bucketsOf(b, histogram);
  return `${millis(quantileBetween(after, before, 0.5))} / ${millis(quantileBetween(after, before, 0.99))}`;
}

function backlogLines(now: Snapshot): string[] {
  const ingest = now.samples.ingest ?? [];
  const consumer = now.samples.consumer ?? [];
  const lagByPartition = consumer
    .filter((s) => s.name === 'taskstream_consumer_lag' && s.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, 6)
    .map((s) => `${s.labels.topic}/${s.labels.partition}=${num(s.value)}`);
  return [
    'backlog',
    `  Redis buffer depth     ${num(sumOf(ingest, 'taskstream_buffer_depth')).padStart(12)}   oldest task waiting ${millis(maxOf(ingest, 'taskstream_buffer_oldest_task_age_seconds'))}`,
    `  Kafka consumer lag     ${num(sumOf(consumer, 'taskstream_consumer_lag')).padStart(12)}   ${lagByPartition.join(' ') || '(no partition behind)'}`,
    `  running in handlers    ${num(sumOf(consumer, 'taskstream_consumer_in_flight')).padStart(12)}`,
  ];
}

function rateLines(from: Snapshot, to: Snapshot): string[] {
  return [
    'throughput (tasks/s)',
    `  accepted ${num(rate(from, to, 'ingest', 'taskstream_tasks_accepted_total')).padStart(10)}   published ${num(rate(from, to, 'bridge', 'taskstream_bridge_tasks_published_total')).padStart(10)}   done ${num(rate(from, to, 'consumer', 'taskstream_consumer_tasks_total')).padStart(10)}`,
  ];
}

function latencyLines(from: Snapshot, to: Snapshot): string[] {
  return [
    'latency p50 / p99',
    `  end to end (accepted → done)  ${percentiles(from, to, 'consumer', 'taskstream_task_e2e_seconds')}`,
    `  wait in Redis                 ${percentiles(from, to, 'consumer', 'taskstream_stage_redis_wait_seconds')}`,
    `  wait in Kafka                 ${percentiles(from, to, 'consumer', 'taskstream_stage_kafka_wait_seconds')}`,
    `  handler                       ${percentiles(from, to, 'consumer', 'taskstream_handler_duration_seconds')}`,
    `  bridge publish (per batch)    ${percentiles(from, to, 'bridge', 'taskstream_bridge_publish_duration_seconds')}`,
  ];
}

function errorLines(from: Snapshot, to: Snapshot): string[] {
  const perSecond = (key: ServiceKey, name: string, filter?: (l: Record<string, string>) => boolean) => num(rate(from, to, key, name, filter), 1);
  const loopLag = (['ingest', 'bridge', 'consumer'] as const).map((key) => `${key} ${millis(maxOf(to.samples[key] ?? [], 'nodejs_eventloop_lag_p99_seconds'))}`);
  return [
    'errors (per second)',
    `  rejected ${perSecond('ingest', 'taskstream_tasks_rejected_total')}   failed ${perSecond('consumer', 'taskstream_consumer_tasks_total', (l) => l.outcome !== 'succeeded')}   retries ${perSecond('consumer', 'taskstream_consumer_retries_total')}   dead letters ${perSecond('consumer', 'taskstream_dead_letters_total')}   produce errors ${perSecond('bridge', 'taskstream_bridge_produce_errors_total')}`,
    `event-loop lag p99: ${loopLag.join('   ')}`,
  ];
}

/**
 * The terminal view: backlog now, rates over the last interval, percentiles
 * over the window (histogram deltas, as PromQL's rate + histogram_quantile).
 */
export function renderStats(window: Snapshot[]): string[] {
  const now = window[window.length - 1]!;
  const last = window[window.length - 2] ?? now;
  const first = window[0]!;
  const down = Object.entries(now.errors).map(([key, message]) => `  ${key}: ${message}`);
  return [
    `taskstream stats  ${new Date(now.atInMs).toISOString()}  (rates over ${num((now.atInMs - last.atInMs) / 1000, 1)} s, percentiles over ${num((now.atInMs - first.atInMs) / 1000, 0)} s)`,
    ...(down.length ? ['not answering:', ...down] : []),
    '',
    ...backlogLines(now),
    '',
    ...rateLines(last, now),
    '',
    ...latencyLines(first, now),
    '',
    ...errorLines(last, now),
  ];
}
