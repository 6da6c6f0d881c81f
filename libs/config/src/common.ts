import { int, list, str } from './fields';

/** Settings every service shares: where Redis and Kafka are and how names are derived. */
export const commonFields = {
  redisUrl: str('REDIS_URL', 'redis://127.0.0.1:6379', 'Redis holding the buffer and the task statuses'),
  kafkaBrokers: list('KAFKA_BROKERS', ['127.0.0.1:9092'], 'Kafka bootstrap brokers, comma-separated'),
  tasksTopic: str('TASKS_TOPIC', 'tasks', 'Main topic; retry, dead-letter and results topics add .retry, .dlq, .results', /^[a-zA-Z0-9._-]{1,200}$/),
  redisPrefix: str('TASKSTREAM_PREFIX', 'ts', 'Prefix of every Redis key, so pipelines can share one Redis', /^[a-zA-Z0-9._-]{1,64}$/),
  bufferShards: int('BUFFER_SHARDS', 16, 'Redis lists the buffer is spread over by key (same key, same list); all services must agree', { min: 1, max: 1024 }),
  statusTtlInSeconds: int('STATUS_TTL_SECONDS', 86_400, 'How long a task status (and so an idempotent client id) is kept', { min: 60 }),
  logLevel: str('LOG_LEVEL', 'info', 'pino level: fatal, error, warn, info, debug, trace', /^(fatal|error|warn|info|debug|trace|silent)$/),
};
