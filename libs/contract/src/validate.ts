import { ID_PATTERN, MAX_ATTEMPTS_LIMIT, TYPE_PATTERN } from './limits';
import type { Problem, TaskInput } from './types';

export type Validation = { ok: true; task: TaskInput } | { ok: false; problems: Problem[] };

const KNOWN_FIELDS = new Set(['type', 'payload', 'key', 'id', 'maxAttempts']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkOptionalString(obj: Record<string, unknown>, field: 'key' | 'id', at: string, problems: Problem[]): void {
  const value = obj[field];
  if (value === undefined) return;
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    problems.push({ path: `${at}/${field}`, message: `${field} must be a string of 1-256 characters without control characters` });
  }
}

/**
 * Checks one task against the contract and lists every problem, each with its
 * path under `at` (so a batch can name the bad index). Unknown fields are
 * rejected so that typos like `paylaod` do not silently lose data.
 */
export function validateTask(value: unknown, at = ''): Validation {
  if (!isPlainObject(value)) return { ok: false, problems: [{ path: at || '/', message: 'task must be a JSON object' }] };
  const problems: Problem[] = [];
  if (typeof value.type !== 'string' || !TYPE_PATTERN.test(value.type)) {
    problems.push({ path: `${at}/type`, message: 'type must be 1-128 characters of [a-z0-9._-]' });
  }
  if (!('payload' in value) || value.payload === undefined) {
    problems.push({ path: `${at}/payload`, message: 'payload is required (any JSON value)' });
  }
  checkOptionalString(value, 'key', at, problems);
  checkOptionalString(value, 'id', at, problems);
  const maxAttempts = value.maxAttempts;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1 || (maxAttempts as number) > MAX_ATTEMPTS_LIMIT)) {
    problems.push({ path: `${at}/maxAttempts`, message: `maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}` });
  }
  for (const field of Object.keys(value)) {
    if (!KNOWN_FIELDS.has(field)) problems.push({ path: `${at}/${field}`, message: `unknown field "${field}"` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, task: value as unknown as TaskInput };
}
