import { scrape, sumCounter } from '@taskstream/cli';
import { METRICS, metricsUrl, TASK_ROUTES } from './metrics';
import { histogramBuckets, histogramQuantile } from './stats';

/** One point of the chart: rates and latencies over the second before `t`. */
export interface Sample {
  /** Seconds since the bench started. */
  t: number;
  phase: string;
  acceptedPerSecond: number;
  finishedPerSecond: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  /** Server-side time of task requests, from ingest's histogram. */
  ingestP99Ms: number;
  /** Scrapes failed just before this sample (services restarting): the chart breaks its lines here. */
  breakBefore?: boolean;
}

export interface Phase {
  name: string;
  startT: number;
  endT: number;
}

interface Snapshot {
  /** When each answer arrived: a busy service answers late, and its counter is as of then. */
  ingestAt: number;
  consumerAt: number;
  accepted: number;
  finished: number;
  e2e: Map<number, number>;
  ingest: Map<number, number>;
}

/**
 * Scrapes ingest and consumer /metrics every second while the bench runs, so
 * the chart shows throughput and latency over time, not only a run's average.
 * A peer scenario (BullMQ) can lend its own finished counter for its phase.
 */
export class Sampler {
  readonly samples: Sample[] = [];
  readonly phases: Phase[] = [];
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private previous: Snapshot | undefined;
  private busy = false;
  private broken = false;
  private external: (() => number) | undefined;
  private externalPrevious = 0;
  private externalPreviousAt = 0;

  constructor(private readonly ingestUrl: string, private readonly consumerUrl: string, private readonly intervalInMs = 1000) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalInMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.closePhase();
  }

  /** Labels the samples from now on; `finished` replaces the consumer's counter (a peer's progress). */
  phase(name: string, finished?: () => number): void {
    this.closePhase();
    this.phases.push({ name, startT: this.now(), endT: NaN });
    this.external = finished;
    this.externalPrevious = finished ? finished() : 0;
    this.externalPreviousAt = this.now();
  }

  private closePhase(): void {
    const last = this.phases[this.phases.length - 1];
    if (last && Number.isNaN(last.endT)) last.endT = this.now();
    this.external = undefined;
  }

  private now(): number {
    return (performance.now() - this.started) / 1000;
  }

  private async timedScrape(url: string): Promise<{ text: string; at: number }> {
    const text = await scrape(metricsUrl(url));
    return { text, at: this.now() };
  }

  private async snapshot(): Promise<Snapshot> {
    const [{ text: ingest, at: ingestAt }, { text: consumer, at: consumerAt }] = await Promise.all([
      this.timedScrape(this.ingestUrl),
      this.timedScrape(this.consumerUrl),
    ]);
    return {
      ingestAt,
      consumerAt,
      accepted: sumCounter(ingest, METRICS.accepted),
      finished: sumCounter(consumer, METRICS.finished),
      e2e: histogramBuckets(consumer, METRICS.endToEnd),
      ingest: histogramBuckets(ingest, METRICS.httpDuration, TASK_ROUTES),
    };
  }

  private async tick(): Promise<void> {
    if (this.busy) return; // a slow scrape under load must not pile up more scrapes
    this.busy = true;
    try {
      const current = await this.snapshot();
      const previous = this.previous;
      this.previous = current;
      // A counter that went down means its service restarted in between: no rate for this second.
      const restarted = previous && (current.finished < previous.finished || current.accepted < previous.accepted);
      if (restarted) this.broken = true;
      else if (previous) {
        this.samples.push({ ...this.sampleOf(previous, current), ...(this.broken ? { breakBefore: true } : {}) });
        this.broken = false;
      }
    } catch {
      // Services restarting (kafka, tracing scenarios): leave a gap and start over.
      this.previous = undefined;
      this.broken = true;
    } finally {
      this.busy = false;
    }
  }

  private sampleOf(previous: Snapshot, current: Snapshot): Sample {
    const ingestSeconds = Math.max(0.001, current.ingestAt - previous.ingestAt);
    let consumerSeconds = Math.max(0.001, current.consumerAt - previous.consumerAt);
    let finished = current.finished - previous.finished;
    if (this.external) {
      const now = this.external();
      const at = this.now();
      finished = now - this.externalPrevious;
      consumerSeconds = Math.max(0.001, at - this.externalPreviousAt);
      this.externalPrevious = now;
      this.externalPreviousAt = at;
    }
    return {
      t: Math.max(current.ingestAt, current.consumerAt),
      phase: this.phases[this.phases.length - 1]?.name ?? '',
      acceptedPerSecond: (current.accepted - previous.accepted) / ingestSeconds,
      finishedPerSecond: finished / consumerSeconds,
      e2eP50Ms: histogramQuantile(current.e2e, previous.e2e, 0.5) * 1000,
      e2eP99Ms: histogramQuantile(current.e2e, previous.e2e, 0.99) * 1000,
      ingestP99Ms: histogramQuantile(current.ingest, previous.ingest, 0.99) * 1000,
    };
  }
}
