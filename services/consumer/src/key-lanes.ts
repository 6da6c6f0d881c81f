export interface LaneItem {
  key: string;
}

/**
 * Runs items so that items with the same key run one after another in their
 * order, and up to `concurrency` different keys run at once. Stops starting
 * new items once `isActive()` turns false; returns when nothing is running.
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
  const pending = [...lanes.values()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length && isActive()) {
      const lane = pending[next++]!;
      for (const item of lane) {
        if (!isActive()) return;
        await run(item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
}
