import { scrape, sumCounter } from '@taskstream/cli';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPoster } from './http-load';
import { histogramBuckets, histogramQuantile, percentile } from './stats';

export interface ThroughputOptions {
  ingestUrl: string;
  consumerMetricsUrl: string;
  redisUrl: string;
  redisPrefix: string;
  tasks: number;
  batchSize: number;
  concurrency: number;
  keys: number;
  timeoutInMs: number;
  onProgress: (accepted: number, finished: number) => void;
}

export interface ThroughputResult {
  tasks: number;
  acceptedPerSecond: number;
  endToEndPerSecond: number;
  acceptSeconds: number;
  totalSeconds: number;
  batchLatencyMs: { p50: number; p99: number };
  endToEndMs: { p50: number; p99: number; p999: number };
  lost: number;
  retried429: number;
}

const finished = async (url: string) => sumCounter(await scrape(url), 'taskstream_consumer_tasks_total');

/** Counts ids whose status is not `succeeded`: the "0 lost" check, pipelined. */
async function countUnfinished(redis: Redis, prefix: string, ids: string[]): Promise<number> {
  let missing = 0;
  for (let i = 0; i < ids.length; i += 20_000) {
    const pipeline = redis.pipeline();
    for (const id of ids.slice(i, i + 20_000)) pipeline.hget(`${prefix}:t:${id}`, 's');
    for (const [, status] of (await pipeline.exec()) ?? []) if (status !== 'succeeded') missing++;
  }
  return missing;
}

/**
 * N no-op tasks through HTTP batches: accepted/s, end-to-end tasks/s (first
 * request to last task done), batch latency, end-to-end latency from the
 * consumer's histogram, and a check that every accepted id succeeded.
 */
export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const poster = createPoster(options.ingestUrl, options.concurrency);
  // One body reused by every request: the generator must not compete with ingest for the CPU.
  const body = JSON.stringify({ tasks: Array.from({ length: options.batchSize }, (_, i) => ({ type: 'noop', key: `k-${i % options.keys}`, payload: null })) });
  const e2eBefore = histogramBuckets(await scrape(options.consumerMetricsUrl), 'taskstream_task_e2e_seconds');
  const finishedBefore = await finished(options.consumerMetricsUrl);
  const ids: string[] = [];
  const latencies: number[] = [];
  let batchesLeft = Math.ceil(options.tasks / options.batchSize);
  let retried429 = 0;
  const started = performance.now();
  const progress = setInterval(() => {
    finished(options.consumerMetricsUrl).then((n) => options.onProgress(ids.length, n - finishedBefore), () => {});
  }, 1000);
  const worker = async () => {
    while (batchesLeft > 0) {
      batchesLeft--;
      for (;;) {
        const res = await poster.post('/v1/tasks/batch', body);
        if (res.status === 202) {
          latencies.push(res.latencyInMs);
          for (const id of (JSON.parse(res.body) as { ids: string[] }).ids) ids.push(id);
          break;
        }
        if (res.status !== 429) throw new Error(`ingest answered ${res.status}: ${res.body.slice(0, 300)}`);
        retried429++;
        await sleep(50);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const acceptSeconds = (performance.now() - started) / 1000;
  poster.close();
  const deadline = Date.now() + options.timeoutInMs;
  while ((await finished(options.consumerMetricsUrl)) - finishedBefore < ids.length && Date.now() < deadline) await sleep(100);
  const totalSeconds = (performance.now() - started) / 1000;
  clearInterval(progress);
  options.onProgress(ids.length, (await finished(options.consumerMetricsUrl)) - finishedBefore);

  const e2eAfter = histogramBuckets(await scrape(options.consumerMetricsUrl), 'taskstream_task_e2e_seconds');
  const redis = new Redis(options.redisUrl);
  const lost = await countUnfinished(redis, options.redisPrefix, ids);
  redis.disconnect();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => histogramQuantile(e2eAfter, e2eBefore, p) * 1000;
  return {
    tasks: ids.length,
    acceptedPerSecond: ids.length / acceptSeconds,
    endToEndPerSecond: ids.length / totalSeconds,
    acceptSeconds,
    totalSeconds,
    batchLatencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    endToEndMs: { p50: q(0.5), p99: q(0.99), p999: q(0.999) },
    lost,
    retried429,
  };
}
