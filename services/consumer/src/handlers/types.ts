import type { TaskEnvelope } from '@taskstream/contract';
import type { Logger } from '@taskstream/telemetry';

export interface HandlerContext {
  /** 1 for the first run of this task. */
  attempt: number;
  /** Aborted when the attempt times out or the consumer must stop. */
  signal: AbortSignal;
  logger: Logger;
}

/** A task handler: its resolved value becomes the task's result. Throw to fail the attempt. */
export type TaskHandler = (task: TaskEnvelope, ctx: HandlerContext) => Promise<unknown>;

export type HandlerMap = Record<string, TaskHandler>;
