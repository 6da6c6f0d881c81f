import { diag, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { hostname } from 'node:os';

export interface TelemetryOptions {
  /** `service.name`, e.g. `taskstream-ingest`. `OTEL_SERVICE_NAME` wins when set. */
  serviceName: string;
  serviceVersion: string;
}

let sdk: NodeSDK | undefined;

/** Default 1%: a span per task is affordable for a sample, not for 100k tasks/s. */
const DEFAULT_SAMPLE_RATIO = 0.01;

function sampleRatio(): number {
  const raw = process.env.OTEL_TRACES_SAMPLER_ARG;
  const ratio = raw === undefined || raw === '' ? DEFAULT_SAMPLE_RATIO : Number(raw);
  return Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : DEFAULT_SAMPLE_RATIO;
}

/**
 * Starts the OpenTelemetry SDK: OTLP over HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`,
 * default http://localhost:4318), the batch span processor, parent-based ratio
 * sampling (`OTEL_TRACES_SAMPLER_ARG`, default 0.01). `OTEL_SDK_DISABLED=true`
 * turns it off. Must run before kafkajs and ioredis are loaded.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  diag.setLogger({ error: console.error, warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.ERROR);
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME ?? options.serviceName,
      'service.version': options.serviceVersion,
      'service.instance.id': `${hostname()}-${process.pid}`,
    }),
    // Never the simple processor: it exports on the hot path, span by span.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { maxQueueSize: 8192, maxExportBatchSize: 1024 })],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio()) }),
    instrumentations: [],
  });
  sdk.start();
}

/** Flushes and stops the SDK; safe to call when it never started. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
