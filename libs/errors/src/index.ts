export { ErrorCodes, type ErrorCode } from './codes';
export { TaskstreamError, isTaskstreamError, messageOf, type TaskstreamErrorOptions } from './taskstream-error';
export { retry, backoffDelayInMs, type RetryOptions } from './retry';
