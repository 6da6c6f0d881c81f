import { parentOf, serviceOf, tagOf, type JaegerSpan, type JaegerTrace } from './jaeger';

const BAR_WIDTH = 40;

const ms = (micros: number) => `${(micros / 1000).toFixed(1)} ms`;
const end = (span: JaegerSpan) => span.startTime + span.duration;
const shortService = (name: string) => name.replace(/^taskstream-/, '');

/**
 * The wait before a span that continues its parent in another process, in µs:
 * the span's own measure when it has one (the consumer may fetch a record before
 * the bridge hears the ack, so span edges can overlap), else the gap between them.
 */
function waitBefore(span: JaegerSpan, parent: JaegerSpan): number {
  const measured = tagOf(span, 'task.wait.kafka_ms') ?? tagOf(span, 'task.wait.redis_ms');
  return typeof measured === 'number' ? measured * 1000 : Math.max(0, span.startTime - end(parent));
}

/** What the gap between a span and its child, in another process, was spent on. */
function waitName(from: string, to: string): string {
  if (from === 'taskstream-ingest' && to === 'taskstream-bridge') return 'wait in Redis';
  if (from === 'taskstream-bridge' && to === 'taskstream-consumer') return 'wait in Kafka';
  return 'wait';
}

function bar(span: JaegerSpan, t0: number, total: number): string {
  const scale = BAR_WIDTH / Math.max(total, 1);
  const from = Math.min(BAR_WIDTH - 1, Math.floor((span.startTime - t0) * scale));
  const width = Math.max(1, Math.min(BAR_WIDTH - from, Math.round(span.duration * scale)));
  return `|${' '.repeat(from)}${'█'.repeat(width)}${' '.repeat(BAR_WIDTH - from - width)}|`;
}

/** Spans in tree order (children by start time under their parent), with their depth. */
function treeOrder(trace: JaegerTrace): { span: JaegerSpan; depth: number; parent?: JaegerSpan }[] {
  const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
  const children = new Map<string, JaegerSpan[]>();
  const roots: JaegerSpan[] = [];
  for (const span of trace.spans) {
    const parent = parentOf(span);
    // A parent that never reached Jaeger (e.g. a bridge killed before it exported) leaves an orphan: show it as a root.
    if (parent && byId.has(parent)) children.set(parent, [...(children.get(parent) ?? []), span]);
    else roots.push(span);
  }
  const ordered: { span: JaegerSpan; depth: number; parent?: JaegerSpan }[] = [];
  const visit = (span: JaegerSpan, depth: number, parent?: JaegerSpan) => {
    ordered.push({ span, depth, parent });
    for (const child of (children.get(span.spanID) ?? []).sort((a, b) => a.startTime - b.startTime)) visit(child, depth + 1, span);
  };
  for (const root of roots.sort((a, b) => a.startTime - b.startTime)) visit(root, 0);
  return ordered;
}

/** The pipeline stages of one task trace, from its spans (absent stages are left out). */
export function stagesOf(trace: JaegerTrace): { name: string; micros: number }[] {
  const find = (service: string, prefix: string) =>
    trace.spans.filter((s) => serviceOf(trace, s) === service && s.operationName.startsWith(prefix) && tagOf(s, 'task.id') !== undefined).sort((a, b) => a.startTime - b.startTime)[0];
  const create = find('taskstream-ingest', 'create ');
  const send = find('taskstream-bridge', 'send ');
  const process = find('taskstream-consumer', 'process ');
  const handle = find('taskstream-consumer', 'handle ');
  const stages: { name: string; micros: number }[] = [];
  if (create) stages.push({ name: 'ingest', micros: create.duration });
  if (create && send) stages.push({ name: 'wait in Redis', micros: waitBefore(send, create) });
  if (send) stages.push({ name: 'bridge', micros: send.duration });
  if (send && process) stages.push({ name: 'wait in Kafka', micros: waitBefore(process, send) });
  if (handle) stages.push({ name: 'handler', micros: handle.duration });
  if (create && handle) stages.push({ name: 'end to end', micros: end(handle) - create.startTime });
  return stages;
}

/** A trace as terminal lines: offsets, durations, services, span names, bars, and the waits between stages. */
export function renderWaterfall(trace: JaegerTrace): string[] {
  const t0 = Math.min(...trace.spans.map((s) => s.startTime));
  const total = Math.max(...trace.spans.map(end)) - t0;
  const ordered = treeOrder(trace);
  const services = new Set(ordered.map(({ span }) => shortService(serviceOf(trace, span))));
  const taskId = trace.spans.map((s) => tagOf(s, 'task.id')).find((v) => v !== undefined);
  const lines = [`trace ${trace.traceID}${taskId === undefined ? '' : `  task ${taskId}`}  ${trace.spans.length} spans, ${services.size} services (${[...services].join(', ')}), ${ms(total)}`, ''];
  const width = Math.min(70, Math.max(20, ...ordered.map(({ span, depth }) => 2 * depth + span.operationName.length)));
  lines.push(`${'offset'.padStart(10)} ${'duration'.padStart(10)}  ${'service'.padEnd(9)} ${'span'.padEnd(width)} timeline`);
  for (const { span, depth, parent } of ordered) {
    if (parent && serviceOf(trace, span) !== serviceOf(trace, parent)) {
      const wait = waitBefore(span, parent);
      lines.push(`${ms(span.startTime - wait - t0).padStart(10)} ${('+' + ms(wait)).padStart(10)}  ${''.padEnd(9)} ${'  '.repeat(depth)}… ${waitName(serviceOf(trace, parent), serviceOf(trace, span))}`);
    }
    const name = `${'  '.repeat(depth)}${span.operationName}`;
    lines.push(`${ms(span.startTime - t0).padStart(10)} ${ms(span.duration).padStart(10)}  ${shortService(serviceOf(trace, span)).padEnd(9)} ${name.slice(0, width).padEnd(width)} ${bar(span, t0, total)}`);
  }
  for (const link of trace.spans.flatMap((s) => s.references.filter((r) => r.refType === 'FOLLOWS_FROM').map((r) => ({ from: s, to: r })))) {
    lines.push(`  link: ${link.from.operationName} → span ${link.to.spanID} of trace ${link.to.traceID}${link.to.traceID === trace.traceID ? ' (this trace)' : ''}`);
  }
  const stages = stagesOf(trace);
  if (stages.length) lines.push('', `stages: ${stages.map((s) => `${s.name} ${ms(s.micros)}`).join(' · ')}`);
  return lines;
}
