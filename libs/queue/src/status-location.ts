import { timeOfTaskId } from '@taskstream/contract';

/** Seconds of task creation time one status bucket covers. */
export const STATUS_BUCKET_SECONDS = 60;

/**
 * Where one task's status lives: a field of a bucket hash (`field` = the id),
 * or a key of its own (`field` empty). Either way the value is the status JSON.
 */
export interface StatusLocation {
  key: string;
  field: string;
  /** The bucket's first second (epoch s); -1 for a key of its own. */
  bucketStart: number;
}

export interface StatusLocator {
  locate(id: string): StatusLocation;
  /** Lua arguments `bucket, expireAt` for each distinct bucket among these locations. */
  bucketExpiries(locations: StatusLocation[], nowInMs: number): (string | number)[];
}

/**
 * Ids that carry their creation time (the ingest's UUIDv7s) file their status
 * as a field of the hash `<prefix>:tb:<bucket start>`, one hash per minute of
 * creation time, which expires as a whole. Any other id (chosen by a client,
 * or derived from a third-party record's offset) has a key `<prefix>:s:<id>`
 * with its own TTL.
 *
 * Why: a key per task cost Redis a key, an expiry entry and an EXPIRE command
 * per task. Measured with AOF on (docs/performance.md): the status scripts'
 * Redis CPU per task 18–23 → 14–15 µs (libs/queue/bench/status-scripts.js),
 * memory per finished task 254 → 193 bytes.
 *
 * A bucket expires `retention` after its end, and never before `retention`
 * after its last write (a late update, or an id whose time is in the past,
 * pushes it out; expiries only move later). So every status lives at least
 * the retention after its last write, and at most a bucket length longer.
 */
export function createStatusLocator(prefix: string, retentionInSeconds: number): StatusLocator {
  // Consecutive ids mostly share a bucket: its key is built once, not once per task.
  let lastStart = -1;
  let lastKey = '';
  return {
    locate(id) {
      const createdAt = timeOfTaskId(id);
      if (createdAt === undefined) return { key: `${prefix}:s:${id}`, field: '', bucketStart: -1 };
      const bucketStart = Math.floor(createdAt / 1000 / STATUS_BUCKET_SECONDS) * STATUS_BUCKET_SECONDS;
      if (bucketStart !== lastStart) {
        lastStart = bucketStart;
        lastKey = `${prefix}:tb:${bucketStart}`;
      }
      return { key: lastKey, field: id, bucketStart };
    },
    bucketExpiries(locations, nowInMs) {
      const now = Math.floor(nowInMs / 1000);
      const seen = new Set<string>();
      const args: (string | number)[] = [];
      for (const { key, bucketStart } of locations) {
        if (bucketStart < 0 || seen.has(key)) continue;
        seen.add(key);
        // A clock a little ahead makes the next bucket; an id far in the future (a client's own
        // UUIDv7) must not keep its bucket for years: held to the end of the next bucket.
        const end = Math.min(bucketStart + STATUS_BUCKET_SECONDS, now + 2 * STATUS_BUCKET_SECONDS);
        args.push(key, Math.max(end, now) + retentionInSeconds);
      }
      return args;
    },
  };
}
