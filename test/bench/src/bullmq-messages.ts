/** What the BullMQ bench parent passes to its two child processes (as JSON in argv[2]). */
export interface BullmqChildOptions {
  redisUrl: string;
  queue: string;
  jobs: number;
  /** Worker: jobs run at once. */
  concurrency: number;
  /** Producer: jobs per addBulk call. */
  chunk: number;
  /** Worker: false keeps completed jobs (BullMQ's default, and like our status per task). */
  removeOnComplete: boolean;
}

/** Child → parent over IPC; times are Date.now() (same machine, same clock). */
export type BullmqMessage =
  | { kind: 'ready' }
  | { kind: 'progress'; count: number }
  | { kind: 'first'; at: number }
  | { kind: 'done'; at: number; count: number };

/** ioredis options from a redis:// URL (BullMQ sets maxRetriesPerRequest itself). */
export function connectionOf(redisUrl: string): { host: string; port: number; password?: string } {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379), ...(url.password ? { password: decodeURIComponent(url.password) } : {}) };
}

export function send(message: BullmqMessage): void {
  if (process.connected) process.send?.(message);
}

/**
 * Runs a child process's work with the options its parent passed, exiting 0
 * when it is done and 1 on failure. A child whose parent is gone has nobody to
 * report to: it must not keep working on Redis, so it exits too.
 */
export function runChild(name: string, work: (options: BullmqChildOptions) => Promise<void>): void {
  process.on('disconnect', () => process.exit(1));
  work(JSON.parse(process.argv[2] ?? '{}') as BullmqChildOptions).then(
    () => process.exit(0),
    (err) => {
      console.error(`bullmq ${name} failed: ${(err as Error).stack}`);
      process.exit(1);
    },
  );
}
