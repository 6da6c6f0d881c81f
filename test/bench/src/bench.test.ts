import { renderChart } from './chart';
import { checkGoals, meets } from './goals';
import { parseConsumerPerformance, parseProducerPerformance } from './kafka-ceiling';
import type { Sample } from './sampler';
import { histogramBuckets, histogramQuantile, summarize } from './stats';
import { schedule } from './tracing-overhead';

describe('bench parsers and arithmetic (no services needed)', () => {
  it('when ProducerPerformance prints progress and a summary, then the summary is read', () => {
    const out = [
      '231234 records sent, 46246.8 records/sec (11.25 MB/sec), 120.3 ms avg latency, 600.0 ms max latency.',
      '1000000 records sent, 47529.467681 records/sec (11.56 MB/sec), 1234.56 ms avg latency, 2000.00 ms max latency, 1200 ms 50th, 1900 ms 95th, 1990 ms 99th, 2000 ms 99.9th.',
    ].join('\n');
    expect(parseProducerPerformance(out)).toEqual({ recordsPerSecond: 47529.467681, mbPerSecond: 11.56, avgLatencyMs: 1234.56, p99LatencyMs: 1990 });
  });

  it('when ConsumerPerformance prints its CSV, then the fetch rate is the consumer rate', () => {
    const out = [
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
      '2026-11-26 22:21:10:123, 2026-11-26 22:21:12:456, 24.3187, 10.4234, 100000, 42863.2662, 1250, 1083, 22.4545, 92336.1034',
    ].join('\n');
    expect(parseConsumerPerformance(out)).toEqual({ recordsPerSecond: 92336.1034, overallRecordsPerSecond: 42863.2662, mbPerSecond: 22.4545 });
  });

  it('when a tool printed no summary, then parsing fails loudly', () => {
    expect(() => parseProducerPerformance('nothing')).toThrow(/no ProducerPerformance summary/);
    expect(() => parseConsumerPerformance('nothing')).toThrow(/no ConsumerPerformance result/);
  });

  it('when two histogram snapshots differ, then quantiles come from the difference only', () => {
    const text = (a: number, b: number) =>
      [`h_bucket{le="0.001"} ${a}`, `h_bucket{le="0.01"} ${a + b}`, `h_bucket{le="+Inf"} ${a + b}`, 'h_sum 1', `h_count ${a + b}`].join('\n');
    const before = histogramBuckets(text(100, 0), 'h');
    const after = histogramBuckets(text(100, 100), 'h'); // the 100 new ones all fell in (1 ms, 10 ms]
    expect(histogramQuantile(after, before, 0.5)).toBeCloseTo(0.0055, 6);
    expect(histogramQuantile(after, before, 0.99)).toBeGreaterThan(0.001);
  });

  it('when raw latencies are summarized, then nearest-rank percentiles are returned', () => {
    const s = summarize(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect([s.count, s.p50, s.p99, s.p999, s.max]).toEqual([1000, 500, 990, 999, 1000]);
  });

  it('when a goal is an upper or a lower bound, then met is judged in the right direction', () => {
    expect(meets('e2e', 120_000)).toBe(true);
    expect(meets('e2e', 90_000)).toBe(false);
    expect(meets('e2eP99', 40)).toBe(true);
    expect(meets('e2eP99', NaN)).toBeUndefined();
    const goals = checkGoals({ failed: {}, tracing: { tasks: 1, rounds: 1, runs: [], costAt1Percent: 0.02, cpuCostAt1Percent: 0.02, costAt100Percent: 0.3 } });
    expect(goals.find((g) => g.id === 'tracing')?.met).toBe(true);
    expect(goals.find((g) => g.id === 'bullmq')?.met).toBeUndefined();
  });

  it('when samples have restarts and missing values, then the chart is well-formed SVG with broken lines', () => {
    const sample = (t: number, v: number, breakBefore = false): Sample => ({
      t, phase: 'p', acceptedPerSecond: v, finishedPerSecond: v, e2eP50Ms: v / 1000, e2eP99Ms: NaN, ingestP99Ms: 2, ...(breakBefore ? { breakBefore } : {}),
    });
    const samples = [sample(1, 1000), sample(2, 5000), sample(4, 3000, true), sample(5, 3500)];
    const svg = renderChart(samples, [{ name: 'a <b>', startT: 0, endT: 3 }, { name: 'c', startT: 3, endT: NaN }], 't & u');
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg).toContain('a &lt;b&gt;');
    const accepted = /<path d="([^"]*)" fill="none" stroke="#1f77b4"/.exec(svg)?.[1] ?? '';
    expect(accepted.match(/M/g)).toHaveLength(2); // the restart before t=4 breaks the line
  });

  it('when tracing runs are scheduled, then off and 1% alternate order round by round and 100% runs once, last', () => {
    const order = (rounds: number) => schedule(rounds).map((run) => `${run.setting}#${run.round}`);
    expect(order(2)).toEqual(['off#1', '1%#1', '1%#2', 'off#2', '100%#1']);
    expect(order(3)).toEqual(['off#1', '1%#1', '1%#2', 'off#2', 'off#3', '1%#3', '100%#1']);
  });
});
