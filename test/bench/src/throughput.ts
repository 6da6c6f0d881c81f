import { createRedis, createRedisStatusStore } from '@taskstream/queue';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, type BenchContext } from './context';
import { createPoster } from './http-load';
import { endToEndBetween, endToEndBuckets, finishedCount, waitForFinished, type EndToEndMs } from './metrics';
import { cpuOfStack, cpuPerTask } from './processes';
import { summarize, type Percentiles } from './stats';

export interface ThroughputResult {
  tasks: number;
  acceptedPerSecond: number;
  endToEndPerSecond: number;
  acceptSeconds: number;
  totalSeconds: number;
  batchLatencyMs: Percentiles;
  endToEndMs: EndToEndMs;
  lost: number;
  retried429: number;
  retried503: number;
  /** µs of CPU per task of each process of the stack (ingest, bridge, consumer, redis, kafka), first request → last done. */
  cpuMicrosPerTask: Record<string, number>;
}

export interface ThroughputOptions {
  tasks: number;
  /** Label of the progress line and the chart phase. */
  label: string;
  /** Check in Redis that every accepted id succeeded (costs a pass over all ids). */
  checkLost: boolean;
}

/** Counts ids whose status is not `succeeded`: the "0 lost" check, pipelined. */
async function countUnfinished(redisUrl: string, prefix: string, ids: string[]): Promise<number> {
  const redis = createRedis({ url: redisUrl, connectionName: 'taskstream-bench' });
  const store = createRedisStatusStore({ redis, prefix, statusTtlInSeconds: 3600 });
  try {
    return (await store.statuses(ids)).filter((status) => status !== 'succeeded').length;
  } finally {
    redis.disconnect();
  }
}

/** A batch body reused by every request: the generator must not compete with ingest for the CPU. */
const batchBody = (size: number, keys: number) =>
  JSON.stringify({ tasks: Array.from({ length: size }, (_, i) => ({ type: 'noop', key: `k-${i % keys}`, payload: null })) });

/**
 * Sends batches until `tasks` are accepted (429 is retried), keeping
 * `concurrency` requests in flight; returns the accepted ids and batch latencies.
 */
async function sendAll(ctx: BenchContext, tasks: number, onAccepted: (n: number) => void) {
  const { config } = ctx;
  const poster = createPoster(config.ingestUrl, config.concurrency);
  const body = batchBody(config.batchSize, config.keys);
  const ids: string[] = [];
  const latencies: number[] = [];
  let batchesLeft = Math.ceil(tasks / config.batchSize);
  let retried429 = 0;
  let retried503 = 0;
  const worker = async () => {
    while (batchesLeft > 0) {
      batchesLeft--;
      for (;;) {
        const res = await poster.post('/v1/tasks/batch', body);
        if (res.status === 202) {
          latencies.push(res.latencyInMs);
          for (const id of (JSON.parse(res.body) as { ids: string[] }).ids) ids.push(id);
          onAccepted(ids.length);
          break;
        }
        // 429 (buffer full) and 503 (Redis did not answer in time) are retriable by contract;
        // nothing of a refused batch was accepted, so resending it cannot hide a loss.
        if (res.status === 429) retried429++;
        else if (res.status === 503) retried503++;
        else throw new Error(`ingest answered ${res.status}: ${res.body.slice(0, 300)}`);
        await sleep(50);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: config.concurrency }, worker));
  } finally {
    poster.close();
  }
  return { ids, latencies, retried429, retried503 };
}

/**
 * N no-op tasks through HTTP batches: accepted/s, end-to-end tasks/s (first
 * request to last task done), batch latency, end-to-end latency from the
 * consumer's histogram, and a check that every accepted id succeeded.
 */
export async function runThroughput(ctx: BenchContext, options: ThroughputOptions): Promise<ThroughputResult> {
  const { config, progress } = ctx;
  const e2eBefore = await endToEndBuckets(config.consumerUrl);
  const finishedBefore = await finishedCount(config.consumerUrl);
  let accepted = 0;
  let finished = 0;
  const show = () => progress.update(options.label, finished, options.tasks, `accepted ${fmt(accepted)}`);
  // The progress line needs the finished count while sending; one scrape a second is cheap.
  const poll = setInterval(() => void finishedCount(config.consumerUrl).then((n) => ((finished = n - finishedBefore), show()), () => {}), 1000);
  const cpuBefore = cpuOfStack(config.runDir);
  const started = performance.now();
  let sent;
  try {
    sent = await sendAll(ctx, options.tasks, (n) => (accepted = n));
  } finally {
    clearInterval(poll);
  }
  const acceptSeconds = (performance.now() - started) / 1000;
  finished = await waitForFinished(config.consumerUrl, finishedBefore, sent.ids.length, config.timeoutInMs, (n) => ((finished = n), show()));
  const totalSeconds = (performance.now() - started) / 1000;
  const cpuMicros = cpuPerTask(cpuBefore, cpuOfStack(config.runDir), sent.ids.length);
  progress.finish();
  const e2eAfter = await endToEndBuckets(config.consumerUrl);
  const lost = options.checkLost ? await countUnfinished(config.redisUrl, config.redisPrefix, sent.ids) : NaN;
  return {
    tasks: sent.ids.length,
    acceptedPerSecond: sent.ids.length / acceptSeconds,
    endToEndPerSecond: sent.ids.length / totalSeconds,
    acceptSeconds,
    totalSeconds,
    batchLatencyMs: summarize(sent.latencies),
    endToEndMs: endToEndBetween(e2eBefore, e2eAfter),
    lost,
    retried429: sent.retried429,
    retried503: sent.retried503,
    cpuMicrosPerTask: cpuMicros,
  };
}

/**
 * A few thousand tasks first, so JIT compilation, connection setup and a
 * consumer that just joined its group are not charged to the measured run.
 */
export async function warmUp(ctx: BenchContext): Promise<void> {
  await runThroughput(ctx, { tasks: ctx.config.warmUpTasks, label: 'warm-up', checkLost: false });
}
