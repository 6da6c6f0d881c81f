import { ErrorCodes } from '@taskstream/errors';
import type { TaskBuffer, TaskStatusStore } from '@taskstream/queue';
import type { Logger, Registry } from '@taskstream/telemetry';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { enqueueOrThrow, toEnvelope, validateBatch, validateSingle } from './accept';
import type { IngestConfig } from './config';
import { replyForError, sendError } from './http-errors';
import type { IngestMetrics } from './metrics';
import { startTaskTraces } from './task-traces';

export interface IngestDeps {
  config: Pick<IngestConfig, 'maxBodyBytes' | 'maxBatchTasks' | 'retryAfterSeconds' | 'apiToken'> & Partial<Pick<IngestConfig, 'tasksTopic'>>;
  buffer: TaskBuffer;
  statusStore: Pick<TaskStatusStore, 'get'>;
  logger: Logger;
  registry: Registry;
  metrics: IngestMetrics;
  /** Readiness: false while Redis is down or the process is closing. */
  isReady: () => boolean;
}

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

  /** A server span per traced request; each sampled task gets its own trace, carried through Redis. */
  async function accept(inputs: ReturnType<typeof validateSingle>[], request: FastifyRequest) {
    const now = Date.now();
    const envelopes = inputs.map((input) => toEnvelope(input, now));
    const traces = startTaskTraces(request.routeOptions.url ?? request.url, request.headers, envelopes, config.tasksTopic ?? 'tasks');
    try {
      const result = await enqueueOrThrow(deps.buffer, inputs, envelopes, traces.carriers);
      traces.accepted(result.fresh);
      const fresh = result.fresh.filter(Boolean).length;
      metrics.tasksAccepted.inc(fresh);
      if (fresh < envelopes.length) metrics.tasksDuplicate.inc(envelopes.length - fresh);
      return { envelopes, result, fresh };
    } catch (err) {
      traces.failed(err);
      metrics.tasksRejected.inc({ reason: (err as { code?: string }).code ?? 'error' }, inputs.length);
      throw err;
    }
  }

  app.post('/v1/tasks', async (request, reply) => {
    const { envelopes, fresh } = await accept([validateSingle(request.body)], request);
    const id = envelopes[0]!.id;
    return reply.code(202).send(fresh === 1 ? { id, status: 'queued' } : { id, status: 'queued', duplicate: true });
  });

  app.post('/v1/tasks/batch', async (request, reply) => {
    const { envelopes, fresh } = await accept(validateBatch(request.body, config.maxBatchTasks), request);
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
