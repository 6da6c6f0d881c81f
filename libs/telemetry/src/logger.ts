import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level. Default: LOG_LEVEL or `info`. */
  level?: string;
  /** Keep payloads and bodies in log lines (LOG_PAYLOADS). Default: false. */
  logPayloads?: boolean;
  /** Where lines go. Default: stdout. */
  destination?: pino.DestinationStream;
}

/**
 * Where task data can sit in a log line, ours or a custom handler's: the task or
 * envelope itself, a record value, an HTTP body, an error's details. pino censors
 * these paths when the line is written, so no call site has to remember.
 */
export const PAYLOAD_PATHS = ['payload', '*.payload', 'body', '*.body', 'err.details.body', 'record.value'];
export const PAYLOAD_CENSOR = '[payload hidden]';

/**
 * The one pino logger of a process. Every line written inside a span carries
 * its `trace_id` and `span_id`, so logs and traces join up.
 */
export function createLogger(service: string, options: LoggerOptions | string = {}): Logger {
  const { level = process.env.LOG_LEVEL ?? 'info', logPayloads = false, destination } = typeof options === 'string' ? { level: options } : options;
  const settings: pino.LoggerOptions = {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(logPayloads ? {} : { redact: { paths: PAYLOAD_PATHS, censor: PAYLOAD_CENSOR } }),
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  return destination ? pino(settings, destination) : pino(settings);
}
