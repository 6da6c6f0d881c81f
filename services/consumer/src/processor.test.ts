import pino from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { Headers, topicNames } from '@taskstream/contract';
import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { IncomingRecord, OutgoingRecord } from '@taskstream/kafka';
import type { StatusTransition } from '@taskstream/queue';
import { trace } from '@opentelemetry/api';
import { createMetricsRegistry, startTestTracing } from '@taskstream/telemetry';
import { builtinHandlers } from './handlers/registry';
import { Bulkhead } from './bulkhead';
import type { HandlerMap } from './handlers/types';
import { createConsumerMetrics } from './metrics';
import { RETRY_AT_HEADER } from './outcome-records';
import { createTaskProcessor } from './processor';

function recordOf(offset: number, task: { id: string; type: string; key?: string }, headers: Record<string, string> = {}, topic = 'tasks'): IncomingRecord {
  const value = Buffer.from(JSON.stringify({ payload: null, ...task }));
  return { topic, partition: 0, offset: String(offset), key: undefined, value, headers, header: (name) => headers[name], timestamp: Date.now() };
}

/** `finishedIds`: tasks the status store says already finished; `checked` collects the ids it was asked about. */
function setup(handlers: HandlerMap, limits: Record<string, number> = {}, publishResults = false, finishedIds = new Set<string>()) {
  const checked: string[] = [];
  const written: StatusTransition[] = [];
  const published: OutgoingRecord[] = [];
  const resolved: string[] = [];
  const processor = createTaskProcessor({
    handlers,
    statusStore: { finished: async (ids) => (checked.push(...ids), ids.map((id) => finishedIds.has(id))), apply: async (t) => (written.push(...t), t.map(() => true)) },
    publisher: { connect: async () => {}, disconnect: async () => {}, publish: async (r) => void published.push(...r) },
    metrics: createConsumerMetrics(createMetricsRegistry('test')),
    logger: pino({ level: 'silent' }),
    topics: topicNames('tasks'),
    policy: { maxAttempts: 1, retryInitialDelayInMs: 1, retryMaxDelayInMs: 1, retryMode: 'in-place', timeoutInMs: () => 1000 },
    keyConcurrency: 8,
    maxRecordBytes: 10_000,
    maxResultBytes: 1000,
    checkpointIntervalInMs: 1000,
    bulkhead: new Bulkhead(limits),
    publishResults,
  });
  const statusOf = (id: string) => written.filter((t) => t.id === id).map((t) => t.status);
  const run = (records: IncomingRecord[], isActive = () => true, joinedAtOffset = 0) => processor(records, { isActive, resolveOffset: (o) => void resolved.push(o), heartbeat: async () => {}, joinedAtOffset });
  return { run, written, published, resolved, statusOf, checked };
}

describe('createTaskProcessor', () => {
  const firstSend = { [Headers.firstSend]: '1' };

  it('when the bridge marked tasks as first sends written after the consumer got the partition, then they run without asking Redis whether they finished', async () => {
    const { run, statusOf, checked } = setup({ echo: builtinHandlers.echo! }, {}, false, new Set(['a', 'b']));
    await run([recordOf(10, { id: 'a', type: 'echo' }, firstSend), recordOf(11, { id: 'b', type: 'echo' }, firstSend)], () => true, 10);
    expect(checked).toEqual([]);
    expect([...statusOf('a'), ...statusOf('b')]).toEqual(['succeeded', 'succeeded']);
  });

  it('when a record may repeat a finished task (marked but written before the consumer got the partition, unmarked, or from the retry topic), then only those are checked and the finished ones skipped', async () => {
    const { run, statusOf, checked, resolved } = setup({ echo: builtinHandlers.echo! }, {}, false, new Set(['old', 'third-party', 'retried', 'fresh']));
    await run(
      [
        recordOf(9, { id: 'old', type: 'echo' }, firstSend),
        recordOf(10, { id: 'third-party', type: 'echo' }),
        recordOf(11, { id: 'retried', type: 'echo' }, firstSend, 'tasks.retry'),
        recordOf(12, { id: 'fresh', type: 'echo' }, firstSend),
        recordOf(13, { id: 'new-third-party', type: 'echo' }),
      ],
      () => true,
      10,
    );
    expect(checked).toEqual(['old', 'third-party', 'retried', 'new-third-party']);
    expect(['old', 'third-party', 'retried', 'fresh', 'new-third-party'].map((id) => statusOf(id).join())).toEqual(['', '', '', 'succeeded', 'succeeded']);
    expect(resolved.at(-1)).toBe('13');
  });

  it('when a first send and an unmarked copy of it (a republished batch) come in one batch, then the task runs once', async () => {
    const { run, statusOf } = setup({ echo: builtinHandlers.echo! });
    await run([recordOf(10, { id: 'twice', type: 'echo' }, firstSend), recordOf(11, { id: 'twice', type: 'echo' })], () => true, 10);
    expect(statusOf('twice')).toEqual(['succeeded']);
  });

  it('when a handler\'s result cannot be written as JSON (a BigInt, a cycle), then the task succeeds with a note saying so and the batch goes on', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const { run, written, published, resolved } = setup({ big: () => 10n, cyclic: () => cyclic, echo: builtinHandlers.echo! }, {}, true);
    await run([recordOf(0, { id: 'b-1', type: 'big' }), recordOf(1, { id: 'c-1', type: 'cyclic' }), recordOf(2, { id: 'e-1', type: 'echo' })]);
    expect(resolved.at(-1)).toBe('2');
    const detailOf = (id: string) => JSON.parse(written.find((t) => t.id === id)!.detail!) as { unserializable?: boolean; error?: string };
    expect(written.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(detailOf('b-1')).toMatchObject({ unserializable: true, error: expect.stringContaining('BigInt') });
    expect(detailOf('c-1')).toMatchObject({ unserializable: true, error: expect.stringContaining('circular') });
    const results = published.map((r) => JSON.parse(String(r.value)) as { id: string; result: unknown });
    expect(results.find((r) => r.id === 'b-1')!.result).toMatchObject({ unserializable: true });
    expect(results.find((r) => r.id === 'e-1')!.result).toBeNull();
  });

  it('when tasks share a key, then they run one at a time in order while other keys run alongside, and all finish', async () => {
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const { run, statusOf, resolved } = setup({
      step: async (task) => {
        peak = Math.max(peak, ++running);
        log.push(`start ${task.id}`);
        await sleep(2);
        log.push(`end ${task.id}`);
        running--;
        return null;
      },
    });
    const records = Array.from({ length: 9 }, (_, i) => recordOf(i, { id: `${i % 3}-${i}`, type: 'step', key: `k${i % 3}` }));
    await run(records);
    for (const key of [0, 1, 2]) {
      const ids = [key, key + 3, key + 6].map((i) => `${key}-${i}`);
      expect(log.filter((line) => line.split(' ')[1]!.startsWith(`${key}-`))).toEqual(ids.flatMap((id) => [`start ${id}`, `end ${id}`]));
    }
    expect(peak).toBe(3);
    expect(records.map((_, i) => statusOf(`${i % 3}-${i}`))).toEqual(Array(9).fill(['succeeded']));
    expect(resolved.at(-1)).toBe('8');
  });

  it('when a type\'s bulkhead is full, then its tasks wait for a slot, one at a time, and all finish', async () => {
    let running = 0;
    let peak = 0;
    const { run, statusOf } = setup(
      {
        slow: async () => {
          peak = Math.max(peak, ++running);
          await sleep(3);
          running--;
          return null;
        },
      },
      { slow: 1 },
    );
    await run(Array.from({ length: 5 }, (_, i) => recordOf(i, { id: `s${i}`, type: 'slow' })));
    expect(peak).toBe(1);
    expect(['s0', 's1', 's2', 's3', 's4'].map(statusOf)).toEqual(Array(5).fill(['succeeded']));
  });

  it('when a retried record is not yet due, then it runs once it is due', async () => {
    let startedAt = 0;
    const { run, statusOf } = setup({
      later: async () => {
        startedAt = Date.now();
        return null;
      },
    });
    const retryAt = Date.now() + 60;
    await run([recordOf(0, { id: 'r', type: 'later' }, { [RETRY_AT_HEADER]: String(retryAt) })]);
    expect(startedAt).toBeGreaterThanOrEqual(retryAt);
    expect(statusOf('r')).toEqual(['succeeded']);
  });

  it('when the partition is taken away while a retried record waits, then it does not run and its offset is not resolved', async () => {
    let ran = false;
    const { run, resolved, written } = setup({
      later: async () => {
        ran = true;
        return null;
      },
    });
    let active = true;
    setTimeout(() => (active = false), 20);
    await run([recordOf(0, { id: 'r', type: 'later' }, { [RETRY_AT_HEADER]: String(Date.now() + 60_000) })], () => active);
    expect([ran, resolved, written]).toEqual([false, [], []]);
  });

  it('when a task fails for good or its type is unknown, then it is dead and dead-lettered, and its offset resolves after', async () => {
    const { run, statusOf, published, resolved } = setup({
      broken: async () => {
        throw new TaskstreamError(ErrorCodes.HANDLER_FAILED, 'bad input', { retriable: false });
      },
    });
    await run([recordOf(0, { id: 'b', type: 'broken' }), recordOf(1, { id: 'u', type: 'unknown' })]);
    expect([statusOf('b'), statusOf('u')]).toEqual([['dead'], ['dead']]);
    expect(published.map((r) => [r.topic, r.headers['task-id'], r.headers['error-code']])).toEqual([
      ['tasks.dlq', 'u', 'UNKNOWN_TASK_TYPE'],
      ['tasks.dlq', 'b', 'HANDLER_FAILED'],
    ]);
    expect(resolved).toEqual(['1']);
  });

  it('when sampled tasks run, then a custom handler runs in its handle span and a built-in one gets its spans without entering them', async () => {
    const tracing = startTestTracing(1);
    try {
      const { run, written } = setup({ echo: builtinHandlers.echo!, custom: async () => trace.getActiveSpan()?.spanContext().spanId ?? 'none' });
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await run([recordOf(0, { id: 'e-1', type: 'echo' }, { traceparent }), recordOf(1, { id: 'c-1', type: 'custom' }, { traceparent })]);
      const handleOf = (type: string) => tracing.spans().find((span) => span.name === `handle ${type}`)!;
      const processOf = (id: string) => tracing.spans().find((span) => span.name === 'process tasks' && span.attributes['task.id'] === id)!;
      expect(written.find((t) => t.id === 'c-1' && t.status === 'succeeded')?.detail).toBe(JSON.stringify(handleOf('custom').spanContext().spanId));
      expect(handleOf('echo').parentSpanContext?.spanId).toBe(processOf('e-1').spanContext().spanId);
    } finally {
      await tracing.stop();
    }
  });
});
