/**
 * kafkajs 2.2.4 encodes produce requests v3 to v7 with `produce/v3/request.js`
 * (v4 and v5 `require('../v3/request')`, v6 requires v5 and v7 v6, each only
 * changing `apiVersion`). It builds every record's input as
 * `Record({ ...message, offsetDelta, timestampDelta })`: on Node 20's V8,
 * spreading and adding properties, then reading the result, cost ~2.3 µs per
 * record against ~0.25 µs for an object literal, half the CPU of a produce
 * request once the record batch was fast. It also sorts each partition's
 * timestamps through three new arrays and copies each batch through three
 * growing, zero-filled Encoders (partition, topic, request).
 *
 * This installs a replacement for `produce/v3/request.js` in the module cache,
 * so the package stays unmodified on disk: same export, same request object,
 * byte-identical requests (the unit tests compare them with kafkajs's on
 * generated inputs, v3 and v7, GZIP or not, transactional or not). Records get
 * a literal, the first and last timestamps come from one pass, and the request
 * is written into one buffer of its exact size. Produce requests v7 of 1,000
 * records of ~300 B (`libs/kafka/bench/record-batch-encode.js`, records per
 * CPU-second), kafkajs / with the fast record batch / with this as well:
 * one header ~100k / ~290k / ~1.1M, three headers ~65k / ~260k / ~830k.
 *
 * Like kafkajs's own module, this takes `Record()` and `RecordBatch()` from
 * the module cache when it loads, so it imports `kafkajs-fast-record-batch`
 * first. Must be imported before kafkajs produces anything.
 */
// Installs the fast Record() and RecordBatch() first: this module takes them from the module cache when it loads.
import './kafkajs-fast-record-batch';
import { Encoder, encoderOver, type KafkajsEncoder } from './kafkajs-encoder';
import type { RecordArgs } from './planned-record';
import type { RecordBatchOptions } from './record-batch-writer';
import { replaceCachedModule } from './require-cache';

const REQUEST_PATH = require.resolve('kafkajs/src/protocol/requests/produce/v3/request');
const Long = require('kafkajs/src/utils/long') as { fromInt(value: number): unknown };
const { Types } = require('kafkajs/src/protocol/message/compression') as { Types: { None: number } };
const { Produce: apiKey } = require('kafkajs/src/protocol/requests/apiKeys') as { Produce: number };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: RecordArgs) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(options: RecordBatchOptions): Promise<KafkajsEncoder>;
};

/** A message as the user passed it to `send()`; kafkajs reads only these. */
export interface ProduceMessage {
  key?: unknown;
  value?: unknown;
  headers?: unknown;
  timestamp?: unknown;
}

/** A partition as kafkajs's `createTopicData` builds it, with the `firstSequence` `sendMessages` adds. */
interface PartitionData {
  partition: number;
  firstSequence?: number;
  messages: ProduceMessage[];
}

/** What kafkajs's produce protocol passes to the v3 request (v4 to v7 pass theirs on). */
export interface ProduceRequestOptions {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: PartitionData[] }[];
}

export interface ProduceRequest {
  apiKey: number;
  apiVersion: number;
  apiName: 'Produce';
  expectResponse(): boolean;
  encode(): Promise<KafkajsEncoder>;
}

/** The record batch options every partition of a request shares. */
type SharedBatchOptions = Required<Pick<RecordBatchOptions, 'compression' | 'producerId' | 'producerEpoch' | 'transactional'>>;

interface EncodedTopic {
  /** The topic name as kafkajs writes a STRING. */
  name: Buffer;
  partitions: { partition: number; batch: Buffer }[];
}

const INT32_SIZE = 4;

/** Stands in for kafkajs's `produce/v3/request.js`, with its defaults. */
export function fastProduceRequest({
  acks,
  timeout,
  transactionalId = null,
  producerId = Long.fromInt(-1),
  producerEpoch = 0,
  compression = Types.None,
  topicData,
}: ProduceRequestOptions): ProduceRequest {
  return {
    apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    encode: async () => {
      const shared = { compression, producerId, producerEpoch, transactional: !!transactionalId };
      const topics: EncodedTopic[] = [];
      for (const { topic, partitions } of topicData) topics.push(await encodeTopic(topic, partitions, shared));
      // kafkajs's own Encoder for the few header fields, so odd values come out (or throw) as they do in kafkajs.
      const head = new Encoder().writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeInt32(topics.length);
      return encoderOver(writeRequest(head.buffer, topics));
    },
  };
}

async function encodeTopic(topic: string, partitions: PartitionData[], shared: SharedBatchOptions): Promise<EncodedTopic> {
  const encoded: EncodedTopic['partitions'] = [];
  for (const { partition, firstSequence, messages } of partitions) {
    const recordBatch = await encodeRecordBatch(messages, firstSequence, shared);
    // `buffer` is what kafkajs's `writeEncoder()` copies; its length is `size()`.
    encoded.push({ partition, batch: recordBatch.buffer });
  }
  return { name: new Encoder().writeString(topic).buffer, partitions: encoded };
}

function encodeRecordBatch(messages: ProduceMessage[], firstSequence: number | undefined, shared: SharedBatchOptions): Promise<KafkajsEncoder> {
  const dateNow = Date.now();
  const { first: firstTimestamp, last: maxTimestamp } = timestampRange(messages) ?? { first: dateNow, last: dateNow };
  const records = messages.map((message, i) => {
    // JavaScript's `-` with its coercions, as kafkajs computes it (timestamps may be strings).
    const timestampDelta = ((message.timestamp || dateNow) as number) - (firstTimestamp as number);
    return Record(recordArgs(message, i, timestampDelta));
  });
  return RecordBatch({ ...shared, records, firstTimestamp, maxTimestamp, firstSequence, lastOffsetDelta: records.length - 1 });
}

/**
 * What `Record()` reads of kafkajs's `{ ...message, offsetDelta, timestampDelta }`.
 * A bare `{ ...message }` copies the message's shape in one step (~10 ns); it is
 * adding properties to the copy that costs the microseconds. So the copy keeps
 * what a spread takes and drops (own enumerable properties only: class
 * getters and non-enumerable properties are left behind, as in kafkajs), and
 * the deltas go into a literal.
 */
function recordArgs(message: ProduceMessage, offsetDelta: number, timestampDelta: number): RecordArgs {
  const { key, value, headers } = { ...message };
  return { offsetDelta, timestampDelta, key, value, headers };
}

/**
 * The first and last of the messages' timestamps as kafkajs picks them: after
 * `.sort()` without a comparator, which orders by their strings ('9' after
 * '10') and is stable (ties keep message order). Undefined when none has one.
 */
function timestampRange(messages: ProduceMessage[]): { first: unknown; last: unknown } | undefined {
  let count = 0;
  let first: unknown;
  let last: unknown;
  let firstKey = '';
  let lastKey = '';
  // forEach, like kafkajs's map and filter, skips holes.
  messages.forEach(({ timestamp }) => {
    if (timestamp == null) return;
    count += 1;
    if (count === 1) {
      first = last = timestamp;
      return;
    }
    // A template literal converts as sort does (it throws for symbols, as String() does not);
    // sort converts only when it compares, so from the second timestamp on.
    if (count === 2) firstKey = lastKey = `${first as string}`;
    const key = `${timestamp as string}`;
    if (key < firstKey) {
      first = timestamp;
      firstKey = key;
    }
    if (key >= lastKey) {
      last = timestamp;
      lastKey = key;
    }
  });
  return count === 0 ? undefined : { first, last };
}

/** The request as kafkajs lays it out: head, then per topic its name, partition count and (partition, size, batch)s. */
function writeRequest(head: Buffer, topics: EncodedTopic[]): Buffer {
  let size = head.length;
  for (const { name, partitions } of topics) {
    size += name.length + INT32_SIZE;
    for (const { batch } of partitions) size += 2 * INT32_SIZE + batch.length;
  }
  // Unsafe (uninitialised) is fine: every byte is written below, and the offset check proves it.
  const buffer = Buffer.allocUnsafe(size);
  let offset = head.copy(buffer, 0);
  for (const { name, partitions } of topics) {
    offset += name.copy(buffer, offset);
    offset = buffer.writeInt32BE(partitions.length, offset);
    for (const { partition, batch } of partitions) {
      offset = buffer.writeInt32BE(partition, offset);
      offset = buffer.writeInt32BE(batch.length, offset);
      offset += batch.copy(buffer, offset);
    }
  }
  if (offset !== size) throw new Error(`produce request measured ${size} bytes but wrote ${offset}`);
  return buffer;
}

replaceCachedModule(REQUEST_PATH, fastProduceRequest);
