import type { TaskEnvelope, TraceCarrier } from './types';

/**
 * The string stored in a Redis list: a tab-separated header line, then the
 * Kafka record value. The bridge reads id, type, key and trace context from
 * the header without parsing the JSON, and forwards the value bytes as they are.
 *
 *   v1 \t id \t type \t key \t traceparent \t tracestate \n {envelope JSON}
 *
 * Ids and keys are validated to hold no control characters, so tabs and
 * newlines cannot appear inside fields.
 */
export interface BufferedItem extends TraceCarrier {
  id: string;
  type: string;
  key: string;
  /** The envelope JSON, exactly the Kafka record value. */
  value: string;
}

const VERSION = 'v1';

export function encodeBufferedItem(envelope: TaskEnvelope, trace: TraceCarrier = {}): string {
  const header = [VERSION, envelope.id, envelope.type, envelope.key, trace.traceparent ?? '', trace.tracestate ?? ''].join('\t');
  return `${header}\n${JSON.stringify(envelope)}`;
}

export function decodeBufferedItem(raw: string): BufferedItem {
  const newline = raw.indexOf('\n');
  const fields = raw.slice(0, newline).split('\t');
  if (newline < 0 || fields.length !== 6 || fields[0] !== VERSION) {
    throw new Error(`not a ${VERSION} buffered item: ${raw.slice(0, 80)}`);
  }
  const [, id, type, key, traceparent, tracestate] = fields as [string, string, string, string, string, string];
  return {
    id,
    type,
    key,
    traceparent: traceparent || undefined,
    tracestate: tracestate || undefined,
    value: raw.slice(newline + 1),
  };
}

const CREATED_AT = '"createdAt":';

/**
 * The envelope's `createdAt` read from its JSON without parsing it (the bridge
 * never parses values). The envelope writes `createdAt` after `payload`, so the
 * last occurrence is the envelope's own, whatever the payload holds.
 */
export function createdAtOf(value: string): number | undefined {
  const at = value.lastIndexOf(CREATED_AT);
  if (at < 0) return undefined;
  const n = parseInt(value.slice(at + CREATED_AT.length, at + CREATED_AT.length + 20), 10);
  return Number.isFinite(n) ? n : undefined;
}
