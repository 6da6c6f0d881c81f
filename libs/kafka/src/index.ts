// First, before kafkajs loads: a linear kafkajs helper in place of a quadratic
// one, a record batch encoder without kafkajs's per-record buffers, and a produce
// request without its per-record object spread (see the files). The produce
// request takes the record batch modules from the cache, so it comes after them
// (it imports them too). Fetched record batches are decoded without a Decoder and Longs per
// record. Pending seeks are looked up without building a key when there are none. An idle
// request queue arms no timer. A request is framed with one copy, not two into growing buffers.
import './kafkajs-linear-grouping';
import './kafkajs-fast-record-batch';
import './kafkajs-fast-produce-request';
import './kafkajs-fast-record-decoder';
import './kafkajs-seek-offsets';
import './kafkajs-idle-request-queue';
import './kafkajs-framed-request';
export { createKafka, kafkaSecurity, type KafkaClientOptions, type KafkaSaslMechanism } from './client';
export { createKafkajsPublisher, type TaskPublisher, type OutgoingRecord, type KafkajsPublisherOptions } from './publisher';
export { createBatchConsumer, type BatchConsumer, type BatchConsumerOptions, type BatchHandler, type BatchControls, type IncomingRecord } from './batch-consumer';
