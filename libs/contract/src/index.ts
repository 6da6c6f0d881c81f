export type { TaskInput, TaskEnvelope, TraceCarrier, TaskStatus, TaskView, Problem } from './types';
export { TaskStatuses } from './types';
export { TYPE_PATTERN, ID_PATTERN, MAX_ATTEMPTS_LIMIT } from './limits';
export { validateTask, type Validation } from './validate';
export { topicNames, redisKeys, Headers, type TopicNames, type RedisKeys } from './names';
export { shardOf } from './shard';
export { encodeBufferedItem, decodeBufferedItem, createdAtOf, type BufferedItem } from './buffered-item';
export { newTaskId, timeOfTaskId } from './task-id';
export { parseTaskRecord, derivedTaskId, type RecordOrigin, type RecordParse } from './record';
