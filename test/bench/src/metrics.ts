import { scrape, sumCounter } from '@taskstream/cli';
import { setTimeout as sleep } from 'node:timers/promises';
import { histogramBuckets, histogramQuantile } from './stats';

/** Names the bench reads from the services' /metrics. */
export const METRICS = {
  finished: 'taskstream_consumer_tasks_total',
  accepted: 'taskstream_tasks_accepted_total',
  endToEnd: 'taskstream_task_e2e_seconds',
  httpDuration: 'taskstream_http_request_duration_seconds',
} as const;

/** Only task routes: the once-a-second /metrics scrape would otherwise dominate at low load. */
/** Route prefix of the task endpoints (single and batch) in ingest's HTTP histogram. */
export const TASK_ROUTES = '/v1/tasks';

export const metricsUrl = (serviceUrl: string) => `${serviceUrl}/metrics`;

/** Tasks the consumer finished since it started (every type and outcome). */
export async function finishedCount(consumerUrl: string): Promise<number> {
  return sumCounter(await scrape(metricsUrl(consumerUrl)), METRICS.finished);
}

export async function endToEndBuckets(consumerUrl: string): Promise<Map<number, number>> {
  return histogramBuckets(await scrape(metricsUrl(consumerUrl)), METRICS.endToEnd);
}

export interface EndToEndMs {
  p50: number;
  p99: number;
  p999: number;
}

/** End-to-end percentiles (accepted → handler done) of the tasks finished between two snapshots. */
export function endToEndBetween(before: Map<number, number>, after: Map<number, number>): EndToEndMs {
  const q = (p: number) => histogramQuantile(after, before, p) * 1000;
  return { p50: q(0.5), p99: q(0.99), p999: q(0.999) };
}

/**
 * Polls the consumer until it finished `target` more tasks than `baseline`;
 * returns the count reached (less than the target only on timeout).
 */
export async function waitForFinished(
  consumerUrl: string,
  baseline: number,
  target: number,
  timeoutInMs: number,
  onTick: (finished: number) => void = () => {},
): Promise<number> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const done = (await finishedCount(consumerUrl)) - baseline;
    onTick(done);
    if (done >= target || Date.now() > deadline) return done;
    // 50 ms: the end-to-end time is read from this loop, so it must not add much to it.
    await sleep(50);
  }
}

/**
 * Waits until the consumer's finished count has not moved for `quietInMs`:
 * a failed scenario leaves a backlog behind that would slow the next one.
 */
export async function waitForQuiet(consumerUrl: string, quietInMs: number, timeoutInMs: number): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  let last = -1;
  let changedAt = Date.now();
  while (Date.now() < deadline) {
    const now = await finishedCount(consumerUrl).catch(() => -1); // -1: not answering, not quiet
    if (now !== last || now < 0) {
      last = now;
      changedAt = Date.now();
    } else if (Date.now() - changedAt >= quietInMs) {
      return;
    }
    await sleep(500);
  }
}
