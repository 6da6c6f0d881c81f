import { setTimeout as sleep } from 'node:timers/promises';
import { postJson, scrape } from './http';
import { sumCounter } from './prom';

export interface LoadOptions {
  ingestUrl: string;
  /** The consumer's /metrics, to see tasks finish. */
  consumerMetricsUrl: string;
  tasks: number;
  batchSize: number;
  concurrency: number;
  type: string;
  keys: number;
  timeoutInMs: number;
}

export interface LoadReport {
  tasks: number;
  acceptMs: number;
  doneMs: number;
  finished: number;
  rejected429: number;
}

const finishedCount = async (url: string) => sumCounter(await scrape(url), 'taskstream_consumer_tasks_total');

/**
 * Sends `tasks` tasks in HTTP batches (429 is retried after its Retry-After),
 * then waits until the consumer has finished as many more tasks as were sent.
 */
export async function runLoad(options: LoadOptions, onProgress: (line: string) => void): Promise<LoadReport> {
  const before = await finishedCount(options.consumerMetricsUrl);
  const started = Date.now();
  let sent = 0;
  let rejected429 = 0;
  const payload = options.type === 'sleep' ? { ms: 1 } : { demo: true };
  const worker = async () => {
    while (sent < options.tasks) {
      const start = sent;
      const count = Math.min(options.batchSize, options.tasks - start);
      sent += count;
      const tasks = Array.from({ length: count }, (_, i) => ({ type: options.type, key: `demo-${(start + i) % options.keys}`, payload }));
      for (;;) {
        const res = await postJson(`${options.ingestUrl}/v1/tasks/batch`, { tasks });
        if (res.status === 202) break;
        if (res.status !== 429) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
        rejected429++;
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const acceptMs = Date.now() - started;
  onProgress(`accepted ${options.tasks} tasks in ${acceptMs} ms (${Math.round(options.tasks / (acceptMs / 1000))}/s)`);
  let finished = 0;
  const deadline = Date.now() + options.timeoutInMs;
  while (Date.now() < deadline) {
    finished = (await finishedCount(options.consumerMetricsUrl)) - before;
    if (finished >= options.tasks) break;
    onProgress(`finished ${finished}/${options.tasks}`);
    await sleep(500);
  }
  return { tasks: options.tasks, acceptMs, doneMs: Date.now() - started, finished, rejected429 };
}
