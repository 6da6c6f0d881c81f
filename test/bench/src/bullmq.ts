import { Queue } from 'bullmq';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fmt, type BenchContext } from './context';
import { connectionOf, type BullmqChildOptions, type BullmqMessage } from './bullmq-messages';

export interface BullmqResult {
  queue: string;
  jobs: number;
  concurrency: number;
  chunk: number;
  removeOnComplete: boolean;
  /** First addBulk → last job added. */
  addedPerSecond: number;
  /** First addBulk → last job completed. */
  endToEndPerSecond: number;
  endToEndSeconds: number;
}

interface Child {
  process: ChildProcess;
  count: number;
  first: Promise<number>;
  done: Promise<number>;
  ready: Promise<void>;
}

/** Forks a compiled child (dist/bullmq-*.js) and turns its IPC messages into promises. */
function spawnChild(file: string, options: BullmqChildOptions): Child {
  const proc = fork(join(__dirname, file), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const child: Partial<Child> = { process: proc, count: 0 };
  const exited = new Promise<never>((_, reject) =>
    proc.on('exit', (code) => reject(new Error(`${file} exited with ${code} before it finished`))),
  );
  exited.catch(() => {}); // only raced below; an exit after `done` is the normal end
  const on = <T>(kind: BullmqMessage['kind'], map: (m: BullmqMessage) => T) => {
    const p = Promise.race([new Promise<T>((resolve) => proc.on('message', (m: BullmqMessage) => m.kind === kind && resolve(map(m)))), exited]);
    p.catch(() => {}); // not every promise is awaited (a failed run stops early); awaiting still sees the error
    return p;
  };
  proc.on('message', (m: BullmqMessage) => {
    if (m.kind === 'progress' || m.kind === 'done') child.count = m.count;
  });
  child.ready = on('ready', () => undefined);
  child.first = on('first', (m) => (m as { at: number }).at);
  child.done = on('done', (m) => (m as { at: number }).at);
  return child as Child;
}

/**
 * BullMQ, the usual Node/Redis job queue, as the peer: the same number of no-op
 * jobs, producer and worker in separate processes (as they would be deployed),
 * `addBulk` in chunks, on the same Redis with AOF, a unique queue removed after.
 * End to end = first addBulk → last job completed.
 */
export async function runBullmq(ctx: BenchContext): Promise<BullmqResult> {
  const { config, progress, sampler } = ctx;
  const options: BullmqChildOptions = {
    redisUrl: config.redisUrl,
    queue: `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    jobs: config.tasks,
    concurrency: config.bullmqConcurrency,
    chunk: config.bullmqChunk,
    removeOnComplete: config.bullmqRemoveOnComplete,
  };
  const worker = spawnChild('bullmq-worker.js', options);
  let producer: Child | undefined;
  try {
    await worker.ready;
    producer = spawnChild('bullmq-producer.js', options);
    sampler.phase('BullMQ', () => worker.count);
    const ticker = setInterval(() => progress.update('bullmq', worker.count, config.tasks, `added ${fmt(producer?.count ?? 0)}`), 250);
    const [startedAt, addedAt, doneAt] = await Promise.all([producer.first, producer.done, worker.done]).finally(() => clearInterval(ticker));
    progress.update('bullmq', config.tasks, config.tasks);
    progress.finish();
    const endToEndSeconds = (doneAt - startedAt) / 1000;
    return {
      queue: options.queue,
      jobs: config.tasks,
      concurrency: options.concurrency,
      chunk: options.chunk,
      removeOnComplete: options.removeOnComplete,
      addedPerSecond: config.tasks / ((addedAt - startedAt) / 1000),
      endToEndPerSecond: config.tasks / endToEndSeconds,
      endToEndSeconds,
    };
  } finally {
    await Promise.all([stopChild(worker), producer && stopChild(producer)]);
    await obliterate(ctx, options.queue);
  }
}

/** Children exit by themselves once done; one that does not within 5 s (a failed run) is killed. */
async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Removes the bench queue and its jobs, so the next run and Redis memory start clean. */
async function obliterate(ctx: BenchContext, name: string): Promise<void> {
  ctx.progress.log(`bullmq: removing queue ${name}…`);
  const queue = new Queue(name, { connection: connectionOf(ctx.config.redisUrl) });
  try {
    await queue.obliterate({ force: true, count: 5000 });
  } finally {
    await queue.close();
  }
}
