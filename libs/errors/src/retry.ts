export interface RetryOptions {
  /** Attempts in total, including the first. Default: 5. */
  maxAttempts?: number;
  /** Delay before the second attempt. Default: 100 ms. */
  initialDelayInMs?: number;
  /** Upper bound of any one delay. Default: 5000 ms. */
  maxDelayInMs?: number;
  /** Growth of the delay per attempt. Default: 2. */
  factor?: number;
  /** Called before each wait, e.g. to log. */
  onRetry?: (err: unknown, attempt: number, delayInMs: number) => void;
}

/** Programmer errors never get better by trying again. */
function isProgrammerError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError;
}

/** Exponential backoff with full jitter: a random delay in [0, cap]. */
export function backoffDelayInMs(attempt: number, options: RetryOptions = {}): number {
  const initial = options.initialDelayInMs ?? 100;
  const max = options.maxDelayInMs ?? 5000;
  const factor = options.factor ?? 2;
  const cap = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return Math.round(Math.random() * cap);
}

class Bail {
  constructor(readonly err: unknown) {}
}

/**
 * Runs `fn` until it succeeds, backing off between attempts. `fn` may call
 * `bail(err)` to stop at once with that error (for errors known not to be transient).
 */
export async function retry<T>(
  fn: (bail: (err: unknown) => never, attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const bail = (err: unknown): never => {
    throw new Bail(err);
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(bail, attempt);
    } catch (err) {
      if (err instanceof Bail) throw err.err;
      if (isProgrammerError(err) || attempt >= maxAttempts) throw err;
      const delay = backoffDelayInMs(attempt, options);
      options.onRetry?.(err, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
