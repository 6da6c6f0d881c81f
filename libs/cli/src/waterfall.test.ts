import type { JaegerSpan, JaegerTrace } from './jaeger';
import { renderWaterfall, stagesOf } from './waterfall';

const T0 = 1_700_000_000_000_000;
function span(spanID: string, operationName: string, processID: string, start: number, duration: number, parent?: string, tags: Record<string, number | string> = {}): JaegerSpan {
  return {
    traceID: 't1', spanID, operationName, processID, startTime: T0 + start, duration,
    references: parent ? [{ refType: 'CHILD_OF', traceID: 't1', spanID: parent }] : [],
    tags: Object.entries({ 'task.id': 'task-7', ...tags }).map(([key, value]) => ({ key, type: typeof value === 'number' ? 'int64' : 'string', value })),
  };
}

const trace: JaegerTrace = {
  traceID: 't1',
  processes: { p1: { serviceName: 'taskstream-ingest' }, p2: { serviceName: 'taskstream-bridge' }, p3: { serviceName: 'taskstream-consumer' } },
  spans: [
    span('d', 'handle echo', 'p3', 9_000, 2_000, 'c'),
    span('a', 'create tasks', 'p1', 0, 1_000),
    span('c', 'process tasks', 'p3', 8_500, 3_000, 'b', { 'task.wait.kafka_ms': 2 }),
    span('b', 'send tasks', 'p2', 4_000, 3_000, 'a', { 'task.wait.redis_ms': 3 }),
  ],
};

describe('waterfall', () => {
  it('when a task trace is rendered, then spans come in tree order with the waits between services', () => {
    const lines = renderWaterfall(trace);
    expect(lines[0]).toContain('task task-7  4 spans, 3 services (ingest, bridge, consumer), 11.5 ms');
    const body = lines.filter((l) => /create|send|process|handle|wait in/.test(l) && !l.startsWith('stages:')).map((l) => l.trim().replace(/\s+\|.*$/, '').replace(/\s+/g, ' '));
    expect(body).toEqual([
      '0.0 ms 1.0 ms ingest create tasks',
      '1.0 ms +3.0 ms … wait in Redis',
      '4.0 ms 3.0 ms bridge send tasks',
      '6.5 ms +2.0 ms … wait in Kafka',
      '8.5 ms 3.0 ms consumer process tasks',
      '9.0 ms 2.0 ms consumer handle echo',
    ]);
  });

  it('when stages are summed up, then the measured waits are used and end to end runs from create to handler end', () => {
    expect(stagesOf(trace)).toEqual([
      { name: 'ingest', micros: 1_000 },
      { name: 'wait in Redis', micros: 3_000 },
      { name: 'bridge', micros: 3_000 },
      { name: 'wait in Kafka', micros: 2_000 },
      { name: 'handler', micros: 2_000 },
      { name: 'end to end', micros: 11_000 },
    ]);
  });
});
