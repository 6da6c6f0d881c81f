import { randomBytes } from 'node:crypto';
import { consumerSuite, headerOf, kcatProduce, readTopic, requireKcat, viewCounts, waitFor } from '../helpers';

// Issue 3's bar: 100,000 valid records mixed with 1,000 poison records of every kind, written by
// kcat: no valid task lost, every poison record in the dead-letter topic, the consumer never down.
const VALID = 100_000;
const POISON = 1_000;
const MAX_RECORD_BYTES = 2048;
const { topic, store, consumer } = consumerSuite('poison', { partitions: 6, env: { CONSUMER_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES) } });

/** Random bytes that are not UTF-8 text and hold no newline (kcat splits records on newlines). */
const binary = () => Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), randomBytes(24)]).toString('latin1').replace(/\n/g, ' ');
const POISON_KINDS: [string, (i: number) => string][] = [
  ['bad JSON', (i) => `{"type":"noop","payload":${i}`],
  ['binary', () => binary()],
  ['wrong shape', (i) => `[${i}, "noop"]`],
  ['missing type', (i) => `{"payload":${i}}`],
  ['unknown type', (i) => `{"type":"no.such.type","payload":${i},"id":"unknown-${i}"}`],
  ['oversized', (i) => JSON.stringify({ type: 'noop', payload: 'x'.repeat(MAX_RECORD_BYTES), id: `big-${i}` })],
];

beforeAll(() => requireKcat());

describe('poison records from a third-party producer', () => {
  it(`when ${VALID} valid and ${POISON} poison records of every kind are written with kcat, then 0 valid are lost, all poison is dead-lettered and the consumer keeps running`, async () => {
    const lines: string[] = [];
    const ids: string[] = [];
    for (let i = 0, p = 0; i < VALID; i++) {
      ids.push(`valid-${i}`);
      lines.push(JSON.stringify({ id: `valid-${i}`, type: 'noop', payload: { i } }));
      // Spread the poison through the stream so it lands between valid records on every partition.
      if (i % (VALID / POISON) === 0) lines.push(POISON_KINDS[p % POISON_KINDS.length]![1](p++));
    }
    await kcatProduce(topic, { lines }, {}, 120_000);

    await waitFor('all valid tasks to succeed', async () => (await viewCounts(store, ids)).succeeded === VALID, 240_000, 1000);
    const letters = await readTopic(`${topic}.dlq`, POISON, 60_000);
    expect(letters).toHaveLength(POISON);
    const codes: Record<string, number> = {};
    for (const m of letters) codes[headerOf(m, 'error-code')!] = (codes[headerOf(m, 'error-code')!] ?? 0) + 1;
    console.log(`poison: dead-letter codes ${JSON.stringify(codes)}`);
    expect(Object.keys(codes).sort()).toEqual(['RECORD_INVALID', 'RECORD_TOO_LARGE', 'UNKNOWN_TASK_TYPE']);
    expect(letters.every((m) => headerOf(m, 'origin-topic') === topic && headerOf(m, 'error-message'))).toBe(true);
    expect(consumer().proc.exitCode).toBeNull();
    expect((await fetch(`${consumer().url}/readyz`)).status).toBe(200);
  }, 400_000);
});
