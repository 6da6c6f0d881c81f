import { createCoalescingBuffer } from './coalescing-buffer';
import type { BufferedTask, EnqueueResult, TaskBuffer } from './types';

const task = (id: string): BufferedTask => ({ envelope: { id, type: 'noop', key: id, payload: null, createdAt: 0, attempt: 1 }, trace: {}, clientId: true });

/** Records every call; marks ids ending in "dup" as already known. */
function recordingBuffer(answer?: (tasks: BufferedTask[]) => EnqueueResult | Error): TaskBuffer & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async enqueue(tasks) {
      calls.push(tasks.map((t) => t.envelope.id));
      const result = answer?.(tasks) ?? { accepted: true, fresh: tasks.map((t) => !t.envelope.id.endsWith('dup')) };
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

describe('createCoalescingBuffer', () => {
  it('sends the enqueues of one event-loop turn as one call and gives each caller its own slice', async () => {
    const inner = recordingBuffer();
    const callSizes: number[] = [];
    const buffer = createCoalescingBuffer(inner, { maxTasks: 100, onCall: (n) => callSizes.push(n) });
    const results = await Promise.all([buffer.enqueue([task('a')]), buffer.enqueue([task('b-dup'), task('c')]), buffer.enqueue([task('d')])]);
    expect(inner.calls).toEqual([['a', 'b-dup', 'c', 'd']]);
    expect(callSizes).toEqual([4]);
    expect(results).toEqual([
      { accepted: true, fresh: [true] },
      { accepted: true, fresh: [false, true] },
      { accepted: true, fresh: [true] },
    ]);
  });

  it('starts a new call when the next enqueue would pass maxTasks, and passes large ones straight through', async () => {
    const inner = recordingBuffer();
    const buffer = createCoalescingBuffer(inner, { maxTasks: 3 });
    await Promise.all([
      buffer.enqueue([task('a'), task('b')]),
      buffer.enqueue([task('c'), task('d')]),
      buffer.enqueue([task('x'), task('y'), task('z')]),
    ]);
    expect(inner.calls).toEqual([['a', 'b'], ['x', 'y', 'z'], ['c', 'd']]);
  });

  it('tells every caller of a refused call that the buffer is full', async () => {
    const inner = recordingBuffer(() => ({ accepted: false, reason: 'buffer-full', depth: 42 }));
    const buffer = createCoalescingBuffer(inner, { maxTasks: 100 });
    const results = await Promise.all([buffer.enqueue([task('a')]), buffer.enqueue([task('b')])]);
    expect(results).toEqual([
      { accepted: false, reason: 'buffer-full', depth: 42 },
      { accepted: false, reason: 'buffer-full', depth: 42 },
    ]);
  });

  it('rejects every caller of a failed call, and the next turn is a new call', async () => {
    let failing = true;
    const inner = recordingBuffer((tasks) => (failing ? new Error('redis down') : { accepted: true, fresh: tasks.map(() => true) }));
    const buffer = createCoalescingBuffer(inner, { maxTasks: 100 });
    const settled = await Promise.allSettled([buffer.enqueue([task('a')]), buffer.enqueue([task('b')])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    failing = false;
    await expect(buffer.enqueue([task('c')])).resolves.toEqual({ accepted: true, fresh: [true] });
    expect(inner.calls).toEqual([['a', 'b'], ['c']]);
  });
});
