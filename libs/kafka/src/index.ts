// First: replaces a quadratic kafkajs helper before kafkajs loads (see the file).
import './kafkajs-linear-grouping';
export { createKafka, kafkaSecurity, type KafkaClientOptions, type KafkaSaslMechanism } from './client';
export { createKafkajsPublisher, type TaskPublisher, type OutgoingRecord, type KafkajsPublisherOptions } from './publisher';
export { createBatchConsumer, type BatchConsumer, type BatchConsumerOptions, type BatchHandler, type BatchControls, type IncomingRecord } from './batch-consumer';
