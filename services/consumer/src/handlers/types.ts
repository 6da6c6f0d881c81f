import type { TaskEnvelope } from '@taskstream/contract';
import type { Logger } from '@taskstream/telemetry';

export interface HandlerContext {
  /** 1 for the first run of this task. */
  attempt: number;
  /** Aborted when the attempt times out or the consumer must stop. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A task handler: what it returns (or the promise's value) becomes the task's
 * result. Throw (or reject) to fail the attempt. A handler with nothing to
 * await may return its value directly: the task then finishes without a
 * promise or a timer.
 */
export type TaskHandler = (task: TaskEnvelope, ctx: HandlerContext) => unknown;

export type HandlerMap = Record<string, TaskHandler>;
