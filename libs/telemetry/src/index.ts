export { createLogger, type Logger } from './logger';
export { startTelemetry, stopTelemetry, type TelemetryOptions } from './sdk';
export { injectTraceContext, extractTraceContext, isSampledTraceparent, withSpan } from './context';
export { createMetricsRegistry, LATENCY_BUCKETS, Counter, Gauge, Histogram, Registry } from './metrics';
