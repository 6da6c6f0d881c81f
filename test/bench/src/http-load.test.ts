import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPoster } from './http-load';

/** A node:http server on a free loopback port; `answer` decides each response. */
async function serve(answer: (body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answer(body, res));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, connections: () => connections };
}

const json = (res: ServerResponse, status: number, value: unknown) => {
  // A length, as fastify sends: the bench client reads no chunked responses.
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

describe('bench HTTP client', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('when requests follow one another, then each gets its status and body over one kept-alive socket', async () => {
    const s = await serve((body, res) => json(res, 202, { echoed: body }));
    server = s.server;
    const poster = createPoster(s.url, 4);
    for (let i = 0; i < 5; i++) {
      const res = await poster.post('/v1/tasks', `{"n":${i}}`);
      expect(res.status).toBe(202);
      expect(JSON.parse(res.body)).toEqual({ echoed: `{"n":${i}}` });
      expect(res.latencyInMs).toBeGreaterThan(0);
    }
    poster.close();
    expect(s.connections()).toBe(1);
  });

  it('when more requests are posted than sockets allowed, then the rest wait and every one is answered', async () => {
    const s = await serve((body, res) => setTimeout(() => json(res, 200, { body }), 5));
    server = s.server;
    const poster = createPoster(s.url, 3);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => poster.post('/x', String(i))));
    poster.close();
    expect(results.map((r) => JSON.parse(r.body).body)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(s.connections()).toBe(3);
  });

  it('when a response body arrives in many chunks and has multi-byte characters, then it is read whole', async () => {
    const big = 'ü'.repeat(200_000);
    const s = await serve((_body, res) => json(res, 400, { big }));
    server = s.server;
    const poster = createPoster(s.url, 1);
    const res = await poster.post('/x', '{}');
    poster.close();
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).big).toBe(big);
  });

  it('when the server closes the connection after a response, then the next request opens a new one', async () => {
    const s = await serve((_body, res) => {
      res.setHeader('connection', 'close');
      json(res, 503, { error: 'closing' });
    });
    server = s.server;
    const poster = createPoster(s.url, 1);
    expect((await poster.post('/x', '{}')).status).toBe(503);
    expect((await poster.post('/x', '{}')).status).toBe(503);
    poster.close();
    expect(s.connections()).toBe(2);
  });

  it('when a response comes chunked, then the request fails with the reason instead of hanging', async () => {
    const s = await serve((_body, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('chunked');
    });
    server = s.server;
    const poster = createPoster(s.url, 1);
    await expect(poster.post('/x', '{}')).rejects.toThrow(/without content-length: HTTP\/1.1 200 OK/);
    poster.close();
  });

  it('when nothing listens on the port, then the request is rejected, not left hanging', async () => {
    const s = await serve(() => {});
    const url = s.url;
    await new Promise((resolve) => s.server.close(resolve));
    const poster = createPoster(url, 2);
    await expect(poster.post('/x', '{}')).rejects.toThrow(/ECONNREFUSED/);
    poster.close();
  });
});
