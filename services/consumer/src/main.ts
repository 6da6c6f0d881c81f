import './telemetry';
import { topicNames } from '@taskstream/contract';
import { createBatchConsumer, createKafka, createKafkajsPublisher, kafkaSecurity } from '@taskstream/kafka';
import { createShutdown, exitAfterFatal, exitOnSignals, startOpsServer } from '@taskstream/lifecycle';
import { createCoalescingStatusStore, createRedis, createRedisStatusStore, waitForRedis } from '@taskstream/queue';
import { createLogger, createMetricsRegistry, stopTelemetry } from '@taskstream/telemetry';
import { hostname } from 'node:os';
import { loadConsumerConfig } from './config';
import { loadHandlers } from './handlers/registry';
import { createConsumerMetrics } from './metrics';
import { createTaskProcessor } from './processor';
import { Bulkhead } from './bulkhead';

async function main(): Promise<void> {
  const config = loadConsumerConfig();
  const logger = createLogger('taskstream-consumer', { level: config.logLevel, logPayloads: config.logPayloads });
  const handlers = loadHandlers(config.handlersModule);
  const topics = topicNames(config.tasksTopic);
  const redis = createRedis({ url: config.redisUrl, connectionName: `consumer-${hostname()}-${process.pid}` });
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `taskstream-consumer-${hostname()}-${process.pid}`, logger, ...kafkaSecurity(config) });
  const publisher = createKafkajsPublisher({ kafka });
  const registry = createMetricsRegistry('taskstream-consumer');
  const metrics = createConsumerMetrics(registry);
  const consumer = createBatchConsumer({
    kafka,
    groupId: config.groupId,
    // The retry topic is read by the same group: its records wait in their own partitions until due.
    topics: [topics.tasks, topics.retry],
    logger: logger.child({ component: 'consumer' }),
    partitionsConsumedConcurrently: config.partitionsConcurrently,
    sessionTimeoutInMs: config.sessionTimeoutInMs,
    commitIntervalInMs: config.commitIntervalInMs,
    maxBytesPerPartition: config.fetchMaxBytesPerPartition,
    maxBytes: config.fetchMaxBytes,
    maxRecordsPerCall: config.maxRecordsPerCall,
    onRebalance: () => metrics.rebalances.inc(),
    onLag: (topic, partition, lag) => metrics.lag.set({ topic, partition: String(partition) }, lag),
    onFatalError: (err) => crash(err),
  });
  let closing = false;
  const ops = await startOpsServer({ port: config.port, host: config.host, registry, isReady: () => !closing && consumer.isConnected() && redis.status === 'ready' });
  const stop = createShutdown({
    logger,
    steps: [
      { name: 'readiness off', run: () => void (closing = true) },
      { name: 'finish in-flight batches, commit, leave the group', run: () => consumer.stop() },
      { name: 'disconnect producer', run: () => publisher.disconnect() },
      { name: 'close redis', run: () => redis.quit().then(() => undefined) },
      { name: 'close ops server', run: () => ops.close() },
      { name: 'flush telemetry', run: stopTelemetry },
    ],
  });
  exitOnSignals(stop, logger, config.drainTimeoutInMs + 5000);
  const crash = exitAfterFatal(stop, logger);
  await waitForRedis(redis, 30_000);
  await publisher.connect();
  await consumer.start(
    createTaskProcessor({
      handlers,
      statusStore: createCoalescingStatusStore(createRedisStatusStore({ redis, prefix: config.redisPrefix, statusTtlInSeconds: config.statusTtlInSeconds }), {
        maxTasks: config.coalesceMaxTasks,
      }),
      publisher,
      metrics,
      logger: logger.child({ component: 'processor' }),
      topics,
      policy: { ...config, timeoutInMs: (type) => config.typeTimeoutsInMs[type] ?? config.handlerTimeoutInMs },
      bulkhead: new Bulkhead(config.typeConcurrency),
      publishResults: config.publishResults,
      keyConcurrency: config.keyConcurrency,
      maxRecordBytes: config.maxRecordBytes,
      maxResultBytes: config.maxResultBytes,
      checkpointIntervalInMs: config.checkpointIntervalInMs,
    }),
  );
  logger.info({ groupId: config.groupId, handlers: Object.keys(handlers), port: ops.port }, 'consumer running');
}

main().catch((err) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'consumer failed to start', err: { message: err.message, code: err.code } }));
  process.exit(1);
});
