import { context, propagation, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DecidedRootSampler, setTaskSampleRatio } from './sampling';

/** The smallest context manager over AsyncLocalStorage, so unit tests need no extra package. */
class LocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, () => fn(...args))) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

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
  context.setGlobalContextManager(new LocalContextManager());
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
