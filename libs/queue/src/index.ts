export { createRedis, waitForRedis, type RedisClientOptions, type TaskstreamRedis } from './redis-client';
export { createRedisTaskBuffer, type RedisTaskBufferOptions } from './task-buffer';
export { createRedisStatusStore, type RedisStatusStoreOptions } from './status-store';
export { createRedisShardQueue, type RedisShardQueueOptions } from './shard-queue';
export type { BufferedTask, EnqueueResult, TaskBuffer, StatusTransition, TaskStatusStore, DrainOutcome, ShardQueue } from './types';
