import { bool, int, list, oneOf, str } from './fields';

/** Settings every service shares: where Redis and Kafka are and how names are derived. */
export const commonFields = {
  redisUrl: str('REDIS_URL', 'redis://127.0.0.1:6379', 'Redis holding the buffer and the task statuses'),
  kafkaBrokers: list('KAFKA_BROKERS', ['127.0.0.1:9092'], 'Kafka bootstrap brokers, comma-separated'),
  // Managed and production Kafka clusters want TLS and SASL; off by default for local stacks.
  kafkaSsl: bool('KAFKA_SSL', false, 'Connect to Kafka over TLS (system CAs; NODE_EXTRA_CA_CERTS adds a private CA)'),
  kafkaSaslMechanism: oneOf('KAFKA_SASL_MECHANISM', '', 'Kafka SASL mechanism: plain, scram-sha-256 or scram-sha-512; empty = no SASL', ['', 'plain', 'scram-sha-256', 'scram-sha-512'] as const),
  kafkaSaslUsername: str('KAFKA_SASL_USERNAME', '', 'Kafka SASL user name (needed when KAFKA_SASL_MECHANISM is set)'),
  kafkaSaslPassword: str('KAFKA_SASL_PASSWORD', '', 'Kafka SASL password (needed when KAFKA_SASL_MECHANISM is set)'),
  tasksTopic: str('TASKS_TOPIC', 'tasks', 'Main topic; retry, dead-letter and results topics add .retry, .dlq, .results', /^[a-zA-Z0-9._-]{1,200}$/),
  redisPrefix: str('TASKSTREAM_PREFIX', 'ts', 'Prefix of every Redis key, so pipelines can share one Redis', /^[a-zA-Z0-9._-]{1,64}$/),
  bufferShards: int('BUFFER_SHARDS', 16, 'Redis lists the buffer is spread over by key (same key, same list); all services must agree', { min: 1, max: 1024 }),
  statusTtlInSeconds: int('STATUS_TTL_SECONDS', 86_400, 'How long a task status (and so an idempotent client id) is kept after its last change, at least (docs/contract.md)', { min: 60 }),
  logLevel: str('LOG_LEVEL', 'info', 'pino level: fatal, error, warn, info, debug, trace', /^(fatal|error|warn|info|debug|trace|silent)$/),
  // Payloads can hold personal data: off, any `payload` or `body` field of a log line is replaced by a marker.
  logPayloads: bool('LOG_PAYLOADS', false, 'Let log lines show task payloads and bodies (off: replaced by "[payload hidden]")'),
};
