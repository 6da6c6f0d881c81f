import type { TaskEnvelope } from '@taskstream/contract';
import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import { isThenable, type Logger } from '@taskstream/telemetry';
import type { HandlerContext, TaskHandler } from './handlers/types';

/**
 * Attempts started in this event-loop turn, not yet given a timer. Most
 * attempts settle in the turn they start in (no-op, CPU and cached handlers),
 * and a Node timer for each (an object, a clock read, a list insert and
 * removal) showed in the profile. So timers are armed when the turn ends
 * (`setImmediate`), only for the attempts still running, for the time each has
 * left: the deadline still counts from the attempt's start.
 */
let unarmed: Attempt[] = [];
/** The length at which settled attempts are swept out: a batch can start thousands in one turn. */
let sweepAt = 0;
const MIN_SWEEP = 256;

function track(attempt: Attempt): void {
  if (unarmed.push(attempt) === 1) {
    setImmediate(armStillRunning);
    sweepAt = MIN_SWEEP;
  } else if (unarmed.length >= sweepAt) {
    // Settled attempts would otherwise live (and be copied by the GC) until the turn ends.
    unarmed = unarmed.filter((a) => a.running);
    sweepAt = 2 * unarmed.length + MIN_SWEEP;
  }
}

function armStillRunning(): void {
  const attempts = unarmed;
  unarmed = [];
  const now = performance.now();
  for (const attempt of attempts) attempt.arm(now);
}

/**
 * One run of a handler, and the context the handler gets: the abort signal is
 * made only for handlers that read it (most never do); past the deadline the
 * attempt fails with a retriable HANDLER_TIMEOUT and the signal aborts. Its
 * state is in private fields, out of the handler's sight.
 */
export class Attempt implements HandlerContext {
  /** `performance.now()` when the attempt started: its deadline and its duration count from here. */
  readonly startedAt = performance.now();
  readonly #type: string;
  readonly #timeoutInMs: number;
  #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  #settled = false;
  #reject: ((err: unknown) => void) | undefined;

  constructor(
    readonly attempt: number,
    readonly logger: Logger,
    type: string,
    timeoutInMs: number,
  ) {
    this.#type = type;
    this.#timeoutInMs = timeoutInMs;
  }

  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  get running(): boolean {
    return !this.#settled;
  }

  /** Seconds since the attempt started: its duration, read once it has settled. */
  get elapsedInSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** The attempt after this one: the same task type, logger and time limit. */
  next(): Attempt {
    return new Attempt(this.attempt + 1, this.logger, this.#type, this.#timeoutInMs);
  }

  /** What the handler returned, when `run()` returned undefined (a plain value, not a promise). */
  result: unknown;

  /**
   * Calls the handler. A plain value ends the attempt at once: `run()` returns
   * undefined and the value is in `result`, with no promise made and no timer
   * to arm (the built-in handlers without I/O answer so). Otherwise a promise of the
   * handler's result, or its error, or HANDLER_TIMEOUT: whichever comes first.
   */
  run(handler: TaskHandler, task: TaskEnvelope): Promise<unknown> | undefined {
    let returned: unknown;
    try {
      returned = handler({ ...task, attempt: this.attempt }, this);
    } catch (err) {
      this.#settle();
      return Promise.reject(err);
    }
    if (!isThenable(returned)) {
      this.#settle();
      this.result = returned;
      return undefined;
    }
    return new Promise((resolve, reject) => {
      this.#reject = reject;
      track(this);
      returned.then(
        (result) => {
          this.#settle();
          resolve(result);
        },
        (err: unknown) => {
          this.#settle();
          reject(err);
        },
      );
    });
  }

  /** At the end of the turn it started in: a timer for what is left of its time, or the timeout now. */
  arm(now: number): void {
    if (this.#settled) return;
    const left = this.startedAt + this.#timeoutInMs - now;
    // Whole milliseconds: Node keeps a timer list per distinct duration.
    if (left > 0) this.#timer = setTimeout(() => this.#expire(), Math.ceil(left));
    else this.#expire();
  }

  #settle(): void {
    this.#settled = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #expire(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#controller?.abort();
    this.#reject?.(new TaskstreamError(ErrorCodes.HANDLER_TIMEOUT, `handler ${this.#type} took longer than ${this.#timeoutInMs} ms`, { retriable: true }));
  }
}
