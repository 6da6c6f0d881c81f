import { newTaskId } from '@taskstream/contract';
import { createStatusLocator, STATUS_BUCKET_SECONDS } from './status-location';

const DAY = 86_400;
const locator = createStatusLocator('ts', DAY);
const at = (iso: string) => Date.parse(iso);

describe('status locations', () => {
  it('when an id carries its time, then its status is a field of the bucket of its minute', () => {
    const id = newTaskId(at('2026-11-27T02:30:42.500Z'));
    const start = at('2026-11-27T02:30:00Z') / 1000;
    expect(locator.locate(id)).toEqual({ key: `ts:tb:${start}`, field: id, bucketStart: start });
  });

  it('when an id is a client name or a record offset, then its status has a key of its own', () => {
    for (const id of ['order-17', 'tasks-3-1200', '3b241101-e2bb-4255-8caf-4136c566a962']) {
      expect(locator.locate(id)).toEqual({ key: `ts:s:${id}`, field: '', bucketStart: -1 });
    }
  });

  it('when buckets are listed for expiry, then each appears once, expiring the retention after its end', () => {
    const now = at('2026-11-27T02:30:42Z');
    const a = locator.locate(newTaskId(now));
    const b = locator.locate(newTaskId(now - 1000));
    const own = locator.locate('order-17');
    const next = locator.locate(newTaskId(now + STATUS_BUCKET_SECONDS * 1000));
    expect(locator.bucketExpiries([a, b, own, next], now)).toEqual([a.key, a.bucketStart + STATUS_BUCKET_SECONDS + DAY, next.key, next.bucketStart + STATUS_BUCKET_SECONDS + DAY]);
  });

  it('when a bucket is old (a late update), then it expires the retention after now, not in the past', () => {
    const now = at('2026-11-27T02:30:42Z');
    const old = locator.locate(newTaskId(now - 3 * DAY * 1000));
    expect(locator.bucketExpiries([old], now)).toEqual([old.key, Math.floor(now / 1000) + DAY]);
  });

  it('when an id claims a time far ahead (a client UUIDv7), then its bucket is held to two bucket lengths ahead', () => {
    const now = at('2026-11-27T02:30:42Z');
    const future = locator.locate(newTaskId(now + 365 * DAY * 1000));
    expect(locator.bucketExpiries([future], now)).toEqual([future.key, Math.floor(now / 1000) + 2 * STATUS_BUCKET_SECONDS + DAY]);
  });
});
