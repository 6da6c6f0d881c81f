import './telemetry';
import { createShutdown, exitOnSignals } from '@taskstream/lifecycle';
import { waitForRedis, createCoalescingBuffer, createRedis, createRedisBufferMonitor, createRedisStatusStore, createRedisTaskBuffer } from '@taskstream/queue';
import { createLogger, createMetricsRegistry, stopTelemetry } from '@taskstream/telemetry';
import { buildApp } from './app';
import { loadIngestConfig } from './config';
import { createIngestMetrics } from './metrics';

async function main(): Promise<void> {
  const config = loadIngestConfig();
  const logger = createLogger('taskstream-ingest', { level: config.logLevel, logPayloads: config.logPayloads });
  const redis = createRedis({ url: config.redisUrl, failFastWhenDown: true, commandTimeoutInMs: 2000, connectionName: 'ingest', autoPipelining: true });
  const registry = createMetricsRegistry('taskstream-ingest');
  const metrics = createIngestMetrics(registry);
  const redisBuffer = createRedisTaskBuffer({ redis, prefix: config.redisPrefix, shardCount: config.bufferShards, maxBufferedTasks: config.maxBufferedTasks, statusTtlInSeconds: config.statusTtlInSeconds });
  // Single-task requests arrive by the thousand per second: one Lua call per event-loop turn, not per request.
  const buffer = createCoalescingBuffer(redisBuffer, { maxTasks: config.coalesceMaxTasks, onCall: (tasks) => metrics.enqueueCallTasks.observe(tasks) });
  const statusStore = createRedisStatusStore({ redis, prefix: config.redisPrefix, statusTtlInSeconds: config.statusTtlInSeconds });
  let closing = false;
  const app = buildApp({ config, buffer, statusStore, logger, registry, metrics, isReady: () => !closing && redis.status === 'ready' });

  // The backlog is sampled every 2 s rather than per request: it is a gauge, not a hot-path cost.
  const monitor = createRedisBufferMonitor({ redis, prefix: config.redisPrefix, shardCount: config.bufferShards });
  const depthTimer = setInterval(() => {
    monitor.sample().then((backlog) => {
      const now = Date.now();
      backlog.forEach(({ depth, oldestCreatedAt }, shard) => {
        metrics.bufferDepth.set({ shard: String(shard) }, depth);
        metrics.oldestTaskAge.set({ shard: String(shard) }, oldestCreatedAt === undefined ? 0 : Math.max(0, now - oldestCreatedAt) / 1000);
      });
    }, () => {});
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
  // Give Redis a moment so the first requests are not 503s; without it ingest still serves (503, not ready).
  await waitForRedis(redis, 5000).catch((err) => logger.warn({ err }, 'listening before Redis is reachable'));
  await app.listen({ port: config.port, host: config.host });
  logger.info({ address: app.server.address() }, 'ingest listening');
}

main().catch((err) => {
  // Config errors and failed listens end here: report once, exit non-zero.
  console.error(JSON.stringify({ level: 'fatal', msg: 'ingest failed to start', err: { message: err.message, code: err.code } }));
  process.exit(1);
});
