import { setTimeout as sleep } from 'node:timers/promises';
import { Bulkhead } from './bulkhead';

describe('Bulkhead', () => {
  it('when a type has a limit, then no more than that run at once and the rest wait their turn', async () => {
    const bulkhead = new Bulkhead({ cpu: 2 });
    let now = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await bulkhead.acquire('cpu');
        peak = Math.max(peak, ++now);
        order.push(i);
        await sleep(5);
        now--;
        bulkhead.release('cpu');
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(bulkhead.inUse('cpu')).toBe(0);
  });

  it('when one type is saturated, then another type still runs', async () => {
    const bulkhead = new Bulkhead({ webhook: 1 });
    await bulkhead.acquire('webhook');
    let started = false;
    const blocked = bulkhead.acquire('webhook')!.then(() => (started = true));
    await bulkhead.acquire('noop');
    await sleep(1);
    expect(started).toBe(false);
    bulkhead.release('webhook');
    await blocked;
    expect(started).toBe(true);
  });

  it('when a slot is free or the type has no limit, then it is taken at once, without a promise; when full, the wait is a promise served in order', async () => {
    const bulkhead = new Bulkhead({ cpu: 1 });
    expect(bulkhead.acquire('noop')).toBeUndefined();
    expect(bulkhead.acquire('cpu')).toBeUndefined();
    const order: string[] = [];
    const first = bulkhead.acquire('cpu')!.then(() => order.push('first'));
    const second = bulkhead.acquire('cpu')!.then(() => order.push('second'));
    expect(bulkhead.inUse('cpu')).toBe(1);
    bulkhead.release('cpu');
    await first;
    expect(order).toEqual(['first']);
    bulkhead.release('cpu');
    await second;
    bulkhead.release('cpu');
    expect([order, bulkhead.inUse('cpu'), bulkhead.acquire('cpu')]).toEqual([['first', 'second'], 0, undefined]);
  });
});
