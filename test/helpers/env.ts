import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';

/** Where the suites find the stack `make test` started (same defaults as the services). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A name no other test uses, so suites never see each other's data. */
export function uniqueName(base: string): string {
  return `${base}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** A 127.0.0.1 port nothing listens on (bound, then released), to point a service at a dead dependency. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
