import type { ProduceMessage, ProduceRequest, ProduceRequestOptions } from './kafkajs-fast-produce-request';
import {
  encodeOutcome,
  GZIP,
  loadProduceRequest,
  printedWithBuild,
  PRODUCE_V3_PATH,
  randomSource,
  sampleProduceRequest,
} from './kafkajs-samples.test-helpers';

const NONE = 0;
const kafkajsOnly = { recordBatch: false, produceRequest: false };
const allFast = { recordBatch: true, produceRequest: true };

/** One partition of `messages`, acks=all. */
const onePartition = (messages: ProduceMessage[], more: Partial<ProduceRequestOptions> = {}): ProduceRequestOptions => ({
  acks: -1,
  timeout: 30_000,
  topicData: [{ topic: 'tasks', partitions: [{ partition: 0, firstSequence: 0, messages }] }],
  ...more,
});

/** Encodes `options` in a request of `version` by kafkajs's own modules and by ours. */
async function encodeBothWays(version: number, options: ProduceRequestOptions) {
  const [original, fast] = [loadProduceRequest(version, kafkajsOnly), loadProduceRequest(version, allFast)];
  return { expected: await encodeOutcome(original(options)), actual: await encodeOutcome(fast(options)) };
}

async function expectSameBytes(version: number, options: ProduceRequestOptions) {
  const { expected, actual } = await encodeBothWays(version, options);
  expect(actual).toEqual(expected);
  expect(actual.bytes).toBeDefined();
}

describe('fast kafkajs produce request', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_700_000_050_000));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [3, NONE],
    [3, GZIP],
    [7, NONE],
    [7, GZIP],
  ])('when generated produce requests v%i (compression %i) are encoded, then the bytes equal kafkajs 2.2.4', async (version, compression) => {
    const original = loadProduceRequest(version, kafkajsOnly);
    const fast = loadProduceRequest(version, allFast);
    for (let seed = 1; seed <= (compression === NONE ? 150 : 30); seed++) {
      const options = sampleProduceRequest(randomSource(seed), compression);
      const [expected, actual] = [await encodeOutcome(original(options)), await encodeOutcome(fast(options))];
      // The same bytes, and no error: every generated request is one kafkajs encodes.
      expect({ seed, ...actual }).toEqual({ seed, ...expected, error: undefined });
    }
  });

  it('when kafkajs record batch modules are in place instead of the fast ones, then the bytes still equal kafkajs 2.2.4', async () => {
    const original = loadProduceRequest(7, kafkajsOnly);
    const fast = loadProduceRequest(7, { recordBatch: false, produceRequest: true });
    for (let seed = 1; seed <= 30; seed++) {
      const options = sampleProduceRequest(randomSource(seed), seed % 5 === 0 ? GZIP : NONE);
      expect({ seed, ...(await encodeOutcome(fast(options))) }).toEqual({ seed, ...(await encodeOutcome(original(options))) });
    }
  });

  it('when some records are left to kafkajs by the fast record module, then the request bytes still match', async () => {
    const messages = [{ key: 'a', value: 'plain' }, { key: 'b', headers: 'ab' }, { key: 'c', value: 'far', timestamp: 2 ** 60 }, { key: 'd', timestamp: '3' }];
    await expectSameBytes(7, onePartition(messages));
  });

  it('when timestamps differ in length, then the batch takes the first and last by string order, as kafkajs sorts them', async () => {
    // As strings: '0' < '1000' < '5' = '5' < '999', so first is 0 and max the later '999' (the sort is stable).
    const messages = [5, '999', 1000, 0, null, '5', undefined, 999].map((timestamp, i) => ({ key: `k${i}`, value: 'v', timestamp }));
    await expectSameBytes(3, onePartition(messages));
  });

  it('when timestamps tie as strings, then the earliest of the lowest and the latest of the highest are taken, as by a stable sort', async () => {
    // Equal strings but other numbers, so which one is taken shows in the bytes (the deltas and max timestamp use the numbers).
    const timestamp = (text: string, number: number) => ({ toString: () => text, valueOf: () => number });
    const timestamps = [timestamp('20', 20), timestamp('10', 10), timestamp('20', 21), timestamp('10', 11), timestamp('20', 22)];
    const messages = timestamps.map((timestamp, i) => ({ key: `k${i}`, value: 'v', timestamp }));
    await expectSameBytes(7, onePartition(messages));
  });

  it('when messages are class instances or have hidden properties, then only what a spread copies is encoded, as in kafkajs', async () => {
    class Task {
      readonly key = 'own';
      get value() {
        return 'from a getter a spread drops';
      }
    }
    const hidden = Object.defineProperty({ key: 'k' }, 'value', { value: 'not enumerable', enumerable: false });
    const messages = [new Task(), hidden, Object.assign(Object.create({ value: 'inherited' }) as object, { key: 'k2' })];
    await expectSameBytes(7, onePartition(messages));
  });

  it('when a request has no topics or a partition has no messages, then the bytes equal kafkajs 2.2.4', async () => {
    await expectSameBytes(3, { ...onePartition([]), topicData: [] });
    await expectSameBytes(3, onePartition([], { transactionalId: 'tx' }));
  });

  it('when a header value is null, then encoding fails as it does in kafkajs', async () => {
    const { expected, actual } = await encodeBothWays(7, onePartition([{ key: 'k', headers: { broken: null } }]));
    expect(actual).toEqual(expected);
    expect(actual.error).toContain('argument must be of type string or an instance of Buffer');
  });

  it('when a request is built, then it has kafkajs 2.2.4 fields and answers expectResponse alike', () => {
    const [original, fast] = [loadProduceRequest(3, kafkajsOnly), loadProduceRequest(3, allFast)];
    for (const acks of [-1, 0, 1]) {
      const [expected, actual] = [original(onePartition([], { acks })), fast(onePartition([], { acks }))];
      const fields = (request: object) => Object.entries(request).map(([name, value]) => [name, typeof value === 'function' ? 'function' : value]);
      expect(fields(actual)).toEqual(fields(expected));
      expect(actual.expectResponse()).toBe(expected.expectResponse());
    }
  });

  it("when kafkajs's produce protocol builds a v7 request, then it goes through the module at produce/v3/request", async () => {
    type ProduceProtocol = { protocol(options: { version: number }): (options: ProduceRequestOptions) => { request: ProduceRequest } };
    const options = sampleProduceRequest(randomSource(1), NONE);
    const fastRequest = jest.fn<ProduceRequest, [ProduceRequestOptions]>();
    let request: ProduceRequest | undefined;
    jest.isolateModules(() => {
      const { fastProduceRequest } = require('./kafkajs-fast-produce-request') as typeof import('./kafkajs-fast-produce-request');
      fastRequest.mockImplementation(fastProduceRequest);
      jest.doMock(PRODUCE_V3_PATH, () => fastRequest);
      // kafkajs requires the version's request module when the request is built.
      request = (require('kafkajs/src/protocol/requests/produce') as ProduceProtocol).protocol({ version: 7 })(options).request;
      jest.dontMock(PRODUCE_V3_PATH);
    });
    expect(fastRequest).toHaveBeenCalledTimes(1);
    expect(request!.apiVersion).toBe(7);
    expect(await encodeOutcome(request!)).toEqual(await encodeOutcome(loadProduceRequest(7, kafkajsOnly)(options)));
  });

  it('when the built library is loaded in plain Node, then v7 requests from kafkajs go through the fast produce request', () => {
    const script = `
      const entry = require.cache[require.resolve('kafkajs/src/protocol/requests/produce/v3/request')];
      const installed = entry.exports;
      let calls = 0;
      entry.exports = (options) => (calls++, installed(options));
      const { request } = require('kafkajs/src/protocol/requests/produce').protocol({ version: 7 })({ acks: -1, timeout: 1, topicData: [] });
      console.log(installed.name, calls, request.apiVersion)`;
    expect(printedWithBuild(script)).toBe('fastProduceRequest 1 7');
  });
});
