/** Just enough of the Prometheus text format for `taskstream stats`: samples, sums, histogram quantiles. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of every series of `name` (all label sets), or of those `filter` accepts. */
export function sumOf(samples: Sample[], name: string, filter: (labels: Record<string, string>) => boolean = () => true): number {
  let sum = 0;
  for (const s of samples) if (s.name === name && filter(s.labels)) sum += s.value;
  return sum;
}

/** Sum of every series of one metric family straight from /metrics text. */
export function sumCounter(metricsText: string, name: string): number {
  return sumOf(parsePrometheus(metricsText), name);
}

export function maxOf(samples: Sample[], name: string): number {
  let max = 0;
  for (const s of samples) if (s.name === name && s.value > max) max = s.value;
  return max;
}

/** Cumulative buckets (upper bound in seconds → count) of a histogram, summed over the label sets `filter` accepts. */
export function bucketsOf(samples: Sample[], histogram: string, filter: (labels: Record<string, string>) => boolean = () => true): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${histogram}_bucket` || s.labels.le === undefined || !filter(s.labels)) continue;
    const bound = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + s.value);
  }
  return buckets;
}

/**
 * The q-quantile of what was observed between two bucket snapshots, interpolated
 * linearly within its bucket (as PromQL's histogram_quantile). NaN when nothing was.
 */
export function quantileBetween(after: Map<number, number>, before: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i]!;
    const count = counts[i]!;
    if (count >= rank) {
      if (bound === Infinity) return lower;
      const inBucket = count - below;
      return lower + (bound - lower) * (inBucket === 0 ? 0 : (rank - below) / inBucket);
    }
    lower = bound;
    below = count;
  }
  return lower;
}
