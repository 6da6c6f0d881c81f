import { SpanKind } from '@opentelemetry/api';
import { decodeBufferedItem, encodeBufferedItem } from '@taskstream/contract';
import { startTestTracing, type TestTracing } from '@taskstream/telemetry';
import { startBatchTraces } from './batch-traces';
import type { ShardBatch } from './records';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const CREATE_SPAN = 'b7ad6b7169203331';
const ACCEPTED = 1_700_000_000_000;
const item = (id: string, flags: string) =>
  decodeBufferedItem(encodeBufferedItem({ id, type: 'noop', key: id, payload: null, createdAt: ACCEPTED, attempt: 1 }, { traceparent: `00-${TRACE}-${CREATE_SPAN}-${flags}` }));

describe('bridge batch traces', () => {
  let tracing: TestTracing;
  beforeAll(() => (tracing = startTestTracing(1)));
  afterAll(() => tracing.stop());
  beforeEach(() => tracing.reset());

  it('when a batch holds a sampled task, then its send span continues the task\'s trace, measures the Redis wait, and its context goes to Kafka', () => {
    const batches: ShardBatch[] = [{ shard: 0, items: [item('sampled', '01'), item('unsampled', '00')], recovered: true }];
    const traces = startBatchTraces('tasks', batches, ACCEPTED + 250);
    traces.attemptSpan(1, 2)!.end();
    traces.end(true);
    const [taskSpan] = tracing.spans().filter((s) => s.kind === SpanKind.PRODUCER);
    const batchSpan = tracing.spans().find((s) => s.kind === SpanKind.CLIENT)!;
    expect(taskSpan!.spanContext().traceId).toBe(TRACE);
    expect(taskSpan!.parentSpanContext?.spanId).toBe(CREATE_SPAN);
    expect(taskSpan!.attributes).toMatchObject({ 'task.id': 'sampled', 'task.wait.redis_ms': 250, 'task.recovered': true, 'messaging.operation.type': 'send' });
    expect(traces.carriers[0]!.traceparent).toBe(`00-${TRACE}-${taskSpan!.spanContext().spanId}-01`);
    expect(traces.carriers[1]).toBeUndefined();
    expect(batchSpan.spanContext().traceId).not.toBe(TRACE);
    expect(batchSpan.links.map((l) => l.context.spanId)).toEqual([taskSpan!.spanContext().spanId]);
    expect(batchSpan.attributes['messaging.batch.message_count']).toBe(2);
  });

  it('when no task of the batch is sampled, then there is no span at all', () => {
    const traces = startBatchTraces('tasks', [{ shard: 0, items: [item('a', '00'), item('b', '00')], recovered: false }], ACCEPTED + 250);
    expect(traces.attemptSpan(1, 2)).toBeUndefined();
    traces.end(true);
    expect(tracing.spans()).toHaveLength(0);
    expect(traces.carriers).toEqual([undefined, undefined]);
  });
});
