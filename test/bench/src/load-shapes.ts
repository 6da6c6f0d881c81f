import { setTimeout as sleep } from 'node:timers/promises';
import { summarize, type Percentiles } from './stats';

/** One request of a load: resolves true when the service accepted it. */
export type Send = () => Promise<boolean>;

export interface LoadRun {
  /** Requests answered with success. */
  ok: number;
  /** Requests refused or failed. */
  errors: number;
  /** Open loop only: requests not issued because too many were outstanding (the run is then invalid). */
  dropped: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
}

function record(latencies: number[], started: number, counts: { ok: number; errors: number }) {
  return (ok: boolean) => {
    latencies.push(performance.now() - started);
    if (ok) counts.ok++;
    else counts.errors++;
  };
}

/**
 * Closed loop: `connections` senders, each sending the next request when the
 * previous one answered. Measures the maximum rate, but hides queueing delay
 * (a slow answer also delays the next request), so its latencies flatter.
 */
export async function closedLoop(send: Send, connections: number, seconds: number, onTick: (done: number, elapsedSeconds: number) => void): Promise<LoadRun> {
  const latencies: number[] = [];
  const counts = { ok: 0, errors: 0 };
  const started = performance.now();
  const until = started + seconds * 1000;
  const ticker = setInterval(() => onTick(counts.ok + counts.errors, (performance.now() - started) / 1000), 250);
  const sender = async () => {
    while (performance.now() < until) {
      const done = record(latencies, performance.now(), counts);
      await send().then(done, () => done(false));
    }
  };
  await Promise.all(Array.from({ length: connections }, sender));
  clearInterval(ticker);
  const elapsed = (performance.now() - started) / 1000;
  return { ...counts, dropped: 0, seconds: elapsed, requestsPerSecond: counts.ok / elapsed, latencyMs: summarize(latencies) };
}

/**
 * Open loop: request i is due at start + i/rate whether or not earlier ones
 * answered, and its latency runs from that scheduled time, so a stalled
 * service is charged for every request it delayed (no coordinated omission).
 * `maxOutstanding` only guards the generator's memory; hitting it is reported.
 */
export async function openLoop(
  send: Send,
  ratePerSecond: number,
  seconds: number,
  maxOutstanding: number,
  onTick: (done: number, total: number) => void,
): Promise<LoadRun> {
  const latencies: number[] = [];
  const counts = { ok: 0, errors: 0 };
  const total = Math.max(1, Math.round(ratePerSecond * seconds));
  const intervalInMs = 1000 / ratePerSecond;
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  let issued = 0;
  let dropped = 0;
  const ticker = setInterval(() => onTick(counts.ok + counts.errors, total), 250);
  while (issued + dropped < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / intervalInMs) + 1);
    for (; issued + dropped < due; ) {
      if (pending.size >= maxOutstanding) {
        dropped++;
        continue;
      }
      const scheduled = started + (issued + dropped) * intervalInMs;
      issued++;
      const done = record(latencies, scheduled, counts);
      const p: Promise<void> = send().then(done, () => done(false)).finally(() => pending.delete(p));
      pending.add(p);
    }
    // 1 ms timer: requests due within the same millisecond go out together; their
    // latency still counts from each one's own scheduled time.
    await sleep(1);
  }
  await Promise.all(pending);
  clearInterval(ticker);
  onTick(counts.ok + counts.errors, total);
  const elapsed = (performance.now() - started) / 1000;
  return { ...counts, dropped, seconds: elapsed, requestsPerSecond: counts.ok / elapsed, latencyMs: summarize(latencies) };
}
