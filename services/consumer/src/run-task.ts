import type { TaskEnvelope } from '@taskstream/contract';
import { backoffDelayInMs, ErrorCodes, isTaskstreamError, messageOf } from '@taskstream/errors';
import type { Logger } from '@taskstream/telemetry';
import { setTimeout as sleep } from 'node:timers/promises';
import { Attempt } from './attempt';
import type { TaskHandler } from './handlers/types';

export type RetryMode = 'in-place' | 'retry-topic';

export interface RunPolicy {
  maxAttempts: number;
  retryInitialDelayInMs: number;
  retryMaxDelayInMs: number;
  /** Per attempt; a timeout is a failed, retriable attempt. */
  timeoutInMs(type: string): number;
  /**
   * `in-place`: back off and retry right here, so later tasks of the same key
   * wait (order kept). `retry-topic`: one attempt per delivery; a retriable
   * failure comes back as `retry` for the caller to send to the retry topic, so
   * nothing waits behind it (order of that key not kept).
   */
  retryMode: RetryMode;
}

export interface TaskError {
  code: string;
  message: string;
}

export type TaskOutcome =
  | { status: 'succeeded'; attempts: number; result: unknown }
  | { status: 'dead'; attempts: number; error: TaskError }
  | { status: 'retry'; attempts: number; error: TaskError; retryAt: number };

/** Called with the task they concern, so one hooks object serves a whole batch. */
export interface RunHooks {
  /** Before the backoff that precedes attempt `attempt + 1`. */
  onRetry(task: TaskEnvelope, attempt: number, error: TaskError): void;
  onAttempt(task: TaskEnvelope, durationInSeconds: number): void;
}

function describe(err: unknown): { code: string; message: string; retriable: boolean } {
  if (isTaskstreamError(err)) return { code: err.code, message: err.message, retriable: err.retriable };
  // A plain Error from a custom handler is assumed transient; programmer errors are not.
  const programmer = err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError;
  return { code: ErrorCodes.HANDLER_FAILED, message: messageOf(err), retriable: !programmer };
}

/**
 * Runs a task until it succeeds, fails for good, or runs out of attempts (or,
 * in `retry-topic` mode, until its first retriable failure). Backoff is
 * exponential with jitter; a timeout counts as a failed attempt.
 */
export async function runTask(handler: TaskHandler, task: TaskEnvelope, policy: RunPolicy, hooks: RunHooks, logger: Logger): Promise<TaskOutcome> {
  const maxAttempts = task.maxAttempts ?? policy.maxAttempts;
  const timeoutInMs = policy.timeoutInMs(task.type);
  for (let attempt = task.attempt; ; attempt++) {
    const current = new Attempt(attempt, logger, task.type, timeoutInMs);
    try {
      const result = await current.run(handler, task);
      hooks.onAttempt(task, (performance.now() - current.startedAt) / 1000);
      return { status: 'succeeded', attempts: attempt, result };
    } catch (err) {
      hooks.onAttempt(task, (performance.now() - current.startedAt) / 1000);
      const { code, message, retriable } = describe(err);
      if (!retriable || attempt >= maxAttempts) return { status: 'dead', attempts: attempt, error: { code, message } };
      hooks.onRetry(task, attempt, { code, message });
      const delay = backoffDelayInMs(attempt, { initialDelayInMs: policy.retryInitialDelayInMs, maxDelayInMs: policy.retryMaxDelayInMs });
      if (policy.retryMode === 'retry-topic') return { status: 'retry', attempts: attempt, error: { code, message }, retryAt: Date.now() + delay };
      await sleep(delay);
    }
  }
}
