import { commonFields, int, loadConfig, str, type ConfigOf } from '@taskstream/config';

export const ingestSchema = {
  ...commonFields,
  port: int('INGEST_PORT', 8080, 'HTTP port of the API, health and metrics', { min: 0, max: 65535 }),
  host: str('INGEST_HOST', '0.0.0.0', 'Address the HTTP server binds'),
  maxBodyBytes: int('INGEST_MAX_BODY_BYTES', 5 * 1024 * 1024, 'Largest request body accepted; larger is 413', { min: 1024 }),
  maxBatchTasks: int('INGEST_MAX_BATCH_TASKS', 10_000, 'Most tasks in one batch request', { min: 1, max: 100_000 }),
  coalesceMaxTasks: int('INGEST_COALESCE_MAX_TASKS', 1000, 'Requests read in the same event-loop turn share one Redis call, up to this many tasks; 1 turns it off', { min: 1, max: 100_000 }),
  maxBufferedTasks: int('INGEST_MAX_BUFFERED_TASKS', 2_000_000, 'Buffered (not yet bridged) tasks at which ingest answers 429', { min: 1 }),
  retryAfterSeconds: int('INGEST_RETRY_AFTER_SECONDS', 1, 'Retry-After sent with 429 and 503', { min: 1 }),
  apiToken: str('INGEST_API_TOKEN', '', 'When set, requests to /v1 need "Authorization: Bearer <token>" (else 401)'),
};

export type IngestConfig = ConfigOf<typeof ingestSchema>;

export const loadIngestConfig = (env: NodeJS.ProcessEnv = process.env): IngestConfig => loadConfig(ingestSchema, env);
