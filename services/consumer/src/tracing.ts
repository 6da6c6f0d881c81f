import { SpanKind, trace, type Context } from '@opentelemetry/api';
import { Headers, type TaskEnvelope } from '@taskstream/contract';
import type { IncomingRecord } from '@taskstream/kafka';
import { Attr, decidedRoot, extractTraceContext, isSampledTraceparent, messagingAttributes, rollTaskSample, SpanNames, taskAttributes, withSpan } from '@taskstream/telemetry';

const TRACER = 'taskstream-consumer';

/**
 * The context a task's spans hang under, or undefined when it is not traced:
 * a sampled `traceparent` continues its trace (ours from the bridge, or a third
 * party's); an unsampled `traceparent` means no span work at all. A record
 * with neither starts its own trace when the ratio says so, unless our bridge
 * wrote it (it has a `task-id` header): ingest already rolled for that task and
 * said no, and rolling again would sample twice the ratio.
 */
export function parentOf(record: IncomingRecord): Context | undefined {
  const traceparent = record.header(Headers.traceparent);
  if (traceparent !== undefined) return isSampledTraceparent(traceparent) ? extractTraceContext({ traceparent, tracestate: record.header(Headers.tracestate) }) : undefined;
  if (record.header(Headers.taskId) !== undefined) return undefined;
  return rollTaskSample() ? decidedRoot(true) : undefined;
}

/**
 * Runs `fn` in a `process <topic>` CONSUMER span, child of the context the Kafka
 * record carries, with `handle <type>` as its child; the gap between the bridge's
 * span and this one is the wait in Kafka (also an attribute). Outgoing calls of
 * the handler (webhook) carry the handle span's context. A caller that already
 * asked `parentOf(record)` passes its answer (it rolls the sampling dice).
 * `enterContext` false makes both spans but runs `fn` without the handle span
 * active: for handlers that neither log nor call out (`contextFreeHandlers`),
 * since an active span switches Node's promise hooks on for every task in flight.
 */
export function traced<T>(
  record: IncomingRecord,
  task: TaskEnvelope,
  fn: () => Promise<T>,
  now = Date.now(),
  parent = parentOf(record),
  enterContext = true,
): Promise<T> {
  if (!parent) return fn();
  const attributes = {
    ...messagingAttributes('process', record.topic),
    ...taskAttributes(task),
    [Attr.partition]: String(record.partition),
    [Attr.kafkaOffset]: Number(record.offset),
    [Attr.taskAttempt]: task.attempt,
    ...(record.timestamp > 0 ? { [Attr.kafkaWaitMs]: Math.max(0, now - record.timestamp) } : {}),
  };
  const handleAttributes = { [Attr.taskId]: task.id, [Attr.taskType]: task.type };
  return withSpan(
    TRACER,
    SpanNames.process(record.topic),
    // No explicit start time: the SDK would then end the span with a millisecond clock, and its
    // handle child (microseconds) could seem to outlive it.
    { kind: SpanKind.CONSUMER, attributes },
    // The process span is handed to its child explicitly: entering it would gain nothing.
    (processSpan) => withSpan(TRACER, SpanNames.handle(task.type), { kind: SpanKind.INTERNAL, attributes: handleAttributes }, fn, trace.setSpan(parent, processSpan), enterContext),
    parent,
    false,
  );
}
