import { RequestQueue } from './kafkajs-idle-request-queue';
import { printedWithBuild } from './kafkajs-samples.test-helpers';

interface QueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null | undefined;
  checkPendingRequests(): void;
  destroy(): void;
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const queueOf = (Queue: new (options: object) => unknown) =>
  new Queue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: '127.0.0.1:9092', logger: silent }) as QueueInternals;

describe('kafkajs request queue that sleeps when idle', () => {
  const queues: QueueInternals[] = [];
  const make = (Queue: new (options: object) => unknown = RequestQueue) => {
    const queue = queueOf(Queue);
    queues.push(queue);
    return queue;
  };
  afterEach(() => queues.splice(0).forEach((q) => q.destroy()));

  it('when the built library is loaded in plain Node, then a kafkajs connection gets the subclass', () => {
    // kafkajs's own class extends EventEmitter; the installed one extends kafkajs's.
    const code = `
      const Connection = require('kafkajs/src/network/connection');
      const { createLogger, LEVELS } = require('kafkajs/src/loggers');
      const logger = createLogger({ level: LEVELS.NOTHING, logCreator: () => () => {} });
      const connection = new Connection({ host: '127.0.0.1', port: 1, logger, socketFactory: () => null });
      console.log(Object.getPrototypeOf(connection.requestQueue.constructor).name);`;
    expect(printedWithBuild(code)).toBe('RequestQueue');
  });

  it('when nothing is pending and nothing throttled, then a check arms no timer (kafkajs arms one every millisecond)', () => {
    const kafkajs = make(Object.getPrototypeOf(RequestQueue));
    kafkajs.checkPendingRequests();
    expect(kafkajs.throttleCheckTimeoutId).toBeTruthy();

    const ours = make();
    ours.checkPendingRequests();
    expect(ours.throttleCheckTimeoutId ?? null).toBeNull();
  });

  it('when a request is pending or the broker throttles, then the check is still scheduled', () => {
    const pending = make() as QueueInternals & { scheduleCheckPendingRequests(): void };
    pending.pending.push({});
    pending.scheduleCheckPendingRequests();
    expect(pending.throttleCheckTimeoutId).toBeTruthy();

    const throttled = make();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.checkPendingRequests();
    expect(throttled.throttleCheckTimeoutId).toBeTruthy();
  });
});
