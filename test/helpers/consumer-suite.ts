import { createRedisStatusStore, type TaskStatusStore, type TaskstreamRedis } from '@taskstream/queue';
import { uniqueName } from './env';
import { createTaskTopics, deleteTaskTopics } from './kafka';
import { pipelineEnv, startService, type RunningService } from './services';
import { dropMatching, testRedis } from './tasks';

export interface ConsumerSuite {
  /** The suite's own topic, also its Redis prefix and group name. */
  topic: string;
  /** A client for reading what the consumer wrote. */
  redis: TaskstreamRedis;
  /** Task statuses under the suite's prefix, read the way ingest reads them. */
  store: TaskStatusStore;
  consumer(): RunningService;
}

/**
 * One consumer on a topic and Redis prefix of its own, for suites that play
 * the bridge themselves: created before the suite's tests, and the process,
 * the keys, the topics and the clients all removed after them.
 */
export function consumerSuite(base: string, options: { partitions: number; env?: Record<string, string> }): ConsumerSuite {
  const topic = uniqueName(base);
  const redis = testRedis();
  let consumer: RunningService | undefined;
  beforeAll(async () => {
    await createTaskTopics(topic, options.partitions);
    consumer = await startService('consumer', pipelineEnv(topic, options.env));
  }, 60_000);
  afterAll(async () => {
    await consumer?.stop();
    await dropMatching(redis, `${topic}*`);
    await deleteTaskTopics(topic);
    redis.disconnect();
  }, 60_000);
  return {
    topic,
    redis,
    store: createRedisStatusStore({ redis, prefix: topic, statusTtlInSeconds: 3600 }),
    consumer: () => {
      if (!consumer) throw new Error(`the ${base} consumer has not started`);
      return consumer;
    },
  };
}
