import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderStats, takeSnapshot, type ServiceKey, type Snapshot } from './stats';

export const STATS_USAGE = `  stats  a live terminal view of the pipeline from the three /metrics endpoints:
         buffer depth and oldest task, consumer lag, rates, e2e and stage p50/p99, errors
         --ingest URL (INGEST_URL, http://127.0.0.1:8080) --bridge URL (BRIDGE_URL, :8081)
         --consumer URL (CONSUMER_URL, :8082) --interval-s N (1) --window-s N (10)
         --once (print one view after one interval and exit)`;

const CLEAR = '\x1b[H\x1b[2J';

function metricsUrl(base: string): string {
  return base.endsWith('/metrics') ? base : `${base.replace(/\/$/, '')}/metrics`;
}

/** `taskstream stats`: redraws every interval until Ctrl-C (or once with --once). */
export async function statsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ingest: { type: 'string', default: process.env.INGEST_URL ?? 'http://127.0.0.1:8080' },
      bridge: { type: 'string', default: process.env.BRIDGE_URL ?? 'http://127.0.0.1:8081' },
      consumer: { type: 'string', default: process.env.CONSUMER_URL ?? 'http://127.0.0.1:8082' },
      'interval-s': { type: 'string', default: '1' },
      'window-s': { type: 'string', default: '10' },
      once: { type: 'boolean', default: false },
    },
  });
  const urls: Record<ServiceKey, string> = { ingest: metricsUrl(values.ingest!), bridge: metricsUrl(values.bridge!), consumer: metricsUrl(values.consumer!) };
  const intervalInMs = Math.max(100, Number(values['interval-s']) * 1000);
  const keep = Math.max(2, Math.round((Number(values['window-s']) * 1000) / intervalInMs) + 1);
  const window: Snapshot[] = [await takeSnapshot(urls)];
  let stopped = false;
  process.once('SIGINT', () => (stopped = true));
  while (!stopped) {
    await sleep(intervalInMs);
    window.push(await takeSnapshot(urls));
    if (window.length > keep) window.shift();
    const view = renderStats(window).join('\n');
    if (values.once) {
      console.log(view);
      return Object.keys(window[window.length - 1]!.errors).length === 3 ? 1 : 0;
    }
    process.stdout.write(`${process.stdout.isTTY ? CLEAR : '\n'}${view}\n`);
  }
  return 0;
}
