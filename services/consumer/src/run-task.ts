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
 * exponential with jitter; a timeout counts as a failed attempt. A handler that
 * returns a plain value on the first attempt gives the outcome at once, not a
 * promise: most tasks of the built-in types never make one.
 */
export function runTask(handler: TaskHandler, task: TaskEnvelope, policy: RunPolicy, hooks: RunHooks, logger: Logger): TaskOutcome | Promise<TaskOutcome> {
  const timeoutInMs = policy.timeoutInMs(task.type);
  const first = new Attempt(task.attempt, logger, task.type, timeoutInMs);
  const running = first.run(handler, task);
  if (running) return settleAttempts(handler, task, policy, hooks, first, running);
  hooks.onAttempt(task, first.elapsedInSeconds);
  return { status: 'succeeded', attempts: first.attempt, result: first.result };
}

/** Waits for an attempt still running, then makes the attempts left (with their backoff) until the task's outcome is known. */
async function settleAttempts(
  handler: TaskHandler,
  task: TaskEnvelope,
  policy: RunPolicy,
  hooks: RunHooks,
  first: Attempt,
  firstRunning: Promise<unknown>,
): Promise<TaskOutcome> {
  const maxAttempts = task.maxAttempts ?? policy.maxAttempts;
  let current = first;
  let running: Promise<unknown> | undefined = firstRunning;
  for (;;) {
    const attempts = current.attempt;
    try {
      const result = running ? await running : current.result;
      hooks.onAttempt(task, current.elapsedInSeconds);
      return { status: 'succeeded', attempts, result };
    } catch (err) {
      hooks.onAttempt(task, current.elapsedInSeconds);
      const { code, message, retriable } = describe(err);
      if (!retriable || attempts >= maxAttempts) return { status: 'dead', attempts, error: { code, message } };
      hooks.onRetry(task, attempts, { code, message });
      const delay = backoffDelayInMs(attempts, { initialDelayInMs: policy.retryInitialDelayInMs, maxDelayInMs: policy.retryMaxDelayInMs });
      if (policy.retryMode === 'retry-topic') return { status: 'retry', attempts, error: { code, message }, retryAt: Date.now() + delay };
      await sleep(delay);
    }
    current = current.next();
    running = current.run(handler, task);
  }
}
