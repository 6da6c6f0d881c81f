import { SpanKind, trace } from '@opentelemetry/api';
import type { TaskEnvelope } from '@taskstream/contract';
import type { IncomingRecord } from '@taskstream/kafka';
import { injectTraceContext, startTestTracing, type TestTracing } from '@taskstream/telemetry';
import { traced } from './tracing';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const BRIDGE_SPAN = 'b7ad6b7169203331';
const task: TaskEnvelope = { id: 't-1', type: 'echo', key: 'k', payload: null, createdAt: 1_000, attempt: 1 };
const recordWith = (headers: Record<string, string>): IncomingRecord => ({ topic: 'tasks', partition: 2, offset: '41', key: 'k', value: null, headers, header: (name) => headers[name], timestamp: 1_100 });

describe('consumer tracing', () => {
  let tracing: TestTracing;
  beforeAll(() => (tracing = startTestTracing(1)));
  afterAll(() => tracing.stop());
  beforeEach(() => {
    tracing.reset();
    tracing.setTaskRatio(1);
  });

  it('when the record carries a sampled traceparent, then process is its child, handle is process\'s child, and outgoing calls carry handle', async () => {
    const outgoing = await traced(recordWith({ traceparent: `00-${TRACE}-${BRIDGE_SPAN}-01` }), task, async () => injectTraceContext(), 1_400);
    const process = tracing.spans().find((s) => s.name === 'process tasks')!;
    const handle = tracing.spans().find((s) => s.name === 'handle echo')!;
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(TRACE);
    expect(process.parentSpanContext?.spanId).toBe(BRIDGE_SPAN);
    expect(process.attributes).toMatchObject({ 'task.id': 't-1', 'task.wait.kafka_ms': 300, 'messaging.destination.partition.id': '2', 'messaging.kafka.offset': 41 });
    expect(handle.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
    expect(outgoing.traceparent).toBe(`00-${TRACE}-${handle.spanContext().spanId}-01`);
  });

  it('when the context is not entered, then the spans are the same and the task runs with no span active', async () => {
    const active = await traced(recordWith({ traceparent: `00-${TRACE}-${BRIDGE_SPAN}-01` }), task, async () => trace.getActiveSpan(), 1_400, undefined, false);
    expect(active).toBeUndefined();
    const process = tracing.spans().find((s) => s.name === 'process tasks')!;
    const handle = tracing.spans().find((s) => s.name === 'handle echo')!;
    expect(process.parentSpanContext?.spanId).toBe(BRIDGE_SPAN);
    expect(handle.spanContext().traceId).toBe(TRACE);
    expect(handle.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
  });

  it('when the record carries an unsampled traceparent, then the task runs with no span', async () => {
    tracing.setTaskRatio(1);
    expect(await traced(recordWith({ traceparent: `00-${TRACE}-${BRIDGE_SPAN}-00` }), task, async () => 'ran')).toBe('ran');
    expect(tracing.spans()).toHaveLength(0);
  });

  it('when a third-party record has no traceparent, then it starts its own trace only when the ratio samples it', async () => {
    tracing.setTaskRatio(0);
    await traced(recordWith({}), task, async () => undefined);
    expect(tracing.spans()).toHaveLength(0);
    tracing.setTaskRatio(1);
    await traced(recordWith({}), task, async () => undefined);
    const process = tracing.spans().find((s) => s.name === 'process tasks')!;
    expect(process.parentSpanContext).toBeUndefined();
  });

  it('when a record our bridge wrote has no traceparent, then ingest decided it unsampled and no trace starts', async () => {
    tracing.setTaskRatio(1);
    expect(await traced(recordWith({ 'task-id': 't-1', 'task-type': 'echo' }), task, async () => 'ran')).toBe('ran');
    expect(tracing.spans()).toHaveLength(0);
  });

  it('when the handler throws, then both spans record the error and it propagates', async () => {
    await expect(traced(recordWith({ traceparent: `00-${TRACE}-${BRIDGE_SPAN}-01` }), task, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(tracing.spans().map((s) => s.status.code)).toEqual([2, 2]);
  });
});
