import { Worker } from 'bullmq';
import { connectionOf, runChild, send, type BullmqChildOptions } from './bullmq-messages';

/**
 * BullMQ worker process of the peer benchmark: no-op jobs, reports completed
 * counts to the parent and the time the last job completed.
 */
async function main(options: BullmqChildOptions): Promise<void> {
  let completed = 0;
  let first = true;
  const worker = new Worker(options.queue, async () => {}, {
    connection: connectionOf(options.redisUrl),
    concurrency: options.concurrency,
    removeOnComplete: options.removeOnComplete ? { count: 0 } : undefined,
  });
  const finished = new Promise<number>((resolve) => {
    worker.on('completed', () => {
      completed++;
      if (first) {
        first = false;
        send({ kind: 'first', at: Date.now() });
      }
      if (completed === options.jobs) resolve(Date.now());
    });
  });
  worker.on('error', (err) => console.error(`bullmq worker: ${err.message}`));
  await worker.waitUntilReady();
  send({ kind: 'ready' });
  const progress = setInterval(() => send({ kind: 'progress', count: completed }), 250);
  const at = await finished;
  clearInterval(progress);
  send({ kind: 'done', at, count: completed });
  await worker.close();
}

runChild('worker', main);
