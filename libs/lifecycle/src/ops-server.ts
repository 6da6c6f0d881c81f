import type { Registry } from '@taskstream/telemetry';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpsServerOptions {
  port: number;
  /** Default: 0.0.0.0 (probes come from the kubelet). */
  host?: string;
  registry: Registry;
  /** Readiness: can this process do useful work now? Liveness never depends on dependencies. */
  isReady: () => boolean;
  /** Extra facts for `/readyz`, e.g. which dependency is down. */
  readinessDetail?: () => Record<string, unknown>;
}

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** `/healthz`, `/readyz` and `/metrics` for services whose main job is not HTTP. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/readyz') {
      const ready = options.isReady();
      const body = JSON.stringify({ status: ready ? 'ready' : 'not-ready', ...options.readinessDetail?.() });
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(body);
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND","message":"no such route"}}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', resolve);
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
