import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { Field } from './fields';

export type Schema = Record<string, Field<unknown>>;
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/**
 * Reads every field of `schema` from `env`, reports every bad variable at once
 * and returns a frozen, typed object. Never exits the process: callers decide.
 */
export function loadConfig<S extends Schema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, field] of Object.entries(schema)) {
    const raw = env[field.env];
    if (raw === undefined || raw === '') {
      result[name] = field.defaultValue;
      continue;
    }
    const parsed = field.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && 'invalid' in (parsed as object)) {
      problems.push(`${field.env}: ${(parsed as { invalid: string }).invalid}`);
    } else {
      result[name] = parsed;
    }
  }
  if (problems.length) {
    throw new TaskstreamError(ErrorCodes.CONFIG_INVALID, `invalid configuration: ${problems.join('; ')}`, {
      details: problems,
    });
  }
  return Object.freeze(result) as ConfigOf<S>;
}

/** The environment variable names a schema reads. */
export function envNames(schema: Schema): string[] {
  return Object.values(schema).map((f) => f.env);
}

/** A Markdown table of a schema's variables, defaults and meaning (for the README). */
export function describeSchema(schema: Schema): string {
  const rows = Object.values(schema).map((f) => {
    const value = f.defaultValue;
    const def = Array.isArray(value)
      ? value.join(',')
      : typeof value === 'object' && value !== null
        ? Object.entries(value).map(([k, v]) => `${k}=${v}`).join(',')
        : String(value);
    return `| \`${f.env}\` | \`${def === '' ? '(empty)' : def}\` | ${f.description} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
