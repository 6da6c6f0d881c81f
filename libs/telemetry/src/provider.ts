import { context, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, ParentBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OnDemandContextManager } from './on-demand-context';
import { DecidedRootSampler, setTaskSampleRatio } from './sampling';

export interface InstalledTracing {
  /** Flushes the processors, then removes every global this installed. */
  uninstall(): Promise<void>;
}

/**
 * Installs the globals tracing needs: a tracer provider with the task sampler
 * (parent-based, roots decided per task at `ratio`), the on-demand context
 * manager, and W3C trace context + baggage propagation.
 *
 * Why not the SDK's NodeSDK: it loads every exporter, detector and signal it
 * can configure, ~56 MiB of resident memory per process (measured: a bare
 * Node 95 MiB with it loaded, 55 MiB with only the trace SDK and the OTLP
 * HTTP exporter), and we use none of the rest: no auto-instrumentation, and
 * metrics go through prom-client.
 */
export function installTracing(ratio: number, spanProcessors: SpanProcessor[], resource?: Resource): InstalledTracing {
  const provider = new BasicTracerProvider({
    ...(resource ? { resource } : {}),
    sampler: new ParentBasedSampler({ root: new DecidedRootSampler(ratio) }),
    spanProcessors,
  });
  // Async hooks only while a sampled task's span is open: see OnDemandContextManager.
  context.setGlobalContextManager(new OnDemandContextManager());
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  setTaskSampleRatio(ratio);
  return {
    async uninstall() {
      setTaskSampleRatio(0);
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
