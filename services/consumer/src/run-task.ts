import type { TaskEnvelope } from '@taskstream/contract';
import { backoffDelayInMs, ErrorCodes, isTaskstreamError, messageOf, TaskstreamError } from '@taskstream/errors';
import type { Logger } from '@taskstream/telemetry';
import { setTimeout as sleep } from 'node:timers/promises';
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

export interface RunHooks {
  /** Before the backoff that precedes attempt `attempt + 1`. */
  onRetry(attempt: number, error: TaskError): void;
  onAttempt(durationInSeconds: number): void;
}

function describe(err: unknown): { code: string; message: string; retriable: boolean } {
  if (isTaskstreamError(err)) return { code: err.code, message: err.message, retriable: err.retriable };
  // A plain Error from a custom handler is assumed transient; programmer errors are not.
  const programmer = err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError;
  return { code: ErrorCodes.HANDLER_FAILED, message: messageOf(err), retriable: !programmer };
}

async function attemptOnce(handler: TaskHandler, task: TaskEnvelope, attempt: number, timeoutInMs: number, logger: Logger): Promise<unknown> {
  // The abort signal is made only for handlers that ask for it: most never do, and it showed in the profile.
  let controller: AbortController | undefined;
  const ctx = { attempt, logger, get signal() { return (controller ??= new AbortController()).signal; } };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new TaskstreamError(ErrorCodes.HANDLER_TIMEOUT, `handler ${task.type} took longer than ${timeoutInMs} ms`, { retriable: true }));
    }, timeoutInMs);
  });
  try {
    return await Promise.race([handler({ ...task, attempt }, ctx), timeout]);
  } finally {
    clearTimeout(timer);
  }
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
    const started = performance.now();
    try {
      const result = await attemptOnce(handler, task, attempt, timeoutInMs, logger);
      hooks.onAttempt((performance.now() - started) / 1000);
      return { status: 'succeeded', attempts: attempt, result };
    } catch (err) {
      hooks.onAttempt((performance.now() - started) / 1000);
      const { code, message, retriable } = describe(err);
      if (!retriable || attempt >= maxAttempts) return { status: 'dead', attempts: attempt, error: { code, message } };
      hooks.onRetry(attempt, { code, message });
      const delay = backoffDelayInMs(attempt, { initialDelayInMs: policy.retryInitialDelayInMs, maxDelayInMs: policy.retryMaxDelayInMs });
      if (policy.retryMode === 'retry-topic') return { status: 'retry', attempts: attempt, error: { code, message }, retryAt: Date.now() + delay };
      await sleep(delay);
    }
  }
}
