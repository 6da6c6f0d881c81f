import { ErrorCodes, isTaskstreamError, type ErrorCode } from '@taskstream/errors';
import type { FastifyError, FastifyReply } from 'fastify';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.VALIDATION_FAILED]: 400,
  [ErrorCodes.INVALID_JSON]: 400,
  [ErrorCodes.UNAUTHORIZED]: 401,
  [ErrorCodes.NOT_FOUND]: 404,
  [ErrorCodes.BODY_TOO_LARGE]: 413,
  [ErrorCodes.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCodes.BUFFER_FULL]: 429,
  [ErrorCodes.REDIS_UNAVAILABLE]: 503,
  [ErrorCodes.SHUTTING_DOWN]: 503,
};

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown): FastifyReply {
  const body = { error: details === undefined ? { code, message } : { code, message, details } };
  return reply.code(STATUS_OF[code] ?? 500).send(body);
}

/** Fastify's own errors (body limit, content type, bad JSON) in the contract's shape. */
function codeOfFastifyError(err: FastifyError): ErrorCode {
  if (err.statusCode === 413) return ErrorCodes.BODY_TOO_LARGE;
  if (err.statusCode === 415) return ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
  if (err.statusCode === 400) return ErrorCodes.INVALID_JSON;
  return ErrorCodes.INTERNAL;
}

export function replyForError(reply: FastifyReply, err: unknown, retryAfterSeconds: number): FastifyReply {
  if (isTaskstreamError(err)) {
    if (err.code === ErrorCodes.REDIS_UNAVAILABLE || err.code === ErrorCodes.BUFFER_FULL) reply.header('retry-after', String(retryAfterSeconds));
    // The client sees the code; the operator needs the cause (timeout, refused, …).
    if (err.code === ErrorCodes.REDIS_UNAVAILABLE) reply.log.warn({ err: err.cause }, err.message);
    return sendError(reply, err.code, err.message, err.details);
  }
  const fastifyError = err as FastifyError;
  const code = codeOfFastifyError(fastifyError);
  if (code === ErrorCodes.INTERNAL) {
    reply.log.error({ err }, 'unexpected error');
    return sendError(reply, code, 'internal error');
  }
  return sendError(reply, code, fastifyError.message);
}
