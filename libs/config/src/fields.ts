/**
 * Declarative environment fields. A service lists its settings once as a schema
 * of these; the same schema parses `process.env`, prints the documentation and
 * lets tests check that deployment files only set variables a service knows.
 */
export interface Field<T> {
  readonly env: string;
  readonly defaultValue: T;
  readonly description: string;
  /** Returns the parsed value, or a string saying what is wrong. */
  readonly parse: (raw: string) => T | { invalid: string };
}

interface NumberBounds {
  min?: number;
  max?: number;
}

function inBounds(n: number, bounds: NumberBounds): string | undefined {
  if (bounds.min !== undefined && n < bounds.min) return `must be >= ${bounds.min}`;
  if (bounds.max !== undefined && n > bounds.max) return `must be <= ${bounds.max}`;
  return undefined;
}

export function int(env: string, defaultValue: number, description: string, bounds: NumberBounds = {}): Field<number> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      if (!/^-?\d+$/.test(raw.trim())) return { invalid: `"${raw}" is not an integer` };
      const n = Number(raw);
      const problem = inBounds(n, bounds);
      return problem ? { invalid: problem } : n;
    },
  };
}

export function num(env: string, defaultValue: number, description: string, bounds: NumberBounds = {}): Field<number> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) return { invalid: `"${raw}" is not a number` };
      const problem = inBounds(n, bounds);
      return problem ? { invalid: problem } : n;
    },
  };
}

export function str(env: string, defaultValue: string, description: string, pattern?: RegExp): Field<string> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      if (pattern && !pattern.test(raw)) return { invalid: `"${raw}" does not match ${pattern}` };
      return raw;
    },
  };
}

export function bool(env: string, defaultValue: boolean, description: string): Field<boolean> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      return { invalid: `"${raw}" is not a boolean (true/false)` };
    },
  };
}

export function oneOf<const T extends string>(
  env: string,
  defaultValue: T,
  description: string,
  values: readonly T[],
): Field<T> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      return (values as readonly string[]).includes(raw) ? (raw as T) : { invalid: `"${raw}" is not one of ${values.join(', ')}` };
    },
  };
}

/** A comma-separated list, e.g. Kafka brokers. */
export function list(env: string, defaultValue: string[], description: string): Field<string[]> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      return items.length ? items : { invalid: 'must name at least one item' };
    },
  };
}

/** `name=number` pairs, comma-separated, e.g. per-type limits `webhook=50,cpu=2`. */
export function numberMap(env: string, defaultValue: Record<string, number>, description: string, bounds: NumberBounds = {}): Field<Record<string, number>> {
  return {
    env,
    defaultValue,
    description,
    parse(raw) {
      const result: Record<string, number> = {};
      for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
        const match = /^([^=\s]+)\s*=\s*(\d+)$/.exec(pair);
        if (!match) return { invalid: `"${pair}" is not name=integer` };
        const n = Number(match[2]);
        const problem = inBounds(n, bounds);
        if (problem) return { invalid: `${match[1]}: ${problem}` };
        result[match[1]!] = n;
      }
      return result;
    },
  };
}
