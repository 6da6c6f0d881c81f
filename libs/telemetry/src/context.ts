import { context, propagation, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api';

/** Trace headers of a context, for a Redis envelope or Kafka headers. */
export function injectTraceContext(ctx: Context = context.active()): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return { traceparent: carrier.traceparent, tracestate: carrier.tracestate };
}

/** The context named by trace headers; the root context when there are none. */
export function extractTraceContext(carrier: { traceparent?: string; tracestate?: string }): Context {
  if (!carrier.traceparent) return context.active();
  return propagation.extract(context.active(), carrier);
}

/**
 * A `traceparent` whose sampled flag is set: only those get spans downstream.
 * A string test, so an unsampled task costs no context extraction at all.
 */
export function isSampledTraceparent(traceparent: string | undefined): boolean {
  if (traceparent === undefined || traceparent.length !== 55 || traceparent[52] !== '-') return false;
  return (parseInt(traceparent.slice(53), 16) & 1) === 1;
}

/**
 * Runs `fn` inside a new span that ends with it, recording a thrown error. With
 * `enterContext` false the span is not made the active context around `fn`:
 * for callers that pass it on explicitly. Entering a context switches Node's
 * async hooks on (see on-demand-context.ts), which every promise then pays for.
 */
export async function withSpan<T>(
  tracerName: string,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
  enterContext = true,
): Promise<T> {
  const span = trace.getTracer(tracerName).startSpan(name, options, parent);
  try {
    return await (enterContext ? context.with(trace.setSpan(parent, span), () => fn(span)) : fn(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: 2, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
