import { randomUUID } from 'node:crypto';

/** A UUID version 7 in lowercase: 48 bits of Unix time in ms, the version, the variant, random bits (RFC 9562). */
const TIME_ORDERED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The time part is the same for every id made with one `now` (a batch): formatted once.
let lastTime = -1;
let lastTimePart = '';

/**
 * A new task id: a UUID version 7, so the id itself tells when the task was
 * created. The status store files a status under that time (see
 * libs/queue's status-location.ts) and finds it again from the id alone.
 * Built from a random v4 UUID (Node 20 has no v7) with its first 48 bits
 * replaced by the time and its version digit by 7.
 */
export function newTaskId(nowInMs: number): string {
  if (nowInMs !== lastTime) {
    const hex = nowInMs.toString(16).padStart(12, '0');
    lastTime = nowInMs;
    lastTimePart = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`;
  }
  return lastTimePart + randomUUID().slice(15);
}

/** Creation time (epoch ms) carried by a time-ordered id; undefined for any other id. */
export function timeOfTaskId(id: string): number | undefined {
  if (id.length !== 36 || !TIME_ORDERED_ID.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
