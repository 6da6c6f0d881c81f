export interface LaneItem {
  key: string;
}

/**
 * Runs items so that items with the same key run one after another in their
 * order, and up to `concurrency` different keys run at once. Keys take turns
 * task by task (round robin), not lane by lane: every key advances at the same
 * pace, so the workers stay busy until the very end instead of idling while
 * the last few long lanes finish. Stops starting new items once `isActive()`
 * turns false; returns when nothing is running.
 */
export async function runInKeyLanes<T extends LaneItem>(
  items: T[],
  concurrency: number,
  isActive: () => boolean,
  /** Returns undefined when the item is done already, else a promise of its end. */
  run: (item: T) => Promise<void> | undefined,
): Promise<void> {
  // Lanes as links between item indexes: no array or object per key.
  const nextOfKey = new Int32Array(items.length).fill(-1);
  const lastOfKey = new Map<string, number>();
  // Items whose key has nothing running, first items of each key in order of appearance; a key
  // has at most one item in here or running, which is what keeps its order.
  const ready: number[] = [];
  items.forEach(({ key }, i) => {
    const previous = lastOfKey.get(key);
    if (previous === undefined) ready.push(i);
    else nextOfKey[previous] = i;
    lastOfKey.set(key, i);
  });
  let head = 0;
  const worker = async (): Promise<void> => {
    while (head < ready.length && isActive()) {
      const index = ready[head++]!;
      // An item done in this turn makes no promise to await: a lane of such items runs straight through.
      const running = run(items[index]!);
      if (running) await running;
      const next = nextOfKey[index]!;
      if (next >= 0) ready.push(next);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ready.length) }, worker));
}
