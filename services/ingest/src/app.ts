import { ErrorCodes } from '@taskstream/errors';
import type { TaskBuffer, TaskStatusStore } from '@taskstream/queue';
import { injectTraceContext, type Logger, type Registry } from '@taskstream/telemetry';
import { context, SpanKind, trace } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { enqueueOrThrow, toEnvelope, validateBatch, validateSingle } from './accept';
import type { IngestConfig } from './config';
import { replyForError, sendError } from './http-errors';
import type { IngestMetrics } from './metrics';

export interface IngestDeps {
  config: Pick<IngestConfig, 'maxBodyBytes' | 'maxBatchTasks' | 'retryAfterSeconds' | 'apiToken'>;
  buffer: TaskBuffer;
  statusStore: TaskStatusStore;
  logger: Logger;
  registry: Registry;
  metrics: IngestMetrics;
  /** Readiness: false while Redis is down or the process is closing. */
  isReady: () => boolean;
}

const tracer = trace.getTracer('taskstream-ingest');

/** Builds the HTTP app; only main.ts listens. */
export function buildApp(deps: IngestDeps): FastifyInstance {
  const { config, metrics } = deps;
  const app = Fastify({ bodyLimit: config.maxBodyBytes,
    // Per-request info logs would cost more than the request at 30k req/s; metrics count requests instead.
    loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
  });

  // The API speaks JSON only: any other content type is a 415, not a string payload.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err, _request, reply) => replyForError(reply, err, config.retryAfterSeconds));
  app.setNotFoundHandler((request, reply) => sendError(reply, ErrorCodes.NOT_FOUND, `no route ${request.method} ${request.url}`));
  app.addHook('onResponse', async (request, reply) => {
    const labels = { route: request.routeOptions.url ?? 'unknown', method: request.method, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  if (config.apiToken) {
    const expected = `Bearer ${config.apiToken}`;
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/v1/') && request.headers.authorization !== expected) {
        return sendError(reply, ErrorCodes.UNAUTHORIZED, 'missing or wrong bearer token');
      }
    });
  }

  /** One server span per request; each task carries its context through Redis. */
  async function accept(inputs: ReturnType<typeof validateSingle>[], route: string) {
    const span = tracer.startSpan(`POST ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': route, 'messaging.batch.message_count': inputs.length } });
    try {
      const now = Date.now();
      const envelopes = inputs.map((input) => toEnvelope(input, now));
      const result = await enqueueOrThrow(deps.buffer, inputs, envelopes, injectTraceContext(trace.setSpan(context.active(), span)));
      const fresh = result.fresh.filter(Boolean).length;
      metrics.tasksAccepted.inc(fresh);
      if (fresh < envelopes.length) metrics.tasksDuplicate.inc(envelopes.length - fresh);
      return { envelopes, result, fresh };
    } catch (err) {
      metrics.tasksRejected.inc({ reason: (err as { code?: string }).code ?? 'error' }, inputs.length);
      span.recordException(err as Error);
      throw err;
    } finally {
      span.end();
    }
  }

  app.post('/v1/tasks', async (request, reply) => {
    const { envelopes, fresh } = await accept([validateSingle(request.body)], '/v1/tasks');
    const id = envelopes[0]!.id;
    return reply.code(202).send(fresh === 1 ? { id, status: 'queued' } : { id, status: 'queued', duplicate: true });
  });

  app.post('/v1/tasks/batch', async (request, reply) => {
    const { envelopes, fresh } = await accept(validateBatch(request.body, config.maxBatchTasks), '/v1/tasks/batch');
    return reply.code(202).send({ accepted: envelopes.length, duplicates: envelopes.length - fresh, ids: envelopes.map((e) => e.id) });
  });

  app.get<{ Params: { id: string } }>('/v1/tasks/:id', async (request, reply) => {
    let view;
    try {
      view = await deps.statusStore.get(request.params.id);
    } catch (err) {
      request.log.warn({ err }, 'status lookup failed');
      reply.header('retry-after', String(config.retryAfterSeconds));
      return sendError(reply, ErrorCodes.REDIS_UNAVAILABLE, 'the status store (Redis) is unavailable');
    }
    if (!view) return sendError(reply, ErrorCodes.NOT_FOUND, `no task ${request.params.id} (unknown, or its status expired)`);
    return view;
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'not-ready' })));
  app.get('/metrics', async (_request, reply) => reply.type(deps.registry.contentType).send(await deps.registry.metrics()));
  return app;
}
