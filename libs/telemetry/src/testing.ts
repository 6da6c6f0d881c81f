import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { installTracing } from './provider';
import { setTaskSampleRatio } from './sampling';

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
  const tracing = installTracing(ratio, [new SimpleSpanProcessor(exporter)]);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    setTaskRatio: (r) => setTaskSampleRatio(r),
    stop: () => tracing.uninstall(),
  };
}
