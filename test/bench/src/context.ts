import type { BenchConfig } from './config';
import type { Progress } from './progress';
import type { Sampler } from './sampler';

/** What every scenario gets: settings, the per-second sampler and the progress line. */
export interface BenchContext {
  config: Readonly<BenchConfig>;
  sampler: Sampler;
  progress: Progress;
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
