import { diag, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { hostname } from 'node:os';
import { installTracing, type InstalledTracing } from './provider';
import { sampleRatioFromEnv } from './sampling';

export interface TelemetryOptions {
  /** `service.name`, e.g. `taskstream-ingest`. `OTEL_SERVICE_NAME` wins when set. */
  serviceName: string;
  serviceVersion: string;
}

let installed: InstalledTracing | undefined;

/** A positive integer from the environment, else the default. */
function envInt(name: string, defaultValue: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : defaultValue;
}

/**
 * Starts tracing: OTLP over HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`, default
 * http://localhost:4318), the batch span processor, parent-based ratio
 * sampling (`OTEL_TRACES_SAMPLER_ARG`, default 0.01), the resource from the
 * options and `OTEL_RESOURCE_ATTRIBUTES`. `OTEL_SDK_DISABLED=true` turns it off.
 * Spans are made by our code only (no auto-instrumentation), so load order does not matter.
 */
export function startTelemetry(options: TelemetryOptions): void {
  if (installed || process.env.OTEL_SDK_DISABLED === 'true') return;
  // Warnings too: "Dropped N spans because maxQueueSize reached" must be seen, not guessed.
  diag.setLogger({ error: console.error, warn: console.error, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  // OTEL_RESOURCE_ATTRIBUTES still adds to (and OTEL_SERVICE_NAME still names) the resource.
  const resource = defaultResource()
    .merge(resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': options.serviceVersion,
      'service.instance.id': `${hostname()}-${process.pid}`,
    }))
    .merge(detectResources({ detectors: [envDetector] }));
  // Never the simple processor: it exports on the hot path, span by span. The queue holds
  // OTEL_BSP_MAX_QUEUE_SIZE spans (default 8192, ~a few MiB); a burst beyond it is dropped, not buffered.
  const processor = new BatchSpanProcessor(new OTLPTraceExporter(), {
    maxQueueSize: envInt('OTEL_BSP_MAX_QUEUE_SIZE', 8192),
    maxExportBatchSize: envInt('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1024),
    // The SDK's processor no longer reads these two standard variables itself.
    scheduledDelayMillis: envInt('OTEL_BSP_SCHEDULE_DELAY', 5000),
    exportTimeoutMillis: envInt('OTEL_BSP_EXPORT_TIMEOUT', 30000),
  });
  installed = installTracing(sampleRatioFromEnv(), [processor], resource);
}

/** Flushes and stops tracing; safe to call when it never started. */
export async function stopTelemetry(): Promise<void> {
  const running = installed;
  installed = undefined;
  await running?.uninstall();
}
