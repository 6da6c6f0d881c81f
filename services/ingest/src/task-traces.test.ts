import { SpanKind } from '@opentelemetry/api';
import type { TaskEnvelope } from '@taskstream/contract';
import { startTestTracing, type TestTracing } from '@taskstream/telemetry';
import { startTaskTraces } from './task-traces';

const envelopes: TaskEnvelope[] = ['a', 'b', 'c'].map((id) => ({ id, type: 'echo', key: id, payload: null, createdAt: 1, attempt: 1 }));
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('ingest task traces', () => {
  let tracing: TestTracing;
  beforeAll(() => (tracing = startTestTracing(1)));
  afterAll(() => tracing.stop());
  beforeEach(() => {
    tracing.reset();
    tracing.setTaskRatio(1);
  });

  it('when every task is sampled, then each gets its own trace rooted at a create span, linked both ways with the request span', () => {
    const traces = startTaskTraces('/v1/tasks/batch', {}, envelopes, 'tasks');
    traces.accepted([true, true, false]);
    const creates = tracing.spans().filter((s) => s.name === 'create tasks');
    const request = tracing.spans().find((s) => s.name === 'POST /v1/tasks/batch')!;
    expect(creates).toHaveLength(3);
    expect(new Set(creates.map((s) => s.spanContext().traceId)).size).toBe(3);
    for (const [i, span] of creates.entries()) {
      expect(span.kind).toBe(SpanKind.PRODUCER);
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.attributes).toMatchObject({ 'messaging.operation.type': 'create', 'messaging.message.id': envelopes[i]!.id, 'task.id': envelopes[i]!.id });
      expect(span.links[0]!.context.spanId).toBe(request.spanContext().spanId);
      expect(traces.carriers[i]!.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    }
    expect(creates[2]!.attributes['task.duplicate']).toBe(true);
    expect(request.links.map((l) => l.context.spanId)).toEqual(creates.map((s) => s.spanContext().spanId));
  });

  it('when no task is sampled and the caller sent no trace, then no span is made and no context stored', () => {
    tracing.setTaskRatio(0);
    const traces = startTaskTraces('/v1/tasks/batch', {}, envelopes, 'tasks');
    traces.accepted([true, true, true]);
    expect(tracing.spans()).toHaveLength(0);
    expect(traces.carriers).toEqual([{}, {}, {}]);
  });

  it('when the caller\'s trace is sampled, then the request span continues it and every task is sampled', () => {
    tracing.setTaskRatio(0);
    const traces = startTaskTraces('/v1/tasks', { traceparent: CALLER }, envelopes.slice(0, 1), 'tasks');
    traces.failed(new Error('buffer full'));
    const request = tracing.spans().find((s) => s.name === 'POST /v1/tasks')!;
    expect(request.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(request.status.code).toBe(2);
    const create = tracing.spans().find((s) => s.name === 'create tasks')!;
    expect(create.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(create.status).toMatchObject({ code: 2, message: 'buffer full' });
  });
});
