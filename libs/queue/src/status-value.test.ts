import type { TaskEnvelope } from '@taskstream/contract';
import { parseStoredStatus, queuedShardOf, queuedStatusHead, statusView, transitionStatus } from './status-value';

const envelope: TaskEnvelope = { id: 't-1', type: 'email.send', key: 'user "42"', payload: {}, createdAt: 1_000, attempt: 1 };

describe('stored statuses', () => {
  it('when a task is queued, then the script completes the head with its place into JSON whose first field is the status', () => {
    const raw = `${queuedStatusHead(envelope)}3:17"}`;
    expect(raw.startsWith('{"s":"queued"')).toBe(true);
    const stored = parseStoredStatus(raw);
    expect(stored).toEqual({ s: 'queued', ty: 'email.send', c: 1_000, k: 'user "42"', q: '3:17' });
    expect(queuedShardOf(stored)).toBe('3');
  });

  it('when a queued task is within its shard published count, then it shows as published; before that as queued', () => {
    const stored = parseStoredStatus(`${queuedStatusHead(envelope)}3:17"}`);
    expect(statusView('t-1', stored, 16).status).toBe('queued');
    expect(statusView('t-1', stored, 17)).toEqual({
      id: 't-1', type: 'email.send', key: 'user "42"', status: 'published', attempts: 0,
      createdAt: new Date(1_000).toISOString(), updatedAt: new Date(1_000).toISOString(),
    });
  });

  it('when a task succeeds, then the status holds its result JSON as it is and the key only when it is not the id', () => {
    const raw = transitionStatus({ id: 't-2', type: 'echo', key: 't-2', createdAt: 1_000, status: 'succeeded', attempts: 2, detail: '{"ok":[1,2]}' }, 5_000);
    expect(raw.startsWith('{"s":"succeeded"')).toBe(true);
    const stored = parseStoredStatus(raw);
    expect(stored).toEqual({ s: 'succeeded', ty: 'echo', c: 1_000, a: 2, u: 5_000, r: { ok: [1, 2] } });
    expect(statusView('t-2', stored, 0)).toMatchObject({ key: 't-2', status: 'succeeded', attempts: 2, result: { ok: [1, 2] }, updatedAt: new Date(5_000).toISOString() });
    expect(queuedShardOf(stored)).toBeUndefined();
  });

  it('when a task is dead or retrying, then its detail is the error', () => {
    const error = '{"code":"HANDLER_FAILED","message":"boom"}';
    for (const status of ['dead', 'retrying'] as const) {
      const stored = parseStoredStatus(transitionStatus({ ...envelope, status, attempts: 3, detail: error }, 2_000));
      expect(statusView(envelope.id, stored, 0)).toMatchObject({ status, key: 'user "42"', error: { code: 'HANDLER_FAILED', message: 'boom' } });
    }
  });
});
