import type { TaskstreamRedis } from '@taskstream/queue';
import { uniqueName } from './env';
import { createTaskTopics, deleteTaskTopics } from './kafka';
import { pipelineEnv, startService, type RunningService } from './services';
import { dropPrefix, testRedis } from './tasks';

export interface PipelineSuite {
  /** The suite's own topic, also its Redis prefix and group name. */
  topic: string;
  env: Record<string, string>;
  redis: TaskstreamRedis;
  /** Starts a service on the suite's topic; it is stopped after the suite unless killed first. */
  start(name: RunningService['name']): Promise<RunningService>;
  /** kill -9, and forget it. */
  kill(service: RunningService): Promise<void>;
}

/**
 * The whole pipeline's services on a topic and Redis prefix of their own: the
 * topics are created before the suite's tests, and every process still
 * running, the keys and the topics are removed after them.
 */
export function pipelineSuite(base: string, options: { partitions: number; env?: Record<string, string> }): PipelineSuite {
  const topic = uniqueName(base);
  const env = pipelineEnv(topic, options.env);
  const redis = testRedis();
  const running = new Set<RunningService>();
  beforeAll(() => createTaskTopics(topic, options.partitions), 30_000);
  afterAll(async () => {
    await Promise.all([...running].map((s) => s.stop()));
    await dropPrefix(redis, topic);
    redis.disconnect();
    await deleteTaskTopics(topic);
  }, 60_000);
  return {
    topic,
    env,
    redis,
    async start(name) {
      const service = await startService(name, env);
      running.add(service);
      return service;
    },
    async kill(service) {
      await service.kill();
      running.delete(service);
    },
  };
}
