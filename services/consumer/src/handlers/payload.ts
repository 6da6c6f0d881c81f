import { ErrorCodes, TaskstreamError } from '@taskstream/errors';

/** A payload that does not fit its handler is not retriable: the same payload fails again. */
export function badPayload(type: string, message: string): TaskstreamError {
  return new TaskstreamError(ErrorCodes.HANDLER_FAILED, `${type}: ${message}`, { retriable: false });
}

export function payloadObject(type: string, payload: unknown): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw badPayload(type, 'payload must be an object');
  return payload as Record<string, unknown>;
}

export function optionalNumber(type: string, obj: Record<string, unknown>, field: string, max: number): number | undefined {
  const value = obj[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw badPayload(type, `${field} must be a number from 0 to ${max}`);
  }
  return value;
}
