/** Jaeger's HTTP query API (`/api/traces`, JSON model), the part `taskstream trace` and the tests use. */

export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  /** CHILD_OF = parent; FOLLOWS_FROM = an OpenTelemetry link. */
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  /** Epoch microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  processID: string;
  warnings?: string[] | null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

export interface TraceSearch {
  service: string;
  operation?: string;
  tags?: Record<string, string>;
  /** Epoch ms; default: `lookbackInMs` before now. */
  startInMs?: number;
  lookbackInMs?: number;
  limit?: number;
}

/** The service names of the three processes (their default `service.name`). */
export const SERVICES = ['taskstream-ingest', 'taskstream-bridge', 'taskstream-consumer'] as const;

export function tagOf(span: JaegerSpan, key: string): JaegerTag['value'] | undefined {
  return span.tags.find((t) => t.key === key)?.value;
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes[span.processID]?.serviceName ?? 'unknown';
}

/** Parent span id (CHILD_OF), when the parent is in the same trace. */
export function parentOf(span: JaegerSpan): string | undefined {
  return span.references.find((r) => r.refType === 'CHILD_OF' && r.traceID === span.traceID)?.spanID;
}

export async function searchTraces(baseUrl: string, search: TraceSearch, timeoutInMs = 30_000): Promise<JaegerTrace[]> {
  const now = Date.now();
  const params = new URLSearchParams({
    service: search.service,
    start: String((search.startInMs ?? now - (search.lookbackInMs ?? 3_600_000)) * 1000),
    end: String((now + 60_000) * 1000),
    limit: String(search.limit ?? 20),
  });
  if (search.operation) params.set('operation', search.operation);
  if (search.tags) params.set('tags', JSON.stringify(search.tags));
  const url = `${baseUrl.replace(/\/$/, '')}/api/traces?${params}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutInMs) });
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} to ${url}: ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

/** One trace by id, or undefined when Jaeger does not have it (yet). */
export async function getTrace(baseUrl: string, traceId: string, timeoutInMs = 30_000): Promise<JaegerTrace | undefined> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/traces/${traceId}`, { signal: AbortSignal.timeout(timeoutInMs) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} for trace ${traceId}`);
  return ((await res.json()) as { data: JaegerTrace[] | null }).data?.[0];
}

/**
 * Every trace holding a span of this task (tagged `task.id`). Each service is
 * asked, because a trace may lack some: a third-party record has no ingest span,
 * a task still waiting in Redis has no consumer span yet.
 */
export async function findTaskTraces(baseUrl: string, taskId: string, lookbackInMs = 24 * 3_600_000): Promise<JaegerTrace[]> {
  const found = new Map<string, JaegerTrace>();
  for (const service of SERVICES) {
    for (const trace of await searchTraces(baseUrl, { service, tags: { 'task.id': taskId }, lookbackInMs, limit: 20 })) {
      // The same trace seen through another service may have more spans by now: keep the fuller copy.
      const known = found.get(trace.traceID);
      if (!known || known.spans.length < trace.spans.length) found.set(trace.traceID, trace);
    }
  }
  return [...found.values()];
}
