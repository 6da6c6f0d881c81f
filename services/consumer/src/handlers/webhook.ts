import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import { injectTraceContext } from '@taskstream/telemetry';
import { badPayload, optionalNumber, payloadObject } from './payload';
import type { TaskHandler } from './types';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `{url, method?, headers?, body?, timeoutMs?}`: a real HTTP call carrying the
 * task's trace context. 5xx and timeouts are retriable; 4xx is final.
 */
export const webhook: TaskHandler = async (task, ctx) => {
  const p = payloadObject('webhook', task.payload);
  if (typeof p.url !== 'string' || !/^https?:\/\//.test(p.url)) throw badPayload('webhook', 'url must be an http(s) URL');
  const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'POST';
  if (!METHODS.has(method)) throw badPayload('webhook', `method must be one of ${[...METHODS].join(', ')}`);
  const timeoutMs = optionalNumber('webhook', p, 'timeoutMs', 300_000) ?? 10_000;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-task-id': task.id };
  if (p.headers !== undefined) {
    for (const [name, value] of Object.entries(payloadObject('webhook', p.headers))) headers[name.toLowerCase()] = String(value);
  }
  const trace = injectTraceContext();
  if (trace.traceparent) headers.traceparent = trace.traceparent;
  if (trace.tracestate) headers.tracestate = trace.tracestate;
  const body = method === 'GET' || p.body === undefined ? undefined : typeof p.body === 'string' ? p.body : JSON.stringify(p.body);

  let response: Response;
  try {
    response = await fetch(p.url, { method, headers, body, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new TaskstreamError(timedOut ? ErrorCodes.HANDLER_TIMEOUT : ErrorCodes.HANDLER_FAILED, `webhook ${method} ${p.url}: ${(err as Error).message}`, { retriable: true, cause: err });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new TaskstreamError(ErrorCodes.HANDLER_FAILED, `webhook ${method} ${p.url} answered ${response.status}`, {
      retriable: response.status >= 500 || response.status === 429,
      details: { status: response.status, body: text.slice(0, 500) },
    });
  }
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text as the result.
  }
  return { status: response.status, body: parsed };
};
