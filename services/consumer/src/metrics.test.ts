import { createMetricsRegistry } from '@taskstream/telemetry';
import { createConsumerMetrics } from './metrics';

const lines = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(name));

describe('consumer metrics', () => {
  it('when the hot path counts outcomes and tasks in flight, then each read shows the totals under the same names and labels', async () => {
    const registry = createMetricsRegistry('test');
    const noop = createConsumerMetrics(registry).forType('noop');
    noop.succeeded.inc();
    noop.succeeded.inc();
    noop.dead.inc();
    noop.inFlight.inc();
    noop.inFlight.inc();
    noop.inFlight.dec();
    const first = await registry.metrics();
    expect(lines(first, 'taskstream_consumer_tasks_total{')).toEqual([
      'taskstream_consumer_tasks_total{type="noop",outcome="succeeded",service="test"} 2',
      'taskstream_consumer_tasks_total{type="noop",outcome="dead",service="test"} 1',
    ]);
    expect(lines(first, 'taskstream_consumer_in_flight{')).toEqual(['taskstream_consumer_in_flight{type="noop",service="test"} 1']);
    noop.succeeded.inc();
    noop.inFlight.dec();
    const second = await registry.metrics();
    expect(lines(second, 'taskstream_consumer_tasks_total{')[0]).toBe('taskstream_consumer_tasks_total{type="noop",outcome="succeeded",service="test"} 3');
    expect(lines(second, 'taskstream_consumer_in_flight{')).toEqual(['taskstream_consumer_in_flight{type="noop",service="test"} 0']);
  });

  it('when durations are observed, then the histograms keep their names, type label and buckets', async () => {
    const registry = createMetricsRegistry('test');
    createConsumerMetrics(registry).forType('echo').handlerDuration.observe(0.002);
    const text = await registry.metrics();
    expect(lines(text, 'taskstream_handler_duration_seconds_bucket{le="0.0025"')).toEqual(['taskstream_handler_duration_seconds_bucket{le="0.0025",service="test",type="echo"} 1']);
    expect(lines(text, 'taskstream_handler_duration_seconds_count')).toEqual(['taskstream_handler_duration_seconds_count{service="test",type="echo"} 1']);
    expect(text).toContain('# TYPE taskstream_task_e2e_seconds histogram');
  });
});
