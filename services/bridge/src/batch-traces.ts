import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Link, type Span } from '@opentelemetry/api';
import { createdAtOf, type BufferedItem, type TraceCarrier } from '@taskstream/contract';
import { Attr, decidedRoot, extractTraceContext, injectTraceContext, isSampledTraceparent, messagingAttributes, SpanNames, taskAttributes } from '@taskstream/telemetry';
import type { ShardBatch } from './records';

const tracer = trace.getTracer('taskstream-bridge');

export interface BatchTraces {
  /** The trace headers to produce with each item (flattened over the shard batches); undefined = as stored. */
  carriers: (TraceCarrier | undefined)[];
  /** A span for one produce attempt of the whole batch, linked to the task spans; undefined when none is sampled. */
  attemptSpan(attempt: number, count: number): Span | undefined;
  /** Kafka acknowledged (true) or the bridge stopped with the produce unacknowledged (false). */
  end(acknowledged: boolean): void;
}

function taskSpan(topic: string, item: BufferedItem, drainedAt: number, recovered: boolean): Span {
  const createdAt = createdAtOf(item.value);
  const attributes = {
    ...messagingAttributes('send', topic),
    ...taskAttributes(item),
    [Attr.kafkaKey]: item.key,
    ...(createdAt === undefined ? {} : { [Attr.redisWaitMs]: Math.max(0, drainedAt - createdAt) }),
    ...(recovered ? { [Attr.recovered]: true } : {}),
  };
  // A child of the task's creation context, started right after the drain (no explicit start
  // time: the SDK would then end it with a millisecond clock): the gap after the ingest's
  // `create` span is the wait in Redis.
  return tracer.startSpan(SpanNames.send(topic), { kind: SpanKind.PRODUCER, attributes }, extractTraceContext(item));
}

/**
 * Spans of one bridge cycle. Per sampled task, a `send <topic>` PRODUCER span in
 * the task's own trace (from the drain to Kafka's ack), whose context replaces the task's trace headers in Kafka,
 * so the consumer's spans become its children. Per produce attempt, one batch
 * span (CLIENT: its context is injected into no record) linking to those task
 * spans. Unsampled tasks cost a string test each, nothing more.
 */
export function startBatchTraces(topic: string, batches: ShardBatch[], drainedAt: number): BatchTraces {
  const carriers: (TraceCarrier | undefined)[] = [];
  const spans: Span[] = [];
  for (const batch of batches) {
    for (const item of batch.items) {
      if (!isSampledTraceparent(item.traceparent)) {
        carriers.push(undefined);
        continue;
      }
      const span = taskSpan(topic, item, drainedAt, batch.recovered);
      if (!span.isRecording()) {
        // Tracing is off in this bridge (OTEL_SDK_DISABLED): the stored context goes on unchanged.
        carriers.push(undefined);
        continue;
      }
      spans.push(span);
      carriers.push(injectTraceContext(trace.setSpan(ROOT_CONTEXT, span)));
    }
  }
  const links: Link[] = spans.map((span) => ({ context: span.spanContext() }));
  return {
    carriers,
    attemptSpan(attempt, count) {
      if (links.length === 0) return undefined;
      const attributes = { ...messagingAttributes('send', topic), [Attr.batchCount]: count, 'taskstream.produce.attempt': attempt };
      return tracer.startSpan(SpanNames.send(topic), { kind: SpanKind.CLIENT, links, attributes }, decidedRoot(true));
    },
    end(acknowledged) {
      for (const span of spans) {
        if (!acknowledged) span.setStatus({ code: SpanStatusCode.ERROR, message: 'bridge stopped before Kafka acknowledged; the next lease holder publishes it again' });
        span.end();
      }
    },
  };
}
