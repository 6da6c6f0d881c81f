import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OnDemandContextManager } from './on-demand-context';
import { DecidedRootSampler, setTaskSampleRatio } from './sampling';

export interface TestTracing {
  /** Spans ended so far. */
  spans(): ReadableSpan[];
  reset(): void;
  /** Changes the ratio new task traces are sampled with (rollTaskSample). */
  setTaskRatio(ratio: number): void;
  stop(): Promise<void>;
}

/**
 * For unit tests only: the real sampler with an in-memory exporter and the
 * simple processor (export at span end, so assertions see spans at once).
 */
export function startTestTracing(ratio = 1): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new DecidedRootSampler(ratio) }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new OnDemandContextManager());
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  setTaskSampleRatio(ratio);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    setTaskRatio: (r) => setTaskSampleRatio(r),
    async stop() {
      setTaskSampleRatio(0);
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
