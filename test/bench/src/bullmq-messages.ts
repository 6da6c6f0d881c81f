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

/** A child whose parent is gone has nobody to report to: it must not keep working on Redis. */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(1));
}
