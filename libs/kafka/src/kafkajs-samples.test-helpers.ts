/**
 * Generated kafkajs inputs and kafkajs modules loaded with or without our
 * replacements, for the unit tests that compare our bytes with kafkajs 2.2.4's.
 * Jest keeps its own module registry, where `replaceCachedModule` changes
 * nothing: requiring a kafkajs path gives kafkajs's original unless mocked.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ProduceRequest, ProduceRequestOptions } from './kafkajs-fast-produce-request';

export type Headers = Record<string, string | Buffer | (string | Buffer)[]>;
export interface Message { key?: string | Buffer | null; value?: string | Buffer | null; headers?: Headers; timestamp?: unknown }

export const RECORD_PATH = require.resolve('kafkajs/src/protocol/recordBatch/record/v0');
export const RECORD_BATCH_PATH = require.resolve('kafkajs/src/protocol/recordBatch/v0');
export const PRODUCE_V3_PATH = require.resolve('kafkajs/src/protocol/requests/produce/v3/request');
export const Long = require('kafkajs/src/utils/long') as { fromValue(value: unknown): unknown };
/** kafkajs's own `Record()` and `RecordBatch()` (Jest's registry gives the originals): batches as kafkajs writes them. */
export const kafkajsRecord = require(RECORD_PATH) as (args: object) => unknown;
export const kafkajsRecordBatch = (require(RECORD_BATCH_PATH) as { RecordBatch(options: object): Promise<{ buffer: Buffer }> }).RecordBatch;
export const GZIP = 1;

/** Seeded, so a failing case can be replayed (mulberry32). */
export function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (below: number) => Math.floor(next() * below);
  return { int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
export type Random = ReturnType<typeof randomSource>;

// Multibyte UTF-8, a lone surrogate (written as U+FFFD), and lengths needing 1, 2 and 3 varint bytes.
const TEXTS = ['', 'k', 'task-0001', 'héllo wörld', '日本語のテキスト', '🚀 emoji', 'lone \ud800 surrogate', 'x'.repeat(64), 'é'.repeat(200)];
const LONG_TEXT = 'y'.repeat(9000);

function sampleBytes(r: Random): string | Buffer {
  if (r.int(3) > 0) return r.int(40) === 0 ? LONG_TEXT : r.pick(TEXTS);
  return Buffer.from(Array.from({ length: r.pick([0, 1, 16, 130, 300]) }, () => r.int(256)));
}

function sampleHeaders(r: Random): Headers | undefined {
  if (r.int(6) === 0) return undefined;
  const headers: Headers = {};
  for (let i = r.int(4); i > 0; i--) {
    const name = r.pick(['traceparent', 'tracestate', 'task-type', 'task-id', 'span-id', 'ключ', '', '7']);
    headers[name] = r.int(3) === 0 ? Array.from({ length: r.int(4) }, () => sampleBytes(r)) : sampleBytes(r);
  }
  return headers;
}

function sampleMessage(r: Random): Message {
  const nullable = () => (r.int(5) === 0 ? r.pick([null, undefined]) : sampleBytes(r));
  const timestamp = r.int(2) === 0 ? undefined : String(1_700_000_000_000 + r.int(100_000));
  return { key: nullable(), value: nullable(), headers: sampleHeaders(r), timestamp };
}

export const sampleMessages = (r: Random) => Array.from({ length: 1 + r.int(50) }, () => sampleMessage(r));

/** One kind of timestamps per partition, as a producer would send them, with kafkajs's quirks covered. */
const TIMESTAMP_KINDS: readonly ((r: Random) => unknown)[] = [
  () => undefined,
  (r) => r.pick([undefined, String(1_700_000_000_000 + r.int(100_000))]),
  (r) => 1_700_000_000_000 + r.int(100_000),
  // Other lengths: kafkajs sorts timestamps as strings ('999' after '1000'); 0 is kept there but counts as unset in deltas.
  (r) => r.pick([undefined, null, 0, 5, '5', 1000, '999', -5, 1_700_000_000_000 + r.int(100_000), '1700000050000']),
  // Deltas past 2^52, which the fast record module leaves to kafkajs.
  (r) => r.pick([1, 2 ** 60, '3']),
  (r) => Long.fromValue(1_700_000_000_000 + r.int(1000)),
];

/** A produce request's options as kafkajs's producer passes them: several topics and partitions, idempotent or not. */
export function sampleProduceRequest(r: Random, compression: number): ProduceRequestOptions {
  const topicData = ['tasks', 'tasks.retry', 'tâches'].slice(0, 1 + r.int(3)).map((topic) => ({
    topic,
    partitions: Array.from({ length: 1 + r.int(3) }, (_, partition) => {
      const timestamp = r.pick(TIMESTAMP_KINDS);
      const messages = sampleMessages(r).map((message) => ({ ...message, timestamp: timestamp(r) }));
      return { partition, firstSequence: r.int(1000), messages };
    }),
  }));
  const idempotent = r.int(2) === 1;
  return {
    acks: r.pick([-1, 1, 0]),
    timeout: 30_000,
    compression,
    transactionalId: r.pick([null, undefined, 'bridge-tx', 'tx-é']),
    producerId: idempotent ? Long.fromValue(r.int(2 ** 31)) : undefined,
    producerEpoch: idempotent ? r.int(100) : undefined,
    topicData,
  };
}

export type ProduceRequestFactory = (options: ProduceRequestOptions) => ProduceRequest;

/** Which of our replacements a freshly loaded kafkajs produce request module gets. */
export interface Replacements {
  recordBatch: boolean;
  produceRequest: boolean;
}

/** kafkajs's `produce/v<version>/request.js`, loaded afresh with the chosen replacements in place of kafkajs's modules. */
export function loadProduceRequest(version: number, replacements: Replacements): ProduceRequestFactory {
  let request: ProduceRequestFactory | undefined;
  jest.isolateModules(() => {
    if (replacements.recordBatch) {
      const { fastRecord, fastRecordBatch } = require('./kafkajs-fast-record-batch') as typeof import('./kafkajs-fast-record-batch');
      jest.doMock(RECORD_PATH, () => fastRecord);
      jest.doMock(RECORD_BATCH_PATH, () => ({ RecordBatch: fastRecordBatch, MAGIC_BYTE: 2 }));
    }
    if (replacements.produceRequest) {
      const { fastProduceRequest } = require('./kafkajs-fast-produce-request') as typeof import('./kafkajs-fast-produce-request');
      jest.doMock(PRODUCE_V3_PATH, () => fastProduceRequest);
    }
    request = require(`kafkajs/src/protocol/requests/produce/v${version}/request`) as ProduceRequestFactory;
    for (const path of [RECORD_PATH, RECORD_BATCH_PATH, PRODUCE_V3_PATH]) jest.dontMock(path);
  });
  return request!;
}

/** The bytes of an encoded request, or the error kafkajs (or we) threw: both must agree on either. */
export async function encodeOutcome(request: ProduceRequest): Promise<{ bytes?: string; error?: string }> {
  try {
    return { bytes: (await request.encode()).buffer.toString('hex') };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * Runs `code` in a real Node process after requiring the built library, and returns what it
 * printed: Jest has its own module registry, so what the build installs in kafkajs is checked there.
 */
export function printedWithBuild(code: string): string {
  const script = `require(${JSON.stringify(join(__dirname, '..', 'dist'))});\n${code}`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
}
