import { fmt, type BenchContext } from './context';
import { createPoster } from './http-load';
import { closedLoop, openLoop, type LoadRun } from './load-shapes';
import { finishedCount, waitForFinished } from './metrics';

export interface SingleIngestResult {
  closedLoop: LoadRun & { connections: number };
  openLoop: LoadRun & { targetPerSecond: number };
}

/** Open-loop sockets: enough that a slow answer does not hold back the schedule. */
const OPEN_LOOP_SOCKETS = 256;

/**
 * Single-task `POST /v1/tasks`: first the closed-loop maximum (requests/s with
 * `ingestConnections` in flight), then an open loop at a constant arrival rate
 * (BENCH_INGEST_RATE, default half that maximum) for honest latency percentiles.
 * Waits until the consumer finished every accepted task, so the next scenario
 * starts on an idle pipeline.
 */
export async function runSingleIngest(ctx: BenchContext): Promise<SingleIngestResult> {
  const { config, progress, sampler } = ctx;
  const finishedBefore = await finishedCount(config.consumerUrl);
  const body = JSON.stringify({ type: 'noop', key: 'single', payload: null });

  sampler.phase('ingest closed loop');
  const closedPoster = createPoster(config.ingestUrl, config.ingestConnections);
  const send = (poster: ReturnType<typeof createPoster>) => async () => (await poster.post('/v1/tasks', body)).status === 202;
  const closed = await closedLoop(send(closedPoster), config.ingestConnections, config.ingestSeconds, (done, elapsed) =>
    progress.update('ingest max', elapsed, config.ingestSeconds, `s, ${fmt(done / elapsed)} req/s`),
  );
  closedPoster.close();
  progress.finish();

  const rate = config.ingestRate || Math.max(1, Math.round(closed.requestsPerSecond / 2));
  sampler.phase('ingest open loop');
  const openPoster = createPoster(config.ingestUrl, OPEN_LOOP_SOCKETS);
  // Outstanding cap of 5 s of arrivals: beyond that the service is far behind anyway.
  const open = await openLoop(send(openPoster), rate, config.ingestSeconds, rate * 5, (done, total) =>
    progress.update('ingest open', done, total, `at ${fmt(rate)} req/s`),
  );
  openPoster.close();
  progress.finish();

  sampler.phase('ingest drain');
  await waitForFinished(config.consumerUrl, finishedBefore, closed.ok + open.ok, config.timeoutInMs);
  return { closedLoop: { ...closed, connections: config.ingestConnections }, openLoop: { ...open, targetPerSecond: rate } };
}
