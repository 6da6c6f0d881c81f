import type { TaskstreamRedis } from '@taskstream/queue';
import { uniqueName } from './env';
import { createTaskTopics, deleteTaskTopics } from './kafka';
import { startService, type RunningService } from './services';
import { dropMatching, testRedis } from './tasks';

export interface TopicPerTestSuite {
  /** One client for the real TaskBuffer and status store and for reading and arranging keys directly. */
  redis: TaskstreamRedis;
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
  const redis = testRedis();
  const topics: string[] = [];
  const running = new Set<RunningService>();
  afterAll(async () => {
    await Promise.all([...running].map((s) => s.stop()));
    await dropMatching(redis, `${suite}-*`);
    await deleteTaskTopics(...topics);
    redis.disconnect();
  }, 60_000);
  return {
    redis,
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
