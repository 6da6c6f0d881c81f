import './telemetry';
import { topicNames } from '@taskstream/contract';
import { createKafka, createKafkajsPublisher, kafkaSecurity } from '@taskstream/kafka';
import { createShutdown, exitOnSignals, startOpsServer } from '@taskstream/lifecycle';
import { createRedis, createRedisShardQueue, waitForRedis } from '@taskstream/queue';
import { createLogger, createMetricsRegistry, stopTelemetry } from '@taskstream/telemetry';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createBridge } from './bridge';
import { loadBridgeConfig } from './config';
import { createBridgeMetrics } from './metrics';

async function main(): Promise<void> {
  const config = loadBridgeConfig();
  const logger = createLogger('taskstream-bridge', { level: config.logLevel, logPayloads: config.logPayloads });
  const ownerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const redis = createRedis({ url: config.redisUrl, connectionName: `bridge-${ownerId}` });
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `taskstream-bridge-${ownerId}`, logger, ...kafkaSecurity(config) });
  const publisher = createKafkajsPublisher({ kafka, ackTimeoutInMs: config.produceTimeoutInMs });
  const registry = createMetricsRegistry('taskstream-bridge');
  const bridge = createBridge({
    queue: createRedisShardQueue({ redis, prefix: config.redisPrefix, ownerId, leaseTtlInMs: config.leaseTtlInMs }),
    publisher,
    logger: logger.child({ component: 'bridge', ownerId }),
    metrics: createBridgeMetrics(registry),
    topic: topicNames(config.tasksTopic).tasks,
    shardCount: config.bufferShards,
    maxTasksPerShard: config.maxTasksPerShard,
    lingerInMs: config.lingerInMs,
    idleMaxInMs: config.idleMaxInMs,
    leaseTtlInMs: config.leaseTtlInMs,
  });
  const ops = await startOpsServer({ port: config.port, host: config.host, registry, isReady: () => bridge.state() === 'running' && redis.status === 'ready' });
  const stop = createShutdown({
    logger,
    steps: [
      { name: 'stop draining, finish the batch in flight, release leases', run: () => bridge.stop() },
      { name: 'disconnect kafka', run: () => publisher.disconnect() },
      { name: 'close redis', run: () => redis.quit().then(() => undefined) },
      { name: 'close ops server', run: () => ops.close() },
      { name: 'flush telemetry', run: stopTelemetry },
    ],
  });
  exitOnSignals(stop, logger);
  await waitForRedis(redis, 30_000);
  await publisher.connect();
  bridge.start();
  logger.info({ ownerId, port: ops.port }, 'bridge running');
}

main().catch((err) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'bridge failed to start', err: { message: err.message, code: err.code } }));
  process.exit(1);
});
