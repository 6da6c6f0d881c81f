import { SpanKind } from '@opentelemetry/api';
import type { TaskEnvelope } from '@taskstream/contract';
import { extractTraceContext, isSampledTraceparent, withSpan } from '@taskstream/telemetry';

const TRACER = 'taskstream-consumer';

/**
 * Runs `fn` in a `process <topic>` span continuing the task's trace, with the
 * handler span as its child. An unsampled task creates no span at all.
 */
export function traced<T>(headers: Record<string, string | undefined>, topic: string, task: TaskEnvelope, fn: () => Promise<T>): Promise<T> {
  const carrier = { traceparent: headers.traceparent, tracestate: headers.tracestate };
  if (!isSampledTraceparent(carrier.traceparent)) return fn();
  const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': 'process', 'messaging.message.id': task.id, 'task.type': task.type, 'task.attempt': task.attempt };
  return withSpan(
    TRACER,
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, attributes },
    () => withSpan(TRACER, `handle ${task.type}`, { kind: SpanKind.INTERNAL, attributes: { 'task.type': task.type } }, fn),
    extractTraceContext(carrier),
  );
}
