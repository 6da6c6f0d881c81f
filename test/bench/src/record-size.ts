import { randomUUID } from 'node:crypto';

/**
 * Bytes of one record as the bridge produces it for a no-op task: the JSON
 * envelope, the key and the headers (task-id, task-type, traceparent). The
 * broker ceiling uses this size so the peer moves as many bytes per task as we do.
 */
export function recordBytes(): number {
  const id = randomUUID();
  const key = 'k-1234';
  const value = JSON.stringify({ id, type: 'noop', key, payload: null, createdAt: Date.now(), attempt: 1 });
  const traceparent = `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`;
  const headers = { 'task-id': id, 'task-type': 'noop', traceparent };
  const headerBytes = Object.entries(headers).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  return value.length + key.length + headerBytes;
}
