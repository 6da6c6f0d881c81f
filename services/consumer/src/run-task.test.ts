import pino from 'pino';
import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { TaskEnvelope } from '@taskstream/contract';
import type { TaskHandler } from './handlers/types';
import { runTask, type RunPolicy } from './run-task';

const task: TaskEnvelope = { id: 't1', type: 'flaky', key: 'k', payload: null, createdAt: 0, attempt: 1 };
const logger = pino({ level: 'silent' });
const policy = (overrides: Partial<RunPolicy> = {}): RunPolicy => ({
  maxAttempts: 3,
  retryInitialDelayInMs: 1,
  retryMaxDelayInMs: 2,
  timeoutInMs: () => 1000,
  retryMode: 'in-place',
  ...overrides,
});
const hooks = () => {
  const retries: number[] = [];
  return { retries, onRetry: (_task: TaskEnvelope, n: number) => void retries.push(n), onAttempt: () => {} };
};
const failingTimes = (times: number) => async (_t: TaskEnvelope, ctx: { attempt: number }) => {
  if (ctx.attempt <= times) throw new Error(`boom ${ctx.attempt}`);
  return 'ok';
};

/** Keeps the event loop busy, as a CPU-bound handler does. */
function blockFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('runTask', () => {
  it('when a task fails twice in place, then the third attempt succeeds', async () => {
    const h = hooks();
    expect(await runTask(failingTimes(2), task, policy(), h, logger)).toEqual({ status: 'succeeded', attempts: 3, result: 'ok' });
    expect(h.retries).toEqual([1, 2]);
  });

  it('when attempts run out, then the task is dead with the last error', async () => {
    expect(await runTask(failingTimes(9), task, policy(), hooks(), logger)).toEqual({ status: 'dead', attempts: 3, error: { code: 'HANDLER_FAILED', message: 'boom 3' } });
  });

  it('when the task sets maxAttempts, then it wins over the default', async () => {
    expect(await runTask(failingTimes(9), { ...task, maxAttempts: 1 }, policy(), hooks(), logger)).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('when the error is not retriable, then the task is dead at once', async () => {
    const handler = async () => {
      throw new TaskstreamError(ErrorCodes.HANDLER_FAILED, 'bad payload', { retriable: false });
    };
    expect(await runTask(handler, task, policy(), hooks(), logger)).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('when an attempt passes its type timeout, then it fails as HANDLER_TIMEOUT and is retried', async () => {
    let calls = 0;
    const slowOnce = async (_t: TaskEnvelope, ctx: { signal: AbortSignal }) => {
      if (++calls === 1) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return 'late ok';
    };
    const h = hooks();
    expect(await runTask(slowOnce, task, policy({ timeoutInMs: (type) => (type === 'flaky' ? 20 : 1000) }), h, logger)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(h.retries).toEqual([1]);
  });

  it('when retries go to the retry topic, then a retriable failure returns "retry" with a due time', async () => {
    const before = Date.now();
    const outcome = await runTask(failingTimes(1), task, policy({ retryMode: 'retry-topic' }), hooks(), logger);
    expect(outcome).toMatchObject({ status: 'retry', attempts: 1, error: { message: 'boom 1' } });
    expect(outcome.status === 'retry' && outcome.retryAt).toBeGreaterThanOrEqual(before);
  });

  it('when a retried delivery runs with its attempt number, then attempts continue from it', async () => {
    expect(await runTask(failingTimes(1), { ...task, attempt: 2 }, policy({ retryMode: 'retry-topic' }), hooks(), logger)).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('when a handler settles in the turn it started, then no timer is armed for it', async () => {
    const setTimer = jest.spyOn(global, 'setTimeout');
    try {
      expect(await runTask(async () => 'done', task, policy(), hooks(), logger)).toMatchObject({ status: 'succeeded' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(setTimer).not.toHaveBeenCalled();
    } finally {
      setTimer.mockRestore();
    }
  });

  it('when a handler blocks past its timeout and then waits, then it times out as soon as its turn ends', async () => {
    const blocksThenHangs = async () => {
      blockFor(30);
      return new Promise<never>(() => {});
    };
    const started = performance.now();
    const outcome = await runTask(blocksThenHangs, { ...task, maxAttempts: 1 }, policy({ timeoutInMs: () => 20 }), hooks(), logger);
    expect(outcome).toMatchObject({ status: 'dead', error: { code: 'HANDLER_TIMEOUT' } });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('when a handler blocks past its timeout but has its result by then, then it succeeds (as a timer could not fire first)', async () => {
    const blocks = async () => {
      blockFor(30);
      return 'late but done';
    };
    expect(await runTask(blocks, task, policy({ timeoutInMs: () => 20 }), hooks(), logger)).toMatchObject({ status: 'succeeded', result: 'late but done' });
  });

  it('when thousands of attempts start and settle in one turn, then one still running among them times out', async () => {
    const hang = () => new Promise<never>(() => {});
    const once = { ...task, maxAttempts: 1 };
    const slow = runTask(hang, once, policy({ timeoutInMs: () => 20 }), hooks(), logger);
    // One after another in microtasks, all in this turn: the settled ones are swept from the unarmed list.
    for (let i = 0; i < 2000; i++) expect(await runTask(async () => i, once, policy(), hooks(), logger)).toMatchObject({ status: 'succeeded', result: i });
    expect(await slow).toMatchObject({ status: 'dead', error: { code: 'HANDLER_TIMEOUT' } });
  });

  it('when a handler throws before returning a promise, then that is its outcome', async () => {
    const throws: TaskHandler = () => {
      throw new TaskstreamError(ErrorCodes.HANDLER_FAILED, 'sync', { retriable: false });
    };
    expect(await runTask(throws, task, policy(), hooks(), logger)).toMatchObject({ status: 'dead', error: { message: 'sync' } });
  });

  it('when a handler returns a plain value, then the outcome comes back at once, not as a promise, and the attempt is timed', () => {
    const seconds: number[] = [];
    const outcome = runTask(() => 42, task, policy(), { onRetry: () => {}, onAttempt: (_t, s) => void seconds.push(s) }, logger);
    expect(outcome).toEqual({ status: 'succeeded', attempts: 1, result: 42 });
    expect(seconds).toHaveLength(1);
  });

  it('when a plain-value handler throws a retriable error first, then it is retried in place like any other', async () => {
    const h = hooks();
    const syncFailingOnce: TaskHandler = (_t, ctx) => {
      if (ctx.attempt === 1) throw new Error('first');
      return `ok on ${ctx.attempt}`;
    };
    expect(await runTask(syncFailingOnce, task, policy(), h, logger)).toEqual({ status: 'succeeded', attempts: 2, result: 'ok on 2' });
    expect(h.retries).toEqual([1]);
  });

  it('when a handler returns a thenable that is not a native promise, then its value is awaited', async () => {
    const thenable: TaskHandler = () => ({ then: (resolve: (value: string) => void) => setTimeout(() => resolve('later'), 1) });
    const outcome = runTask(thenable, task, policy(), hooks(), logger);
    expect(outcome).toBeInstanceOf(Promise);
    expect(await outcome).toEqual({ status: 'succeeded', attempts: 1, result: 'later' });
  });
});
