import { findTaskTraces, getTrace, parentOf, serviceOf, tagOf, type JaegerSpan, type JaegerTrace } from '@taskstream/cli';
import { waitFor } from './wait';

/** The Jaeger query API `make test` starts (deploy/local/jaeger.sh). */
export const JAEGER_URL = process.env.JAEGER_URL ?? 'http://127.0.0.1:16686';
export const OTLP_ENDPOINT = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';

/**
 * Service environment with tracing on: every task sampled, spans exported every
 * 200 ms, and a queue large enough that a burst of 10,000 tasks drops none.
 */
export function tracingEnv(ratio = '1'): Record<string, string> {
  return {
    OTEL_SDK_DISABLED: 'false',
    OTEL_TRACES_SAMPLER_ARG: ratio,
    OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BSP_MAX_QUEUE_SIZE: '200000',
  };
}

/** Fails with what to do when Jaeger is not running: the tracing suite never skips. */
export async function requireJaeger(): Promise<void> {
  try {
    const res = await fetch(`${JAEGER_URL}/api/services`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`answered ${res.status}`);
  } catch (err) {
    throw new Error(`Jaeger is not reachable at ${JAEGER_URL} (${(err as Error).message}): run \`deploy/local/stack.sh up\``);
  }
}

/** The spans of a trace whose operation name is `name` (and, when given, of that service). */
export function spansNamed(trace: JaegerTrace, name: string, service?: string): JaegerSpan[] {
  return trace.spans.filter((s) => s.operationName === name && (service === undefined || serviceOf(trace, s) === service));
}

/** Waits until Jaeger holds a trace of this task that passes `complete`. */
export async function waitForTaskTrace(taskId: string, complete: (trace: JaegerTrace) => boolean, timeoutInMs = 30_000): Promise<JaegerTrace> {
  return waitFor(`a complete trace of task ${taskId} in Jaeger`, async () => (await findTaskTraces(JAEGER_URL, taskId, 3_600_000)).find(complete), timeoutInMs, 500);
}

export async function waitForTrace(traceId: string, complete: (trace: JaegerTrace) => boolean, timeoutInMs = 30_000): Promise<JaegerTrace> {
  return waitFor(`trace ${traceId} in Jaeger`, async () => {
    const trace = await getTrace(JAEGER_URL, traceId);
    return trace && complete(trace) ? trace : undefined;
  }, timeoutInMs, 500);
}

export { parentOf, serviceOf, tagOf, type JaegerSpan, type JaegerTrace };
