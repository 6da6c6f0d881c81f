import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { consumerSuite, envelopeOf, envelopeRecord, headerOf, produce, readTopic, waitFor } from '../helpers';

// The webhook handler against a real local HTTP server: 5xx and timeouts retry, 4xx is final,
// headers and body go through.
const { topic, store } = consumerSuite('webhook', { partitions: 3, env: { CONSUMER_RETRY_INITIAL_DELAY_MS: '20', CONSUMER_RETRY_MAX_DELAY_MS: '50', CONSUMER_MAX_ATTEMPTS: '4' } });
const calls: Record<string, number> = {};
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let base: string;

/** /ok echoes; /flaky answers 503 twice; /slow hangs once past the timeout; /bad is a 400. */
function handle(req: IncomingMessage, body: string): { status: number; body?: unknown; delayInMs?: number } {
  const path = req.url ?? '/';
  const n = (calls[path] = (calls[path] ?? 0) + 1);
  if (path === '/ok') return { status: 200, body: { echoed: JSON.parse(body || 'null'), method: req.method } };
  if (path === '/flaky') return n <= 2 ? { status: 503 } : { status: 200, body: { after: n } };
  if (path === '/slow') return n === 1 ? { status: 200, delayInMs: 2000 } : { status: 200, body: { fast: true } };
  return { status: 400, body: { error: 'bad request' } };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const answer = handle(req, body);
      setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body ?? {})), answer.delayInMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const finalStatus = (id: string) => waitFor(`${id} to finish`, async () => {
  const view = await store.get(id);
  return (view?.status === 'succeeded' || view?.status === 'dead') && view;
}, 30_000);

async function send(id: string, path: string, extra: Record<string, unknown> = {}): Promise<void> {
  await produce(topic, [envelopeRecord(envelopeOf({ id, type: 'webhook', key: id, payload: { url: `${base}${path}`, ...extra } }))]);
}

describe('webhook handler', () => {
  it('when the service answers 200, then headers and body are passed and the answer is the result', async () => {
    await send('ok-1', '/ok', { method: 'PUT', headers: { 'X-Custom': 'yes' }, body: { order: 42 } });
    expect(await finalStatus('ok-1')).toMatchObject({ status: 'succeeded', attempts: 1, result: { status: 200, body: { echoed: { order: 42 }, method: 'PUT' } } });
    const request = received.find((r) => r.body === '{"order":42}')!;
    expect(request.headers['x-custom']).toBe('yes');
    expect(request.headers['x-task-id']).toBe('ok-1');
  });

  it('when the service answers 503 twice, then the task is retried and succeeds on the third attempt', async () => {
    await send('flaky-1', '/flaky');
    expect(await finalStatus('flaky-1')).toMatchObject({ status: 'succeeded', attempts: 3, result: { body: { after: 3 } } });
  });

  it('when the first call times out, then it counts as a failed attempt and the retry succeeds', async () => {
    await send('slow-1', '/slow', { timeoutMs: 300 });
    expect(await finalStatus('slow-1')).toMatchObject({ status: 'succeeded', attempts: 2, result: { body: { fast: true } } });
  });

  it('when the service answers 400, then the task is dead at once and dead-lettered', async () => {
    await send('bad-1', '/bad');
    expect(await finalStatus('bad-1')).toMatchObject({ status: 'dead', attempts: 1, error: { code: 'HANDLER_FAILED' } });
    expect(calls['/bad']).toBe(1);
    const [letter] = await readTopic(`${topic}.dlq`, 1);
    expect(headerOf(letter!, 'task-id')).toBe('bad-1');
    expect(headerOf(letter!, 'error-message')).toContain('answered 400');
  });
});
