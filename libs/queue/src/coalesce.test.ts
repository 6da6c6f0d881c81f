import { coalesceCalls, perItem } from './coalesce';

/** A call that records what it was given and answers each item with its double. */
function doubling() {
  const calls: number[][] = [];
  const call = async (items: number[]) => {
    calls.push(items);
    return items.map((n) => n * 2);
  };
  return { calls, call };
}

describe('coalesceCalls', () => {
  it('combines the calls of one turn and gives each caller its part, in order', async () => {
    const { calls, call } = doubling();
    const sizes: number[] = [];
    const combined = coalesceCalls(call, { maxItems: 100, part: perItem, onCall: (n) => sizes.push(n) });
    await expect(Promise.all([combined([1, 2]), combined([3]), combined([4, 5, 6])])).resolves.toEqual([[2, 4], [6], [8, 10, 12]]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(sizes).toEqual([6]);
  });

  it('starts a new call when the next one would pass maxItems, and passes full and empty ones straight through', async () => {
    const { calls, call } = doubling();
    const combined = coalesceCalls(call, { maxItems: 3, part: perItem });
    const results = await Promise.all([combined([1, 2]), combined([3, 4]), combined([5, 6, 7]), combined([])]);
    expect(results).toEqual([[2, 4], [6, 8], [10, 12, 14], []]);
    expect(calls).toEqual([[1, 2], [5, 6, 7], [], [3, 4]]);
  });

  it('rejects every caller of a failed call, and the next turn is a new call', async () => {
    let failing = true;
    const calls: number[][] = [];
    const combined = coalesceCalls(
      async (items: number[]) => {
        calls.push(items);
        if (failing) throw new Error('down');
        return items;
      },
      { maxItems: 100, part: perItem },
    );
    const settled = await Promise.allSettled([combined([1]), combined([2])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    failing = false;
    await expect(combined([3])).resolves.toEqual([3]);
    expect(calls).toEqual([[1, 2], [3]]);
  });
});
