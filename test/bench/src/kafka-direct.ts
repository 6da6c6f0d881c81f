import { Partitioners, type Message } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, type BenchContext } from './context';
import { createBenchKafka } from './kafka-admin';
import { finishedCount } from './metrics';
import { servicesCommand } from './services';

export interface KafkaDirectResult {
  records: number;
  /** Records/s the third-party producer wrote (kafkajs, acks=all). */
  producedPerSecond: number;
  /** First task done → last task done, on a backlog: the consumer's own rate. */
  consumedPerSecond: number;
  /** Consumer process start → last task done: includes start-up and joining the group. */
  consumedWithStartPerSecond: number;
}

const MESSAGES_PER_SEND = 1000;
const SENDS_IN_FLIGHT = 4;

/**
 * Pre-built third-party records (`type` and `payload`, no id: the consumer
 * derives it from topic/partition/offset, so identical values stay distinct tasks).
 */
function messages(count: number, offset: number, keys: number): Message[] {
  const value = JSON.stringify({ type: 'noop', payload: null });
  return Array.from({ length: count }, (_, i) => ({ key: `k-${(offset + i) % keys}`, value }));
}

async function produceAll(ctx: BenchContext, total: number): Promise<number> {
  const { config, progress } = ctx;
  const producer = createBenchKafka(config.kafkaBrokers).producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  let next = 0;
  let produced = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < total) {
      const count = Math.min(MESSAGES_PER_SEND, total - next);
      const batch = messages(count, next, config.keys);
      next += count;
      await producer.send({ topic: config.tasksTopic, acks: -1, messages: batch });
      produced += count;
      progress.update('kafka produce', produced, total);
    }
  };
  try {
    await Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, sender));
  } finally {
    await producer.disconnect();
  }
  progress.finish();
  return (performance.now() - started) / 1000;
}

/**
 * Polls a consumer that is starting (scrapes fail until it listens) until it
 * finished `total` tasks; returns when the first and the last were done.
 */
async function watchConsumer(ctx: BenchContext, total: number, producedPerSecond: number): Promise<{ firstDone: number; lastDone: number }> {
  const { config, progress } = ctx;
  const deadline = Date.now() + config.timeoutInMs;
  let firstDone = NaN;
  for (;;) {
    // A restarted consumer counts from 0, so its counter is this scenario's count.
    const done = await finishedCount(config.consumerUrl).catch(() => 0);
    if (done > 0 && Number.isNaN(firstDone)) firstDone = performance.now();
    progress.update('kafka consume', done, total, `produced at ${fmt(producedPerSecond)}/s`);
    if (done >= total) return { firstDone, lastDone: performance.now() };
    if (Date.now() > deadline) throw new Error(`consumer finished ${done} of ${total} records in ${config.timeoutInMs} ms`);
    await sleep(50);
  }
}

/**
 * Records produced straight into the tasks topic by a third party, then the
 * consumer's throughput on them: the path that skips ingest, Redis and the
 * bridge. The consumer is stopped while the records are produced, so the
 * producer (on the same cores) does not cap what is measured: the consumer
 * starts on a backlog of `tasks` records and its drain rate is the result.
 */
export async function runKafkaDirect(ctx: BenchContext): Promise<KafkaDirectResult> {
  const { config, progress, sampler } = ctx;
  const total = config.tasks;
  sampler.phase('Kafka third party: produce');
  await servicesCommand(config.repoRoot, ['stop', 'consumer']);
  let producedSeconds = NaN;
  let started = NaN;
  let watched: { firstDone: number; lastDone: number } | undefined;
  try {
    producedSeconds = await produceAll(ctx, total);
    sampler.phase('Kafka third party: consume');
    started = performance.now();
    const starting = servicesCommand(config.repoRoot, ['start', 'consumer']);
    [, watched] = await Promise.all([starting, watchConsumer(ctx, total, total / producedSeconds)]);
  } finally {
    progress.finish();
    // Leave a running consumer behind whatever failed.
    if (!watched) await servicesCommand(config.repoRoot, ['start', 'consumer']).catch(() => {});
  }
  return {
    records: total,
    producedPerSecond: total / producedSeconds,
    consumedPerSecond: total / Math.max(0.001, (watched.lastDone - watched.firstDone) / 1000),
    consumedWithStartPerSecond: total / ((watched.lastDone - started) / 1000),
  };
}
