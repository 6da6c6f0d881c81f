import { Histogram, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram';
import { LATENCY_BUCKETS } from './metrics';

function pair() {
  const [theirs, ours] = [new Registry(), new Registry()];
  for (const registry of [theirs, ours]) registry.setDefaultLabels({ service: 'test' });
  const options = { name: 'x_seconds', help: 'X per task', labelNames: ['type'] as const, buckets: LATENCY_BUCKETS };
  return { theirs, ours, reference: new Histogram({ ...options, registers: [theirs] }), fast: new FastHistogram({ ...options, registers: [ours] }) };
}

// On a bound, between bounds, below the first, above the last, zero, and a sum that rounds.
const VALUES = [0.0005, 0.0007, 0.0001, 61, 0, 0.1 + 0.2, 1e-9, 2.5, 30.0000001];

describe('FastHistogram', () => {
  it('when the same values are observed, then /metrics text and get() equal prom-client Histogram\'s', async () => {
    const { theirs, ours, reference, fast } = pair();
    const [noop, echo] = [fast.labels('noop'), fast.labels('echo')];
    VALUES.forEach((value, i) => {
      reference.labels(i % 3 ? 'noop' : 'echo').observe(value);
      (i % 3 ? noop : echo).observe(value);
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await fast.get()).toEqual(await reference.get());
  });

  it('when a child was bound but never observed, then it is not shown, as in prom-client', async () => {
    const { theirs, ours, reference, fast } = pair();
    reference.labels('idle');
    fast.labels('idle');
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('when reset, then nothing shows and the bound child still counts', async () => {
    const { theirs, ours, reference, fast } = pair();
    const child = fast.labels('noop');
    child.observe(1);
    reference.labels('noop').observe(1);
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    child.observe(3);
    reference.labels('noop').observe(3);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('when a value is not a finite number, then it is refused as prom-client refuses it', () => {
    expect(() => new FastHistogram({ name: 'y', help: 'y', labelNames: ['type'], buckets: [1] }).labels('a').observe(NaN)).toThrow(TypeError);
  });
});
