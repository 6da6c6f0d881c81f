import { createContextKey, ROOT_CONTEXT, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';

/** Default 1%: a span per task is affordable for a sample, not for 100k tasks/s. */
const DEFAULT_SAMPLE_RATIO = 0.01;

/** `OTEL_TRACES_SAMPLER_ARG` clamped to [0, 1]; 0.01 when unset or not a number. */
export function sampleRatioFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  const ratio = raw === undefined || raw === '' ? DEFAULT_SAMPLE_RATIO : Number(raw);
  return Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : DEFAULT_SAMPLE_RATIO;
}

const DECISION = createContextKey('taskstream.root-sampling-decision');

/**
 * A root sampler that honours a decision already taken by `rollTaskSample()`
 * (carried in the context), and otherwise samples by trace-id ratio. Deciding
 * before a span exists is what lets an unsampled task skip span work entirely:
 * no ids generated, no span object, no context, no header.
 */
export class DecidedRootSampler implements Sampler {
  private readonly ratio: TraceIdRatioBasedSampler;

  constructor(ratio: number) {
    this.ratio = new TraceIdRatioBasedSampler(ratio);
  }

  shouldSample(context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const decided = context.getValue(DECISION);
    if (decided === true) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    if (decided === false) return { decision: SamplingDecision.NOT_RECORD };
    return this.ratio.shouldSample(context, traceId);
  }

  toString(): string {
    return `DecidedRootSampler{${this.ratio.toString()}}`;
  }
}

let activeRatio = 0;

/** Called by startTelemetry: before it (or with the SDK disabled) nothing is ever sampled. */
export function setTaskSampleRatio(ratio: number): void {
  activeRatio = ratio;
}

/** One sampling decision for a new task trace: the ratio, or never while tracing is off. */
export function rollTaskSample(): boolean {
  return activeRatio > 0 && (activeRatio >= 1 || Math.random() < activeRatio);
}

/** A root context (no parent span) whose first span follows `sampled` instead of the ratio. */
export function decidedRoot(sampled: boolean): Context {
  return ROOT_CONTEXT.setValue(DECISION, sampled);
}
