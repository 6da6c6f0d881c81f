import pino from 'pino';
import type { TaskEnvelope } from '@taskstream/contract';
import type { OutgoingRecord, TaskPublisher } from '@taskstream/kafka';
import type { StatusTransition, TaskStatusStore } from '@taskstream/queue';
import { BatchProgress } from './batch-progress';

function fakes() {
  const written: StatusTransition[] = [];
  const published: OutgoingRecord[] = [];
  const resolved: string[] = [];
  const statusStore: Pick<TaskStatusStore, 'apply'> = { apply: async (t) => (written.push(...t), t.map(() => true)) };
  const publisher: TaskPublisher = { connect: async () => {}, disconnect: async () => {}, publish: async (r) => void published.push(...r) };
  return { written, published, resolved, statusStore, publisher };
}

const transition = (id: string): StatusTransition => ({ id, status: 'succeeded', attempts: 1, type: 'noop', key: id, createdAt: 1 });
const task = (id: string): TaskEnvelope => ({ id, type: 'noop', key: id, payload: null, createdAt: 0, attempt: 1 });

describe('BatchProgress', () => {
  it('when a later record finishes before an earlier one, then the offset stops before the gap', async () => {
    const f = fakes();
    const progress = new BatchProgress({ offsets: ['10', '11', '12'], ...f, resolveOffset: (o) => f.resolved.push(o), logger: pino({ level: 'silent' }) });
    progress.complete(0, transition('a'));
    progress.complete(2, transition('c'));
    await progress.checkpoint();
    expect(f.resolved).toEqual(['10']);
    progress.complete(1, transition('b'));
    await progress.checkpoint();
    expect(f.resolved).toEqual(['10', '12']);
    expect(f.written.map((t) => t.id)).toEqual(['a', 'c', 'b']);
  });

  it('when the status write fails for good, then no offset is resolved', async () => {
    const f = fakes();
    f.statusStore.apply = async () => { throw new TypeError('redis gone'); };
    const progress = new BatchProgress({ offsets: ['1'], ...f, resolveOffset: (o) => f.resolved.push(o), logger: pino({ level: 'silent' }) });
    progress.complete(0, transition('a'));
    await expect(progress.checkpoint()).rejects.toThrow('redis gone');
    expect(f.resolved).toEqual([]);
  });

  it('when a record is dead-lettered, then the dead letter is produced before its offset resolves', async () => {
    const f = fakes();
    const order: string[] = [];
    f.publisher.publish = async () => void order.push('publish');
    const progress = new BatchProgress({ offsets: ['5'], ...f, resolveOffset: () => order.push('resolve'), logger: pino({ level: 'silent' }) });
    progress.complete(0, undefined, [{ topic: 'tasks.dlq', key: 'k', value: 'x', headers: {} }]);
    await progress.checkpoint();
    expect(order).toEqual(['publish', 'resolve']);
  });

  it('when a task finishes before the checkpoint, then only its final status is written; a running one is marked processing, once', async () => {
    const f = fakes();
    const progress = new BatchProgress({ offsets: ['1', '2'], ...f, resolveOffset: (o) => f.resolved.push(o), logger: pino({ level: 'silent' }) });
    progress.started(0, task('fast'));
    progress.started(1, task('slow'));
    progress.complete(0, transition('fast'));
    await progress.checkpoint();
    await progress.checkpoint();
    expect(f.written.map((t) => `${t.id}:${t.status}`)).toEqual(['slow:processing', 'fast:succeeded']);
    progress.complete(1, transition('slow'));
    await progress.checkpoint();
    expect(f.written.map((t) => `${t.id}:${t.status}`)).toEqual(['slow:processing', 'fast:succeeded', 'slow:succeeded']);
    expect(f.resolved).toEqual(['1', '2']);
  });

  it('when a final status was already final, then it is reported as a duplicate', async () => {
    const f = fakes();
    f.statusStore.apply = async (t) => t.map(() => false);
    let duplicates = 0;
    const progress = new BatchProgress({ offsets: ['1'], ...f, resolveOffset: () => {}, logger: pino({ level: 'silent' }), onDuplicates: (n) => (duplicates += n) });
    progress.complete(0, transition('again'));
    await progress.checkpoint();
    expect(duplicates).toBe(1);
  });
});
