import { setTimeout as sleep } from 'node:timers/promises';
import { runInKeyLanes } from './key-lanes';

describe('runInKeyLanes', () => {
  it('when items share a key, then they run in order, one at a time', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, n: i }));
    const seen: Record<string, number[]> = {};
    const running = new Set<string>();
    await runInKeyLanes(items, 8, () => true, async (item) => {
      expect(running.has(item.key)).toBe(false);
      running.add(item.key);
      await sleep(Math.random() * 3);
      (seen[item.key] ??= []).push(item.n);
      running.delete(item.key);
    });
    for (const ns of Object.values(seen)) expect(ns).toEqual([...ns].sort((a, b) => a - b));
    expect(Object.values(seen).flat()).toHaveLength(30);
  });

  it('when keys differ, then up to the limit run at once', async () => {
    let now = 0;
    let peak = 0;
    const items = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}` }));
    await runInKeyLanes(items, 4, () => true, async () => {
      peak = Math.max(peak, ++now);
      await sleep(5);
      now--;
    });
    expect(peak).toBe(4);
  });

  it('when it becomes inactive, then no new item starts', async () => {
    let active = true;
    let ran = 0;
    const items = Array.from({ length: 10 }, () => ({ key: 'same' }));
    await runInKeyLanes(items, 4, () => active, async () => {
      if (++ran === 3) active = false;
    });
    expect(ran).toBe(3);
  });
  it('when some items finish in the turn they start (no promise), then keys keep their order and every item runs once', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 4}`, n: i }));
    const seen: Record<string, number[]> = {};
    const running = new Set<string>();
    await runInKeyLanes(items, 3, () => true, (item) => {
      expect(running.has(item.key)).toBe(false);
      if (item.n % 3 === 0) {
        (seen[item.key] ??= []).push(item.n);
        return undefined;
      }
      running.add(item.key);
      return sleep(1).then(() => {
        (seen[item.key] ??= []).push(item.n);
        running.delete(item.key);
      });
    });
    for (const ns of Object.values(seen)) expect(ns).toEqual([...ns].sort((a, b) => a - b));
    expect(Object.values(seen).flat().sort((a, b) => a - b)).toEqual(items.map((item) => item.n));
  });
});
