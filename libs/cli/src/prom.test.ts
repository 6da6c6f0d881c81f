import { bucketsOf, parsePrometheus, quantileBetween, sumOf } from './prom';

const text = (n: number) => `# HELP taskstream_task_e2e_seconds Accepted by ingest to handler done
# TYPE taskstream_task_e2e_seconds histogram
taskstream_task_e2e_seconds_bucket{le="0.1",type="noop",service="c"} ${n}
taskstream_task_e2e_seconds_bucket{le="1",type="noop",service="c"} ${2 * n}
taskstream_task_e2e_seconds_bucket{le="+Inf",type="noop",service="c"} ${2 * n}
taskstream_consumer_lag{topic="tasks",partition="0",service="c"} 5
taskstream_consumer_lag{topic="tasks",partition="1",service="c"} 7
process_cpu_seconds_total 1.5`;

describe('prometheus text', () => {
  it('when metrics text is parsed, then labels and values come out and series sum', () => {
    const samples = parsePrometheus(text(10));
    expect(sumOf(samples, 'taskstream_consumer_lag')).toBe(12);
    expect(sumOf(samples, 'taskstream_consumer_lag', (l) => l.partition === '1')).toBe(7);
    expect(sumOf(samples, 'process_cpu_seconds_total')).toBe(1.5);
  });

  it('when two snapshots of a histogram are compared, then quantiles describe only what happened between them', () => {
    const before = bucketsOf(parsePrometheus(text(10)), 'taskstream_task_e2e_seconds');
    const after = bucketsOf(parsePrometheus(text(30)), 'taskstream_task_e2e_seconds');
    // Between them: 20 in (0, 0.1], 20 in (0.1, 1].
    expect(quantileBetween(after, before, 0.5)).toBeCloseTo(0.1);
    expect(quantileBetween(after, before, 0.75)).toBeCloseTo(0.55);
    expect(quantileBetween(after, after, 0.5)).toBeNaN();
  });
});
