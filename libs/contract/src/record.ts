import { ErrorCodes, type ErrorCode } from '@taskstream/errors';
import { KNOWN_FIELDS, taskProblems } from './validate';
import type { TaskEnvelope, TaskInput } from './types';

export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
  /** The Kafka key: orders a task that names no key of its own (read only then). */
  readonly key?: string | undefined;
}

/** A record may also carry what our own envelope adds: a client's task may not. */
const RECORD_FIELDS: ReadonlySet<string> = new Set([...KNOWN_FIELDS, 'createdAt', 'attempt']);

type RecordFields = TaskInput & { createdAt?: unknown; attempt?: unknown };

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
export function parseTaskRecord(value: Buffer | null, origin: RecordOrigin, maxBytes: number): RecordParse {
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
  // Checked and read in place: no copy of the parsed object.
  const problems = taskProblems(parsed as Record<string, unknown>, '', RECORD_FIELDS);
  if (problems) return { ok: false, code: ErrorCodes.RECORD_INVALID, message: problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
  const task = parsed as RecordFields;
  const id = task.id ?? derivedTaskId(origin);
  const { createdAt, attempt } = task;
  const envelope: TaskEnvelope = {
    id,
    type: task.type,
    key: task.key ?? origin.key ?? id,
    payload: task.payload,
    createdAt: typeof createdAt === 'number' ? createdAt : Date.now(),
    attempt: typeof attempt === 'number' && Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
  };
  if (task.maxAttempts !== undefined) envelope.maxAttempts = task.maxAttempts;
  return { ok: true, envelope };
}
