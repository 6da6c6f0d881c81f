import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '@taskstream/contract';
import { createRedis, createRedisStatusStore } from '@taskstream/queue';
import {
  createTaskTopics, deleteTaskTopics, dropPrefix, headerOf, kcatProduce, nextOffset, pipelineEnv, readTopic, REDIS_URL, requireKcat,
  startService, testRedis, uniqueName, waitFor, type RunningService,
} from '../helpers';

// A third-party producer (the real kcat CLI) writes straight into the tasks topic; only the consumer runs.
const MAX_RECORD_BYTES = 2048;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const topic = uniqueName('third-party');
const redis = createRedis({ url: REDIS_URL });
const plain = testRedis();
const statuses = createRedisStatusStore({ redis, prefix: topic, statusTtlInSeconds: 3600 });
const files = mkdtempSync(join(tmpdir(), 'third-party-'));
let consumer: RunningService | undefined;

beforeAll(async () => {
  requireKcat();
  await createTaskTopics(topic, 2);
  consumer = await startService('consumer', pipelineEnv(topic, { CONSUMER_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES) }));
  await waitFor('the consumer to join its group', async () => (await fetch(`${consumer!.url}/readyz`)).status === 200, 30_000);
}, 60_000);

afterAll(async () => {
  await consumer?.stop();
  await dropPrefix(plain, topic);
  redis.disconnect();
  plain.disconnect();
  await deleteTaskTopics(topic);
  rmSync(files, { recursive: true, force: true });
}, 60_000);

async function finished(id: string): Promise<TaskView> {
  return waitFor(`task ${id} to finish`, async () => {
    const view = await statuses.get(id);
    return (view?.status === 'succeeded' || view?.status === 'dead') && view;
  }, 30_000);
}

/** One file per record, so kcat sends each byte for byte as one message. */
function recordFiles(records: (string | Buffer)[]): string[] {
  return records.map((record, i) => {
    const path = join(files, `${uniqueName('record')}-${i}`);
    writeFileSync(path, record);
    return path;
  });
}

describe('third-party records written with kcat', () => {
  it('when valid records carry an id, then each succeeds under that id, keyed by the record key', async () => {
    const ids = [uniqueName('vendor'), uniqueName('vendor')];
    await kcatProduce(topic, { lines: ids.map((id, i) => `acct-${i}|{"id":"${id}","type":"echo","payload":{"n":${i}}}`) }, { partition: 0, keyDelimiter: '|' });
    for (const [i, id] of ids.entries()) {
      expect(await finished(id)).toMatchObject({ id, type: 'echo', key: `acct-${i}`, status: 'succeeded', attempts: 1, result: { n: i } });
    }
  }, 60_000);

  it('when valid records have no id, then each succeeds under the derived id <topic>-<partition>-<offset>', async () => {
    const first = await nextOffset(topic, 0);
    await kcatProduce(topic, { lines: ['{"type":"echo","payload":"a"}', '{"type":"noop","payload":null}'] }, { partition: 0 });
    expect(await finished(`${topic}-0-${first}`)).toMatchObject({ type: 'echo', status: 'succeeded', result: 'a' });
    expect(await finished(`${topic}-0-${first + 1}`)).toMatchObject({ type: 'noop', status: 'succeeded' });
  }, 60_000);

  it('when a record carries a traceparent header, then it is processed', async () => {
    const id = uniqueName('traced');
    await kcatProduce(topic, { lines: [`{"id":"${id}","type":"echo","payload":{"traced":true}}`] }, { partition: 1, headers: { traceparent: TRACEPARENT } });
    expect(await finished(id)).toMatchObject({ status: 'succeeded', result: { traced: true } });
  }, 60_000);

  it('when poison records arrive, then each is dead-lettered with its original bytes and an error code, and the consumer keeps going', async () => {
    const unknownId = uniqueName('unknown');
    const poison: [string, string | Buffer, string][] = [
      ['bad JSON', '{"type":"echo","payload":', 'RECORD_INVALID'],
      ['binary bytes', Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b, 0x0a, 0xc3, 0x28]), 'RECORD_INVALID'],
      ['a JSON array', '[{"type":"echo","payload":1}]', 'RECORD_INVALID'],
      ['no type', '{"payload":{"a":1}}', 'RECORD_INVALID'],
      ['an unknown type', `{"id":"${unknownId}","type":"no.such.handler","payload":1}`, 'UNKNOWN_TASK_TYPE'],
      ['too many bytes', JSON.stringify({ type: 'echo', payload: 'x'.repeat(MAX_RECORD_BYTES) }), 'RECORD_TOO_LARGE'],
    ];
    const first = await nextOffset(topic, 0);
    await kcatProduce(topic, { files: recordFiles(poison.map(([, bytes]) => bytes)) }, { partition: 0, headers: { 'source-system': 'vendor-x' } });
    const afterId = uniqueName('after-poison');
    await kcatProduce(topic, { lines: [`{"id":"${afterId}","type":"echo","payload":"still running"}`] }, { partition: 0 });

    expect(await finished(afterId)).toMatchObject({ status: 'succeeded', result: 'still running' });
    expect(await finished(unknownId)).toMatchObject({ status: 'dead', error: { code: 'UNKNOWN_TASK_TYPE' } });
    const dead = await readTopic(`${topic}.dlq`, poison.length, 30_000);
    const byOffset = new Map(dead.map((m) => [Number(headerOf(m, 'origin-offset')), m]));
    poison.forEach(([what, bytes, code], i) => {
      const record = byOffset.get(first + i);
      expect({ what, found: record !== undefined }).toEqual({ what, found: true });
      expect(Buffer.compare(record!.value!, Buffer.from(bytes))).toBe(0);
      expect({ what, code: headerOf(record!, 'error-code') }).toEqual({ what, code });
      expect(headerOf(record!, 'error-message')).toBeTruthy();
      expect(headerOf(record!, 'origin-topic')).toBe(topic);
      expect(headerOf(record!, 'origin-partition')).toBe('0');
      expect(headerOf(record!, 'source-system')).toBe('vendor-x');
    });
    expect(dead).toHaveLength(poison.length);
    expect(consumer!.proc.exitCode).toBeNull();
    expect((await fetch(`${consumer!.url}/readyz`)).status).toBe(200);
  }, 90_000);
});
