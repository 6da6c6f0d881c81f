export { buildApp, type IngestDeps } from './app';
export { ingestSchema, loadIngestConfig, type IngestConfig } from './config';
export { createIngestMetrics, type IngestMetrics } from './metrics';
