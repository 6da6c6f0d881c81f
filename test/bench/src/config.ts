import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Every scenario, in the order a full run executes them (see `docs/performance.md`). */
export const SCENARIOS = ['throughput', 'ingest', 'latency', 'memory', 'kafka', 'ceiling', 'bullmq', 'tracing'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Everything the bench needs, read once from flags and the environment. */
export interface BenchConfig {
  /** Same task count for taskstream and its peers (BENCH_TASKS, --tasks). Default 1,000,000. */
  tasks: number;
  scenarios: ReadonlySet<ScenarioName>;
  /** Tasks per HTTP batch in the throughput scenario (BENCH_BATCH, --batch). Default 1000. */
  batchSize: number;
  /** Batch requests in flight (BENCH_CONCURRENCY, --concurrency). Default 8. */
  concurrency: number;
  /** Distinct ordering keys (BENCH_KEYS, --keys). Default 10,000. */
  keys: number;
  /** Length of each single-task ingest run, closed loop and open loop (BENCH_INGEST_SECONDS). Default 5. */
  ingestSeconds: number;
  /** Requests in flight in the closed-loop single-task run (BENCH_INGEST_CONNECTIONS). Default 64. */
  ingestConnections: number;
  /** Open-loop arrival rate in requests/s; 0 = half the closed-loop maximum (BENCH_INGEST_RATE). */
  ingestRate: number;
  /** Length of the 50%-load run (BENCH_LATENCY_SECONDS). Default 10. */
  latencySeconds: number;
  /** Tasks per batch request in the 50%-load run (BENCH_LATENCY_BATCH). Default 100. */
  latencyBatchSize: number;
  /** Tasks/s for the 50%-load run; 0 = half the measured end-to-end maximum (BENCH_LATENCY_RATE). */
  latencyRate: number;
  /** Tasks sent before the first measured run and after each restart of the tracing runs (BENCH_WARMUP_TASKS). Default 5 batches. */
  warmUpTasks: number;
  /** Tasks per tracing setting (BENCH_TRACING_TASKS). Default min(tasks, 300,000). */
  tracingTasks: number;
  /** Times the off and 1% runs are repeated, alternating (BENCH_TRACING_ROUNDS). Default 2. */
  tracingRounds: number;
  /** BullMQ worker concurrency (BENCH_BULLMQ_CONCURRENCY). Default 100. */
  bullmqConcurrency: number;
  /** Jobs per `addBulk` call (BENCH_BULLMQ_CHUNK). Default 1000. */
  bullmqChunk: number;
  /** Let BullMQ delete completed jobs (BENCH_BULLMQ_REMOVE_ON_COMPLETE=true); default keeps them, as we keep a status per task. */
  bullmqRemoveOnComplete: boolean;
  /** Kafka record size for the broker ceiling; 0 = the size of our own record (BENCH_RECORD_SIZE). */
  recordBytes: number;
  /** Longest wait for a run to drain, in ms (BENCH_TIMEOUT_MS). Default 600,000. */
  timeoutInMs: number;
  ingestUrl: string;
  bridgeUrl: string;
  consumerUrl: string;
  redisUrl: string;
  redisPrefix: string;
  kafkaBrokers: string[];
  tasksTopic: string;
  /** Kafka jars of deploy/local (ProducerPerformance, ConsumerPerformance). */
  kafkaLibs: string;
  kafkaHome: string;
  runDir: string;
  repoRoot: string;
  resultsDir: string;
}

const REPO_ROOT = join(__dirname, '..', '..', '..');

function positiveInt(name: string, raw: string | undefined, fallback: number, problems: string[], allowZero = false): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) problems.push(`${name}="${raw}" must be an integer ${allowZero ? '>= 0' : '>= 1'}`);
  return n;
}

function parseScenarios(raw: string, problems: string[]): Set<ScenarioName> {
  if (raw.trim() === '' || raw.trim() === 'all') return new Set(SCENARIOS);
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length) problems.push(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (known: all, ${SCENARIOS.join(', ')})`);
  return new Set(names.filter((n): n is ScenarioName => (SCENARIOS as readonly string[]).includes(n)));
}

/**
 * Flags win over environment variables; every bad value is reported at once.
 * Ports and URLs follow the same variables deploy/local and the services read,
 * so a stack started on other ports is benchmarked without extra settings.
 */
export function loadBenchConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Readonly<BenchConfig> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tasks: { type: 'string' },
      scenarios: { type: 'string' },
      batch: { type: 'string' },
      concurrency: { type: 'string' },
      keys: { type: 'string' },
    },
  });
  const problems: string[] = [];
  const tasks = positiveInt('BENCH_TASKS', values.tasks ?? env.BENCH_TASKS, 1_000_000, problems);
  const batchSize = positiveInt('BENCH_BATCH', values.batch ?? env.BENCH_BATCH, 1000, problems);
  const cache = env.TASKSTREAM_CACHE ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? '/root', '.cache'), 'taskstream');
  const kafkaHome = join(cache, `kafka-${env.KAFKA_VERSION ?? '3.9.1'}`);
  const config: BenchConfig = {
    tasks,
    scenarios: parseScenarios(values.scenarios ?? env.BENCH_SCENARIOS ?? 'all', problems),
    batchSize,
    concurrency: positiveInt('BENCH_CONCURRENCY', values.concurrency ?? env.BENCH_CONCURRENCY, 8, problems),
    keys: positiveInt('BENCH_KEYS', values.keys ?? env.BENCH_KEYS, 10_000, problems),
    ingestSeconds: positiveInt('BENCH_INGEST_SECONDS', env.BENCH_INGEST_SECONDS, 5, problems),
    ingestConnections: positiveInt('BENCH_INGEST_CONNECTIONS', env.BENCH_INGEST_CONNECTIONS, 64, problems),
    ingestRate: positiveInt('BENCH_INGEST_RATE', env.BENCH_INGEST_RATE, 0, problems, true),
    latencySeconds: positiveInt('BENCH_LATENCY_SECONDS', env.BENCH_LATENCY_SECONDS, 10, problems),
    latencyBatchSize: positiveInt('BENCH_LATENCY_BATCH', env.BENCH_LATENCY_BATCH, 100, problems),
    latencyRate: positiveInt('BENCH_LATENCY_RATE', env.BENCH_LATENCY_RATE, 0, problems, true),
    warmUpTasks: Math.min(tasks, positiveInt('BENCH_WARMUP_TASKS', env.BENCH_WARMUP_TASKS, 5 * batchSize, problems)),
    tracingTasks: positiveInt('BENCH_TRACING_TASKS', env.BENCH_TRACING_TASKS, Math.min(tasks, 300_000), problems),
    tracingRounds: positiveInt('BENCH_TRACING_ROUNDS', env.BENCH_TRACING_ROUNDS, 2, problems),
    bullmqConcurrency: positiveInt('BENCH_BULLMQ_CONCURRENCY', env.BENCH_BULLMQ_CONCURRENCY, 100, problems),
    bullmqChunk: positiveInt('BENCH_BULLMQ_CHUNK', env.BENCH_BULLMQ_CHUNK, 1000, problems),
    bullmqRemoveOnComplete: env.BENCH_BULLMQ_REMOVE_ON_COMPLETE === 'true',
    recordBytes: positiveInt('BENCH_RECORD_SIZE', env.BENCH_RECORD_SIZE, 0, problems, true),
    timeoutInMs: positiveInt('BENCH_TIMEOUT_MS', env.BENCH_TIMEOUT_MS, 600_000, problems),
    ingestUrl: env.INGEST_URL ?? `http://127.0.0.1:${env.INGEST_PORT ?? 8080}`,
    bridgeUrl: `http://127.0.0.1:${env.BRIDGE_PORT ?? 8081}`,
    consumerUrl: `http://127.0.0.1:${env.CONSUMER_PORT ?? 8082}`,
    redisUrl: env.REDIS_URL ?? `redis://127.0.0.1:${env.REDIS_PORT ?? 6379}`,
    redisPrefix: env.TASKSTREAM_PREFIX ?? 'ts',
    kafkaBrokers: (env.KAFKA_BROKERS ?? `127.0.0.1:${env.KAFKA_PORT ?? 9092}`).split(',').map((s) => s.trim()).filter(Boolean),
    tasksTopic: env.TASKS_TOPIC ?? 'tasks',
    kafkaLibs: join(kafkaHome, 'libs'),
    kafkaHome,
    runDir: env.TASKSTREAM_RUN_DIR ?? join(REPO_ROOT, '.run'),
    repoRoot: REPO_ROOT,
    resultsDir: env.BENCH_RESULTS_DIR ?? join(REPO_ROOT, 'bench-results'),
  };
  if (config.scenarios.has('latency') && !config.scenarios.has('throughput') && config.latencyRate === 0) {
    problems.push('the latency scenario runs at half the measured maximum: select throughput too, or set BENCH_LATENCY_RATE');
  }
  if (problems.length) throw new Error(`bad bench settings:\n  ${problems.join('\n  ')}`);
  return Object.freeze(config);
}
