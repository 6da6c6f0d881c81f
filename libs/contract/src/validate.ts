import { ID_PATTERN, MAX_ATTEMPTS_LIMIT, TYPE_PATTERN } from './limits';
import type { Problem, TaskInput } from './types';

export type Validation = { ok: true; task: TaskInput } | { ok: false; problems: Problem[] };

/** The fields a client's task may have. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set(['type', 'payload', 'key', 'id', 'maxAttempts']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withProblem(problems: Problem[] | undefined, path: string, message: string): Problem[] {
  (problems ??= []).push({ path, message });
  return problems;
}

function checkOptionalString(obj: Record<string, unknown>, field: 'key' | 'id', at: string, problems: Problem[] | undefined): Problem[] | undefined {
  const value = obj[field];
  if (value === undefined || (typeof value === 'string' && ID_PATTERN.test(value))) return problems;
  return withProblem(problems, `${at}/${field}`, `${field} must be a string of 1-256 characters without control characters`);
}

/**
 * Every problem of an object as a task, each with its path under `at`, or
 * undefined when there is none (a valid task costs no array). `fields`: the
 * fields it may have.
 */
export function taskProblems(value: Record<string, unknown>, at: string, fields: ReadonlySet<string> = KNOWN_FIELDS): Problem[] | undefined {
  let problems: Problem[] | undefined;
  if (typeof value.type !== 'string' || !TYPE_PATTERN.test(value.type)) {
    problems = withProblem(problems, `${at}/type`, 'type must be 1-128 characters of [a-z0-9._-]');
  }
  if (!('payload' in value) || value.payload === undefined) {
    problems = withProblem(problems, `${at}/payload`, 'payload is required (any JSON value)');
  }
  problems = checkOptionalString(value, 'key', at, problems);
  problems = checkOptionalString(value, 'id', at, problems);
  const maxAttempts = value.maxAttempts;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1 || (maxAttempts as number) > MAX_ATTEMPTS_LIMIT)) {
    problems = withProblem(problems, `${at}/maxAttempts`, `maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  // for-in walks the object's own keys without copying them into an array (it has no inherited enumerable ones).
  for (const field in value) {
    if (!fields.has(field) && Object.hasOwn(value, field)) problems = withProblem(problems, `${at}/${field}`, `unknown field "${field}"`);
  }
  return problems;
}

/**
 * Checks one task against the contract and lists every problem, each with its
 * path under `at` (so a batch can name the bad index). Unknown fields are
 * rejected so that typos like `paylaod` do not silently lose data.
 */
export function validateTask(value: unknown, at = ''): Validation {
  if (!isPlainObject(value)) return { ok: false, problems: [{ path: at || '/', message: 'task must be a JSON object' }] };
  const problems = taskProblems(value, at);
  return problems ? { ok: false, problems } : { ok: true, task: value as unknown as TaskInput };
}
