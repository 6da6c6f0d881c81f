/**
 * kafkajs 2.2.4's request queue re-arms a timer every time it checks for
 * pending requests, even when nothing is pending and nothing is throttled:
 * `throttledUntil` starts at -1, so the delay is negative, Node makes it 1 ms,
 * and the check runs again, for good (kafkajs issues #1556, #1704). Every
 * broker connection of the bridge and the consumer woke its process ~1,000
 * times a second, idle or not: ~7% of a core per idle bridge. This installs a
 * subclass that arms the timer only when there is something to wait for (a
 * pending request, or a throttle to wait out), in the module cache before the
 * connection module loads it. Must be imported before kafkajs.
 */
import { replaceCachedModule } from './require-cache';

interface KafkajsRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

const REQUEST_QUEUE_PATH = require.resolve('kafkajs/src/network/requestQueue');
const Original = require(REQUEST_QUEUE_PATH) as new (options: object) => KafkajsRequestQueue;

export class RequestQueue extends Original {
  override scheduleCheckPendingRequests(): void {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    super.scheduleCheckPendingRequests();
  }
}

replaceCachedModule(REQUEST_QUEUE_PATH, RequestQueue);
