import { bool, commonFields, int, loadConfig, numberMap, oneOf, str, type ConfigOf } from '@taskstream/config';

export const consumerSchema = {
  ...commonFields,
  port: int('CONSUMER_PORT', 8082, 'Port of /healthz, /readyz and /metrics', { min: 0, max: 65535 }),
  host: str('CONSUMER_HOST', '0.0.0.0', 'Address the ops server binds'),
  groupId: str('CONSUMER_GROUP_ID', 'taskstream-consumers', 'Kafka consumer group'),
  partitionsConcurrently: int('CONSUMER_PARTITIONS_CONCURRENTLY', 16, 'Partitions this process works on at once (at least the partitions it owns: a fetch is done when all its batches are)', { min: 1, max: 1000 }),
  keyConcurrency: int('CONSUMER_KEY_CONCURRENCY', 64, 'Different keys run at once within one partition (same key: one after another)', { min: 1, max: 10_000 }),
  maxAttempts: int('CONSUMER_MAX_ATTEMPTS', 3, 'Attempts per task when the task does not set maxAttempts', { min: 1, max: 100 }),
  retryInitialDelayInMs: int('CONSUMER_RETRY_INITIAL_DELAY_MS', 200, 'Backoff before the second attempt (doubles, with jitter)', { min: 0 }),
  retryMaxDelayInMs: int('CONSUMER_RETRY_MAX_DELAY_MS', 10_000, 'Upper bound of one backoff', { min: 0 }),
  handlerTimeoutInMs: int('CONSUMER_HANDLER_TIMEOUT_MS', 60_000, 'An attempt running longer fails with HANDLER_TIMEOUT (retriable)', { min: 1 }),
  typeTimeoutsInMs: numberMap('CONSUMER_TYPE_TIMEOUTS_MS', {}, 'Per-type attempt timeouts overriding CONSUMER_HANDLER_TIMEOUT_MS, e.g. webhook=10000', { min: 1 }),
  typeConcurrency: numberMap('CONSUMER_TYPE_CONCURRENCY', {}, 'Bulkheads: most tasks of a type running at once in this process, e.g. webhook=50,cpu=2 (unlisted types: no limit)', { min: 1 }),
  retryMode: oneOf('CONSUMER_RETRY_MODE', 'in-place', 'in-place: retry where the task is, later tasks of its key wait (order kept); retry-topic: send to <topic>.retry and go on (order of that key not kept)', ['in-place', 'retry-topic'] as const),
  publishResults: bool('CONSUMER_PUBLISH_RESULTS', false, 'Also publish each final status (result or error) to <topic>.results'),
  maxRecordBytes: int('CONSUMER_MAX_RECORD_BYTES', 1024 * 1024, 'Larger records go to the dead-letter topic', { min: 64 }),
  maxResultBytes: int('CONSUMER_MAX_RESULT_BYTES', 64 * 1024, 'Larger handler results are not stored (a marker is)', { min: 16 }),
  checkpointIntervalInMs: int('CONSUMER_CHECKPOINT_INTERVAL_MS', 200, 'How often a running batch writes statuses (processing for tasks still running), dead letters, and resolves offsets', { min: 10 }),
  fetchMaxBytesPerPartition: int('CONSUMER_FETCH_MAX_BYTES_PER_PARTITION', 512 * 1024, 'Most bytes fetched per partition at once (bounds a batch, and so in-flight memory)', { min: 1024 }),
  fetchMaxBytes: int('CONSUMER_FETCH_MAX_BYTES', 4 * 1024 * 1024, 'Most bytes one fetch returns over all partitions', { min: 1024 }),
  maxRecordsPerCall: int('CONSUMER_MAX_RECORDS_PER_CALL', 2000, 'Most records of a partition batch worked on at once; a batch of many small records is worked on in slices of this many, in order (bounds in-flight memory in records, as the fetch sizes do in bytes)', { min: 1, max: 100_000 }),
  coalesceMaxTasks: int('CONSUMER_COALESCE_MAX_TASKS', 1000, 'Status checks and writes smaller than this, of the partitions worked on in the same event-loop turn, share one Redis call of up to this many tasks (larger ones go alone); 1 turns it off', { min: 1, max: 100_000 }),
  commitIntervalInMs: int('CONSUMER_COMMIT_INTERVAL_MS', 1000, 'How often offsets of finished work are committed (also on stop and when a rebalance begins); a crash redoes at most this much, and finished tasks are skipped', { min: 10 }),
  sessionTimeoutInMs: int('CONSUMER_SESSION_TIMEOUT_MS', 30_000, 'Kafka group session timeout', { min: 6000 }),
  handlersModule: str('CONSUMER_HANDLERS_MODULE', '', 'Path of a module exporting custom handlers: { [type]: async (task, ctx) => result }'),
  drainTimeoutInMs: int('CONSUMER_DRAIN_TIMEOUT_MS', 25_000, 'On SIGTERM, time given to in-flight tasks before the process exits', { min: 0 }),
};

export type ConsumerConfig = ConfigOf<typeof consumerSchema>;

export const loadConsumerConfig = (env: NodeJS.ProcessEnv = process.env): ConsumerConfig => loadConfig(consumerSchema, env);
