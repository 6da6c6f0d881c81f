import { messageOf, backoffDelayInMs } from '@taskstream/errors';
import type { OutgoingRecord, TaskPublisher } from '@taskstream/kafka';
import type { ShardQueue } from '@taskstream/queue';
import type { Logger } from '@taskstream/telemetry';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBatchTraces, type BatchTraces } from './batch-traces';
import { ShardLeases } from './leases';
import type { BridgeMetrics } from './metrics';
import { decodeItems, toRecord, type ShardBatch } from './records';

export type BridgeState = 'idle' | 'running' | 'draining' | 'stopped' | 'failed';

export interface BridgeOptions {
  queue: ShardQueue;
  publisher: TaskPublisher;
  logger: Logger;
  metrics: BridgeMetrics;
  topic: string;
  shardCount: number;
  maxTasksPerShard: number;
  lingerInMs: number;
  /** Longest wait between polls of lists that were empty: idle polls back off up to it. */
  idleMaxInMs: number;
  leaseTtlInMs: number;
}

export interface Bridge {
  start(): void;
  /** Finishes the batch in flight, gives the leases back. Idempotent. */
  stop(): Promise<void>;
  state(): BridgeState;
}

/**
 * Drains the leased Redis lists into Kafka: take the oldest tasks of each list
 * (they stay on it, counted as in flight), produce them (acks=all), and only
 * then trim them off. A crash at any point leaves them on the list with their
 * in-flight count, where the next lease holder finds them.
 */
export function createBridge(options: BridgeOptions): Bridge {
  const { queue, publisher, logger, metrics } = options;
  const leases = new ShardLeases({ queue, shardCount: options.shardCount, logger });
  let state: BridgeState = 'idle';
  let loop: Promise<void> | undefined;
  let leaseLoop: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let abandon: () => void = () => {};
  const abandoned = new Promise<false>((resolve) => (abandon = () => resolve(false)));

  async function refreshLeasesForever(): Promise<void> {
    while (state === 'running') {
      try {
        await leases.refresh();
        metrics.ownedShards.set(leases.size());
      } catch (err) {
        logger.warn({ err }, 'lease refresh failed');
      }
      await sleep(Math.floor(options.leaseTtlInMs / 3));
    }
  }

  async function drain(): Promise<ShardBatch[]> {
    const shards = leases.shards();
    const outcomes = await queue.drain(shards, options.maxTasksPerShard);
    const batches: ShardBatch[] = [];
    outcomes.forEach((outcome, i) => {
      const shard = shards[i]!;
      if (outcome.kind === 'lease-lost') leases.lost(shard);
      else if (outcome.items.length) batches.push({ shard, items: decodeItems(outcome.items), recovered: outcome.kind === 'recovered' });
    });
    return batches;
  }

  /**
   * The batch's records. Tasks drained fresh are marked as a first send on the first attempt only:
   * a failed produce may still have reached Kafka, and tasks a dead bridge left in flight may be
   * there already, so those copies go unmarked and the consumer checks them.
   */
  function recordsOf(batches: ShardBatch[], traces: BatchTraces, attempt: number): OutgoingRecord[] {
    let i = 0;
    return batches.flatMap((b) => b.items.map((item) => toRecord(options.topic, item, traces.carriers[i++], attempt === 1 && !b.recovered)));
  }

  /** Retries until Kafka takes the batch; on stop the batch stays on its lists, in flight, for the next owner. */
  async function publish(batches: ShardBatch[], count: number, drainedAt: number): Promise<boolean> {
    const traces = startBatchTraces(options.topic, batches, drainedAt);
    for (let attempt = 1; ; attempt++) {
      const records = recordsOf(batches, traces, attempt);
      const span = traces.attemptSpan(attempt, count);
      const timer = metrics.publishDuration.startTimer();
      try {
        const published = await Promise.race([publisher.publish(records).then(() => true), abandoned]);
        timer();
        span?.end();
        traces.end(published);
        if (!published) logger.warn({ count }, 'stopping with the produce unacknowledged: the batch stays in flight for the next lease holder');
        return published;
      } catch (err) {
        span?.recordException(err as Error);
        span?.end();
        metrics.produceErrors.inc();
        const delay = backoffDelayInMs(attempt, { initialDelayInMs: 100, maxDelayInMs: 5000 });
        logger.warn({ err: messageOf(err), attempt, delayInMs: delay, count }, 'produce failed, retrying');
        if (state !== 'running') {
          traces.end(false);
          return false;
        }
        await sleep(delay);
      }
    }
  }

  async function cycle(): Promise<number> {
    if (leases.size() === 0) return 0;
    const batches = await drain();
    // When the tasks left Redis: the end of their wait there, the start of their bridge span.
    const drainedAt = Date.now();
    const count = batches.reduce((n, b) => n + b.items.length, 0);
    if (count === 0) return 0;
    if (!(await publish(batches, count, drainedAt))) return count;
    const held = await queue.ack(batches.map((b) => ({ shard: b.shard, count: b.items.length })));
    held.forEach((stillHeld, i) => stillHeld || leases.lost(batches[i]!.shard));
    const recovered = batches.filter((b) => b.recovered).reduce((n, b) => n + b.items.length, 0);
    if (recovered) {
      metrics.tasksRecovered.inc(recovered);
      logger.info({ recovered }, 'published tasks recovered from a previous lease holder');
    }
    metrics.batches.inc();
    metrics.batchSize.observe(count);
    metrics.tasksPublished.inc(count);
    return count;
  }

  async function runForever(): Promise<void> {
    // Idle polls double their wait up to idleMaxInMs: polling 16 empty lists every 2-5 ms kept the
    // bridge at ~8% and Redis at ~7% of a core with no traffic. The first task after a quiet spell
    // waits at most idleMaxInMs longer; under load cycles are never empty and nothing changes.
    const firstIdleDelay = Math.max(options.lingerInMs, 2);
    const lastIdleDelay = Math.max(options.idleMaxInMs, firstIdleDelay);
    let idleDelay = firstIdleDelay;
    while (state === 'running') {
      try {
        const moved = await cycle();
        await leases.releaseSurplus();
        if (moved === 0) {
          await sleep(idleDelay);
          idleDelay = Math.min(idleDelay * 2, lastIdleDelay);
          continue;
        }
        idleDelay = firstIdleDelay;
        // A batch closes on size or time: when this one was not full, linger so the next one is.
        if (moved < options.maxTasksPerShard) await sleep(options.lingerInMs);
      } catch (err) {
        logger.error({ err }, 'bridge cycle failed');
        await sleep(500);
      }
    }
  }

  return {
    start() {
      if (state !== 'idle') return;
      state = 'running';
      leaseLoop = refreshLeasesForever();
      loop = runForever();
      logger.info({ shards: options.shardCount }, 'bridge started');
    },
    stop() {
      stopping ??= (async () => {
        if (state === 'running') state = 'draining';
        // Lease renewal ends with the running state, so the leases lapse within one TTL: a produce
        // still unacknowledged by then (Kafka down, kafkajs retrying) is left in flight, not awaited.
        const grace = setTimeout(abandon, options.leaseTtlInMs);
        await loop;
        clearTimeout(grace);
        await leaseLoop;
        await leases.releaseAll();
        state = 'stopped';
      })();
      return stopping;
    },
    state: () => state,
  };
}
