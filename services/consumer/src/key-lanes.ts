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
  run: (item: T) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const lane = lanes.get(item.key);
    if (lane) lane.push(item);
    else lanes.set(item.key, [item]);
  }
  // Keys with work and none running; a key is in here at most once, which is what keeps its order.
  const ready = [...lanes.values()].map((lane) => ({ lane, next: 0 }));
  let head = 0;
  const worker = async (): Promise<void> => {
    while (head < ready.length && isActive()) {
      const turn = ready[head++]!;
      await run(turn.lane[turn.next++]!);
      if (turn.next < turn.lane.length) ready.push(turn);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ready.length) }, worker));
}
