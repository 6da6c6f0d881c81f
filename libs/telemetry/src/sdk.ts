import { diag, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { hostname } from 'node:os';
import { OnDemandContextManager } from './on-demand-context';
import { DecidedRootSampler, sampleRatioFromEnv, setTaskSampleRatio } from './sampling';

export interface TelemetryOptions {
  /** `service.name`, e.g. `taskstream-ingest`. `OTEL_SERVICE_NAME` wins when set. */
  serviceName: string;
  serviceVersion: string;
}

let sdk: NodeSDK | undefined;

/** A positive integer from the environment, else the default. */
function envInt(name: string, defaultValue: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : defaultValue;
}

/**
 * Starts the OpenTelemetry SDK: OTLP over HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`,
 * default http://localhost:4318), the batch span processor, parent-based ratio
 * sampling (`OTEL_TRACES_SAMPLER_ARG`, default 0.01). `OTEL_SDK_DISABLED=true`
 * turns it off. Must run before kafkajs and ioredis are loaded.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (sdk || process.env.OTEL_SDK_DISABLED === 'true') return;
  // Warnings too: "Dropped N spans because maxQueueSize reached" must be seen, not guessed.
  diag.setLogger({ error: console.error, warn: console.error, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  const ratio = sampleRatioFromEnv();
  setTaskSampleRatio(ratio);
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME ?? options.serviceName,
      'service.version': options.serviceVersion,
      'service.instance.id': `${hostname()}-${process.pid}`,
    }),
    // Never the simple processor: it exports on the hot path, span by span. The queue holds
    // OTEL_BSP_MAX_QUEUE_SIZE spans (default 8192, ~a few MiB); a burst beyond it is dropped, not buffered.
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter(), {
        maxQueueSize: envInt('OTEL_BSP_MAX_QUEUE_SIZE', 8192),
        maxExportBatchSize: envInt('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1024),
      }),
    ],
    sampler: new ParentBasedSampler({ root: new DecidedRootSampler(ratio) }),
    // Async hooks only while a sampled task's span is open: see OnDemandContextManager.
    contextManager: new OnDemandContextManager(),
    instrumentations: [],
  });
  sdk.start();
}

/** Flushes and stops the SDK; safe to call when it never started. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  setTaskSampleRatio(0);
  await running?.shutdown();
}
