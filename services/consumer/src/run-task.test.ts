import pino from 'pino';
import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { TaskEnvelope } from '@taskstream/contract';
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
  return { retries, onRetry: (n: number) => void retries.push(n), onAttempt: () => {} };
};
const failingTimes = (times: number) => async (_t: TaskEnvelope, ctx: { attempt: number }) => {
  if (ctx.attempt <= times) throw new Error(`boom ${ctx.attempt}`);
  return 'ok';
};

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
});
