import './telemetry';
import { createShutdown, exitOnSignals } from '@taskstream/lifecycle';
import { createRedis, createRedisStatusStore, createRedisTaskBuffer } from '@taskstream/queue';
import { createLogger, createMetricsRegistry, stopTelemetry } from '@taskstream/telemetry';
import { buildApp } from './app';
import { loadIngestConfig } from './config';
import { createIngestMetrics } from './metrics';

async function main(): Promise<void> {
  const config = loadIngestConfig();
  const logger = createLogger('taskstream-ingest', config.logLevel);
  const redis = createRedis({ url: config.redisUrl, failFastWhenDown: true, commandTimeoutInMs: 2000, connectionName: 'ingest' });
  const registry = createMetricsRegistry('taskstream-ingest');
  const metrics = createIngestMetrics(registry);
  const buffer = createRedisTaskBuffer({ redis, prefix: config.redisPrefix, shardCount: config.bufferShards, maxBufferedTasks: config.maxBufferedTasks, statusTtlInSeconds: config.statusTtlInSeconds });
  const statusStore = createRedisStatusStore({ redis, prefix: config.redisPrefix, statusTtlInSeconds: config.statusTtlInSeconds });
  let closing = false;
  const app = buildApp({ config, buffer, statusStore, logger, registry, metrics, isReady: () => !closing && redis.status === 'ready' });

  // Buffer depth is sampled on scrape rather than per request: it is a gauge, not a hot-path cost.
  const depthTimer = setInterval(() => {
    buffer.depthByShard().then(
      (depths) => depths.forEach((n, shard) => metrics.bufferDepth.set({ shard: String(shard) }, n)),
      () => {},
    );
  }, 2000).unref();

  const stop = createShutdown({
    logger,
    steps: [
      { name: 'readiness off', run: () => void (closing = true) },
      { name: 'close http (drains in-flight requests)', run: () => app.close() },
      { name: 'stop timers', run: () => clearInterval(depthTimer) },
      { name: 'close redis', run: () => redis.quit().then(() => undefined) },
      { name: 'flush telemetry', run: stopTelemetry },
    ],
  });
  exitOnSignals(stop, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info({ address: app.server.address() }, 'ingest listening');
}

main().catch((err) => {
  // Config errors and failed listens end here: report once, exit non-zero.
  console.error(JSON.stringify({ level: 'fatal', msg: 'ingest failed to start', err: { message: err.message, code: err.code } }));
  process.exit(1);
});
