export { createRedis, waitForRedis, scriptTransaction, type RedisClientOptions, type TaskstreamRedis, type TaskstreamPipeline } from './redis-client';
export { createRedisTaskBuffer, type RedisTaskBufferOptions } from './task-buffer';
export { createRedisStatusStore, type RedisStatusStoreOptions } from './status-store';
export { createRedisShardQueue, type RedisShardQueueOptions } from './shard-queue';
export { createRedisBufferMonitor, type BufferMonitor, type ShardBacklog, type RedisBufferMonitorOptions } from './buffer-monitor';
export type { BufferedTask, EnqueueResult, TaskBuffer, StatusTransition, ReopenedTask, TaskStatusStore, DrainOutcome, ShardQueue } from './types';
export { createCoalescingBuffer, type CoalescingBufferOptions } from './coalescing-buffer';
export { createCoalescingStatusStore, type CoalescingStatusStoreOptions } from './coalescing-status-store';
