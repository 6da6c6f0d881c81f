import { bucketsOf, parsePrometheus } from '@taskstream/cli';

/** Percentile of raw samples (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // The epsilon keeps 99.9% of 1000 at rank 999: in floating point it is 999.0000000000001.
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * Cumulative histogram buckets of one Prometheus histogram family, summed over
 * label sets (only those whose route starts with `routePrefix` when given).
 * The parsing and the quantile are the CLI's (`taskstream stats` reads the same metrics).
 */
export function histogramBuckets(metricsText: string, name: string, routePrefix = ''): Map<number, number> {
  return bucketsOf(parsePrometheus(metricsText), name, (labels) => !routePrefix || (labels.route ?? '').startsWith(routePrefix));
}

export { quantileBetween as histogramQuantile } from '@taskstream/cli';

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Summary of raw latency samples (sorts them in place). */
export function summarize(samples: number[] | Float64Array): Percentiles {
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}
