import { fmt, type BenchContext } from './context';
import { createPoster } from './http-load';
import { openLoop, type LoadRun } from './load-shapes';
import { endToEndBetween, endToEndBuckets, finishedCount, waitForFinished, type EndToEndMs } from './metrics';

export interface LatencyAtHalfResult {
  /** The measured maximum end to end (tasks/s) this run is half of; NaN when BENCH_LATENCY_RATE was set. */
  maximumPerSecond: number;
  targetTasksPerSecond: number;
  achievedTasksPerSecond: number;
  batchSize: number;
  /** Per batch request, from its scheduled time. */
  ingest: LoadRun;
  endToEndMs: EndToEndMs;
}

/**
 * Latency at half the measured maximum: batches of `latencyBatchSize` tasks
 * in an open loop at 50% of the end-to-end rate of the throughput scenario.
 * A single-task loop cannot offer that many tasks/s, hence small batches;
 * ingest latency is per batch request. End-to-end percentiles come from the
 * consumer's histogram (accepted by ingest → handler done) for these tasks only.
 */
export async function runLatencyAtHalf(ctx: BenchContext, maximumPerSecond: number): Promise<LatencyAtHalfResult> {
  const { config, progress, sampler } = ctx;
  const target = config.latencyRate || Math.max(1, Math.round(maximumPerSecond / 2));
  if (!Number.isFinite(target)) throw new Error('no end-to-end maximum to take half of (throughput failed); set BENCH_LATENCY_RATE');
  const batch = config.latencyBatchSize;
  const body = JSON.stringify({ tasks: Array.from({ length: batch }, (_, i) => ({ type: 'noop', key: `k-${i % config.keys}`, payload: null })) });
  const e2eBefore = await endToEndBuckets(config.consumerUrl);
  const finishedBefore = await finishedCount(config.consumerUrl);

  sampler.phase('50% load');
  const poster = createPoster(config.ingestUrl, 256);
  const requestRate = target / batch;
  const ingest = await openLoop(async () => (await poster.post('/v1/tasks/batch', body)).status === 202, requestRate, config.latencySeconds, Math.ceil(requestRate * 5), (done, total) =>
    progress.update('50% load', done * batch, total * batch, `at ${fmt(target)} tasks/s`),
  );
  poster.close();
  progress.finish();
  await waitForFinished(config.consumerUrl, finishedBefore, ingest.ok * batch, config.timeoutInMs);
  return {
    maximumPerSecond: config.latencyRate ? NaN : maximumPerSecond,
    targetTasksPerSecond: target,
    achievedTasksPerSecond: ingest.requestsPerSecond * batch,
    batchSize: batch,
    ingest,
    endToEndMs: endToEndBetween(e2eBefore, await endToEndBuckets(config.consumerUrl)),
  };
}
