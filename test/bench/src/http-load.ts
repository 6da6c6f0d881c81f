import { Agent, request } from 'node:http';

export interface PostResult {
  status: number;
  body: string;
  latencyInMs: number;
}

/** A keep-alive HTTP client: fetch costs more CPU per request than the load it measures. */
export function createPoster(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post(path: string, body: string): Promise<PostResult> {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const req = request(
          { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), latencyInMs: performance.now() - started }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
