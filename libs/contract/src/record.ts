import { ErrorCodes, type ErrorCode } from '@taskstream/errors';
import { validateTask } from './validate';
import type { TaskEnvelope } from './types';

export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export type RecordParse =
  | { ok: true; envelope: TaskEnvelope }
  | { ok: false; code: ErrorCode; message: string };

/** A stable id for a third-party record that has none: its place in the log. */
export function derivedTaskId(origin: RecordOrigin): string {
  return `${origin.topic}-${origin.partition}-${origin.offset}`;
}

/**
 * Turns a Kafka record value into a task envelope, accepting both our own
 * envelopes and third-party records (`type` and `payload` at least). Anything
 * else is described precisely so it can be dead-lettered with a reason.
 */
export function parseTaskRecord(value: Buffer | null, origin: RecordOrigin, maxBytes: number, recordKey?: string): RecordParse {
  if (value === null || value.length === 0) return { ok: false, code: ErrorCodes.RECORD_INVALID, message: 'record has no value' };
  if (value.length > maxBytes) {
    return { ok: false, code: ErrorCodes.RECORD_TOO_LARGE, message: `record is ${value.length} bytes, limit ${maxBytes}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    // V8 quotes the input in its message ("…", "<bytes>" is not valid JSON): keep record bytes out of logs.
    const reason = (err as Error).message.replace(/, ".*" is not valid JSON$/s, '');
    return { ok: false, code: ErrorCodes.RECORD_INVALID, message: `value is not JSON: ${reason}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, code: ErrorCodes.RECORD_INVALID, message: 'value must be a JSON object' };
  }
  const { createdAt, attempt, ...input } = parsed as Record<string, unknown>;
  const validation = validateTask(input);
  if (!validation.ok) {
    const message = validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    return { ok: false, code: ErrorCodes.RECORD_INVALID, message };
  }
  const task = validation.task;
  const id = task.id ?? derivedTaskId(origin);
  return {
    ok: true,
    envelope: {
      id,
      type: task.type,
      key: task.key ?? recordKey ?? id,
      payload: task.payload,
      createdAt: typeof createdAt === 'number' ? createdAt : Date.now(),
      attempt: typeof attempt === 'number' && Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
      ...(task.maxAttempts === undefined ? {} : { maxAttempts: task.maxAttempts }),
    },
  };
}
