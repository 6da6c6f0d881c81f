import { Queue } from 'bullmq';
import { connectionOf, runChild, send, type BullmqChildOptions } from './bullmq-messages';

/** Chunks in flight: addBulk is one MULTI each; a few overlap network and Redis time. */
const CHUNKS_IN_FLIGHT = 4;

/**
 * BullMQ producer process of the peer benchmark: `jobs` no-op jobs with
 * addBulk in chunks; reports when the first chunk went out and when all were added.
 */
async function main(options: BullmqChildOptions): Promise<void> {
  const queue = new Queue(options.queue, { connection: connectionOf(options.redisUrl) });
  await queue.waitUntilReady();
  const jobs = Array.from({ length: options.chunk }, () => ({ name: 'noop', data: {} }));
  let next = 0;
  let added = 0;
  const progress = setInterval(() => send({ kind: 'progress', count: added }), 250);
  send({ kind: 'first', at: Date.now() });
  const adder = async () => {
    while (next < options.jobs) {
      const count = Math.min(options.chunk, options.jobs - next);
      next += count;
      await queue.addBulk(count === jobs.length ? jobs : jobs.slice(0, count));
      added += count;
    }
  };
  await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, adder));
  clearInterval(progress);
  send({ kind: 'done', at: Date.now(), count: added });
  await queue.close();
}

runChild('producer', main);
