import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KAFKA_BROKERS, REDIS_URL } from './env';

export type ServiceName = 'ingest' | 'bridge' | 'consumer';

export interface RunningService {
  name: ServiceName;
  proc: ChildProcess;
  /** The HTTP port it listens on (API for ingest, ops for the others). */
  port: number;
  url: string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<number | null>;
  /** kill -9: no cleanup at all. */
  kill(): Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');
const READY_LINE: Record<ServiceName, string> = { ingest: 'ingest listening', bridge: 'bridge running', consumer: 'consumer running' };
const LOG_DIR = join(ROOT, '.run', 'test-logs');

/**
 * Starts a built service (dist/main.js) as a real process on free ports and
 * resolves once it reports it is running. Its log goes to .run/test-logs.
 */
export async function startService(name: ServiceName, env: Record<string, string>, timeoutInMs = 30_000): Promise<RunningService> {
  mkdirSync(LOG_DIR, { recursive: true });
  const portVar = { ingest: 'INGEST_PORT', bridge: 'BRIDGE_PORT', consumer: 'CONSUMER_PORT' }[name];
  const proc = spawn(process.execPath, [join(ROOT, 'services', name, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH, REDIS_URL, KAFKA_BROKERS: KAFKA_BROKERS.join(','), OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info', [portVar]: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(LOG_DIR, `${name}-${env.TASKS_TOPIC ?? 'tasks'}-${proc.pid}.log`));
  proc.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutInMs} ms (see ${LOG_DIR})`)), timeoutInMs);
    exited.then((code) => reject(new Error(`${name} exited with ${code} before it was running (see ${LOG_DIR})`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      if (!line.includes(READY_LINE[name])) return;
      const entry = JSON.parse(line) as { port?: number; address?: { port: number } };
      clearTimeout(timer);
      resolve(entry.port ?? entry.address!.port);
    });
  });
  const signal = (sig: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
    return exited;
  };
  return { name, proc, port, url: `http://127.0.0.1:${port}`, exited, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}

/** The environment that puts a service on a test's own topic and Redis prefix. */
export function pipelineEnv(topic: string, extra: Record<string, string> = {}): Record<string, string> {
  return { TASKS_TOPIC: topic, TASKSTREAM_PREFIX: topic, CONSUMER_GROUP_ID: `${topic}-group`, ...extra };
}
