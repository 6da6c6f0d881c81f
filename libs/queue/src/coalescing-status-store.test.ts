import { createCoalescingStatusStore } from './coalescing-status-store';
import type { StatusTransition, TaskStatusStore } from './types';

const succeeded = (id: string): StatusTransition => ({ id, status: 'succeeded', type: 'noop', key: id, createdAt: 0, attempts: 1 });

/** Records every call; ids ending in "done" are finished, and writes to them are refused. */
function recordingStore(): TaskStatusStore & { calls: string[] } {
  const calls: string[] = [];
  const isDone = (id: string) => id.endsWith('done');
  return {
    calls,
    get: async () => undefined,
    statuses: async (ids) => ids.map(() => undefined),
    reopen: async () => {},
    async finished(ids) {
      calls.push(`finished ${ids.join(',')}`);
      return ids.map(isDone);
    },
    async apply(transitions) {
      calls.push(`apply ${transitions.map((t) => t.id).join(',')}`);
      return transitions.map((t) => !isDone(t.id));
    },
  };
}

describe('createCoalescingStatusStore', () => {
  it('makes one finished-check and one write of the calls of one turn, each caller answered for its own tasks', async () => {
    const inner = recordingStore();
    const store = createCoalescingStatusStore(inner, { maxTasks: 100 });
    const checks = await Promise.all([store.finished(['a', 'b-done']), store.finished(['c-done']), store.finished(['d'])]);
    const writes = await Promise.all([store.apply([succeeded('a')]), store.apply([succeeded('c-done'), succeeded('d')])]);
    expect(inner.calls).toEqual(['finished a,b-done,c-done,d', 'apply a,c-done,d']);
    expect(checks).toEqual([[false, true], [true], [false]]);
    expect(writes).toEqual([[true], [false, true]]);
  });

  it('keeps calls of different turns apart', async () => {
    const inner = recordingStore();
    const store = createCoalescingStatusStore(inner, { maxTasks: 100 });
    await store.finished(['a']);
    await store.finished(['b']);
    expect(inner.calls).toEqual(['finished a', 'finished b']);
  });

  it('rejects every caller of a failed combined call', async () => {
    const inner = recordingStore();
    inner.apply = async () => {
      throw new Error('redis down');
    };
    const store = createCoalescingStatusStore(inner, { maxTasks: 100 });
    const settled = await Promise.allSettled([store.apply([succeeded('a')]), store.apply([succeeded('b')])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
