// First, before kafkajs loads: a linear kafkajs helper in place of a quadratic
// one, and a record batch encoder without kafkajs's per-record buffers (see the files).
import './kafkajs-linear-grouping';
import './kafkajs-fast-record-batch';
export { createKafka, kafkaSecurity, type KafkaClientOptions, type KafkaSaslMechanism } from './client';
export { createKafkajsPublisher, type TaskPublisher, type OutgoingRecord, type KafkajsPublisherOptions } from './publisher';
export { createBatchConsumer, type BatchConsumer, type BatchConsumerOptions, type BatchHandler, type BatchControls, type IncomingRecord } from './batch-consumer';
