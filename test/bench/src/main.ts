import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { memoryOf, pidOf, PIDFILES } from './processes';
import { runThroughput } from './throughput';

const RESULTS_DIR = join(__dirname, '..', '..', '..', 'bench-results');

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: process.env.BENCH_TASKS ?? '1000000' },
      batch: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
      keys: { type: 'string', default: '10000' },
    },
  });
  const tasks = Number(values.tasks);
  console.log(`bench: ${fmt(tasks)} no-op tasks through HTTP batches of ${values.batch}, ${values.concurrency} requests in flight`);
  const result = await runThroughput({
    ingestUrl: process.env.INGEST_URL ?? 'http://127.0.0.1:8080',
    consumerMetricsUrl: process.env.CONSUMER_METRICS_URL ?? 'http://127.0.0.1:8082/metrics',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: process.env.TASKSTREAM_PREFIX ?? 'ts',
    tasks,
    batchSize: Number(values.batch),
    concurrency: Number(values.concurrency),
    keys: Number(values.keys),
    timeoutInMs: 600_000,
    onProgress: (accepted, finished) => {
      const width = 30;
      const done = Math.min(width, Math.round((finished / tasks) * width));
      process.stdout.write(`\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] accepted ${fmt(accepted)} finished ${fmt(finished)}   `);
    },
  });
  process.stdout.write('\n');
  const memory = Object.fromEntries(Object.keys(PIDFILES).map((name) => [name, memoryOf(pidOf(name) ?? -1)]));
  const rows: [string, string][] = [
    ['tasks', fmt(result.tasks)],
    ['accepted / s (HTTP batches)', fmt(result.acceptedPerSecond)],
    ['end to end / s (first request → last task done)', fmt(result.endToEndPerSecond)],
    ['wall time (s)', fmt(result.totalSeconds, 1)],
    ['ingest batch request p50 / p99 (ms)', `${fmt(result.batchLatencyMs.p50, 1)} / ${fmt(result.batchLatencyMs.p99, 1)}`],
    ['end to end p50 / p99 / p99.9 (ms, accepted → handler done)', `${fmt(result.endToEndMs.p50)} / ${fmt(result.endToEndMs.p99)} / ${fmt(result.endToEndMs.p999)}`],
    ['lost (accepted but not succeeded)', fmt(result.lost)],
    ['batches retried after 429', fmt(result.retried429)],
    ...Object.entries(memory).map(([name, m]): [string, string] => [`${name} peak RSS (MiB)`, m ? fmt(m.peakMiB) : 'n/a']),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), result, memory }, null, 2));
  console.log(`results: ${file}`);
  if (result.lost > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exit(1);
});
