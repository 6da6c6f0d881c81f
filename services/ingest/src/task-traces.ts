import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import type { TaskEnvelope, TraceCarrier } from '@taskstream/contract';
import { Attr, decidedRoot, injectTraceContext, isSampledTraceparent, messagingAttributes, rollTaskSample, SpanNames, taskAttributes } from '@taskstream/telemetry';

const tracer = trace.getTracer('taskstream-ingest');
const NO_TRACE: TraceCarrier = Object.freeze({});

export interface RequestTraces {
  /** Per task (same order as the envelopes): the trace context to store with it; empty when unsampled. */
  carriers: TraceCarrier[];
  /** Ends every span; `fresh[i] === false` marks a task whose client id was already known. */
  accepted(fresh: boolean[]): void;
  failed(err: unknown): void;
}

const UNTRACED = (count: number): RequestTraces => ({ carriers: new Array<TraceCarrier>(count).fill(NO_TRACE), accepted() {}, failed() {} });

/** The caller's trace, when the HTTP request carried a `traceparent`. */
function incomingContext(headers: Record<string, string | string[] | undefined>): Context | undefined {
  const traceparent = headers.traceparent;
  return typeof traceparent === 'string' ? propagation.extract(ROOT_CONTEXT, headers) : undefined;
}

function createSpan(envelope: TaskEnvelope, topic: string, request: Link): Span {
  return tracer.startSpan(
    SpanNames.create(topic),
    {
      kind: SpanKind.PRODUCER,
      links: [request],
      attributes: { ...messagingAttributes('create', topic), ...taskAttributes(envelope) },
    },
    // Its own trace: one task, one trace, whatever batch it arrived in.
    decidedRoot(true),
  );
}

function endAll(spans: (Span | undefined)[], request: Span, err?: unknown): void {
  for (const span of spans) {
    if (!span) continue;
    if (err) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    span.end();
  }
  if (err) {
    request.recordException(err as Error);
    request.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
  }
  request.end();
}

/**
 * One HTTP request, many task traces. Each task is sampled on its own (the ratio,
 * or always when the caller's trace is sampled); a sampled task gets a `create`
 * span that roots its trace, linked to the request span, and the request span
 * links back to every one of them (the messaging conventions' batch publishing
 * shape). An unsampled task costs one Math.random() and nothing else; a request
 * with no sampled task and no caller trace creates no span at all.
 */
export function startTaskTraces(route: string, headers: Record<string, string | string[] | undefined>, envelopes: TaskEnvelope[], topic: string): RequestTraces {
  const incoming = incomingContext(headers);
  const all = incoming !== undefined && isSampledTraceparent(headers.traceparent as string);
  const sampled = envelopes.map(() => all || rollTaskSample());
  if (incoming === undefined && !sampled.includes(true)) return UNTRACED(envelopes.length);

  const request = tracer.startSpan(`POST ${route}`, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'http.route': route, [Attr.batchCount]: envelopes.length },
  }, incoming ?? decidedRoot(true));
  const requestLink: Link = { context: request.spanContext() };
  const spans = envelopes.map((envelope, i) => (sampled[i] ? createSpan(envelope, topic, requestLink) : undefined));
  const carriers = spans.map((span) => (span ? injectTraceContext(trace.setSpan(ROOT_CONTEXT, span)) : NO_TRACE));
  if (request.isRecording()) {
    request.addLinks(spans.flatMap((span, i) => (span ? [{ context: span.spanContext(), attributes: { [Attr.messageId]: envelopes[i]!.id } }] : [])));
  }
  return {
    carriers,
    accepted(fresh) {
      // A repeated client id was not enqueued: its trace ends here, the first copy's trace goes on.
      spans.forEach((span, i) => fresh[i] === false && span?.setAttribute('task.duplicate', true));
      endAll(spans, request);
    },
    failed: (err) => endAll(spans, request, err),
  };
}
