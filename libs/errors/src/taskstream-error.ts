import type { ErrorCode } from './codes';

export interface TaskstreamErrorOptions {
  /** Whether trying the same operation again may succeed. Default: false. */
  retriable?: boolean;
  /** Structured facts for logs and API answers (never secrets or payloads). */
  details?: unknown;
  cause?: unknown;
}

/** The one error type of the project: a stable code, a retriable flag and context. */
export class TaskstreamError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: TaskstreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TaskstreamError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details;
  }
}

export function isTaskstreamError(err: unknown): err is TaskstreamError {
  return err instanceof TaskstreamError;
}

/** A readable message from anything thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
