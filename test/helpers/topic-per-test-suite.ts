import type Redis from 'ioredis';
import { createRedis, type TaskstreamRedis } from '@taskstream/queue';
import { REDIS_URL, uniqueName } from './env';
import { createTaskTopics, deleteTaskTopics } from './kafka';
import { startService, type RunningService } from './services';
import { dropMatching, testRedis } from './tasks';

export interface TopicPerTestSuite {
  /** A client with the services' scripts, for the real TaskBuffer and status store. */
  redis: TaskstreamRedis;
  /** A plain client, for reading and arranging keys directly. */
  plain: Redis;
  /** A topic (3 partitions, unless `create` is false) that is also the test's Redis prefix and group name. */
  newTopic(create?: boolean): Promise<string>;
  /** Starts a service; it is stopped after the suite unless `stop` stopped it first. */
  start(name: RunningService['name'], env: Record<string, string>): Promise<RunningService>;
  /** SIGTERM, the exit code, and forget it. */
  stop(service: RunningService): Promise<number | null>;
}

/**
 * For suites whose tests each need a topic and Redis prefix of their own
 * (`<suite>-<n>`, so one scan cleans them all up): every service still
 * running, the keys, the topics and the clients are removed after the suite.
 */
export function topicPerTestSuite(base: string): TopicPerTestSuite {
  const suite = uniqueName(base);
  const redis = createRedis({ url: REDIS_URL });
  const plain = testRedis();
  const topics: string[] = [];
  const running = new Set<RunningService>();
  afterAll(async () => {
    await Promise.all([...running].map((s) => s.stop()));
    await dropMatching(plain, `${suite}-*`);
    await deleteTaskTopics(...topics);
    redis.disconnect();
    plain.disconnect();
  }, 60_000);
  return {
    redis,
    plain,
    async newTopic(create = true) {
      const topic = `${suite}-${topics.length + 1}`;
      topics.push(topic);
      if (create) await createTaskTopics(topic, 3);
      return topic;
    },
    async start(name, env) {
      const service = await startService(name, env);
      running.add(service);
      return service;
    },
    async stop(service) {
      const code = await service.stop();
      running.delete(service);
      return code;
    },
  };
}
