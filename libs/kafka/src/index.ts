export { createKafka, type KafkaClientOptions } from './client';
export { createKafkajsPublisher, type TaskPublisher, type OutgoingRecord, type KafkajsPublisherOptions } from './publisher';
export { createBatchConsumer, type BatchConsumer, type BatchConsumerOptions, type BatchHandler, type BatchControls, type IncomingRecord } from './batch-consumer';
