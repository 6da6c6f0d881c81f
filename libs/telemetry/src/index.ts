export { createLogger, PAYLOAD_CENSOR, type Logger, type LoggerOptions } from './logger';
export { startTelemetry, stopTelemetry, type TelemetryOptions } from './sdk';
export { injectTraceContext, extractTraceContext, isSampledTraceparent, withSpan } from './context';
export { rollTaskSample, decidedRoot, sampleRatioFromEnv, DecidedRootSampler } from './sampling';
export { SpanNames, Attr, messagingAttributes, taskAttributes } from './conventions';
export { createMetricsRegistry, LATENCY_BUCKETS, Counter, Gauge, Histogram, Registry } from './metrics';
export { startTestTracing, type TestTracing } from './testing';
export { FastHistogram, type FastHistogramOptions, type HistogramChild } from './fast-histogram';
export { isThenable } from './on-demand-context';
