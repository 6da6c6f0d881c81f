import Redis, { type ChainableCommander, type RedisOptions } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RedisClientOptions {
  /** e.g. redis://127.0.0.1:6379/0 */
  url: string;
  /**
   * Fail commands at once while disconnected instead of queueing them. The
   * ingest sets this so a request gets a fast 503, never a hanging one.
   */
  failFastWhenDown?: boolean;
  /** Per-command timeout. Default: 5000 ms. */
  commandTimeoutInMs?: number;
  connectionName?: string;
  /**
   * Send the commands issued in one event-loop tick as one write (ioredis auto-pipelining):
   * concurrent single-task requests then share a round trip and a syscall. Default: false.
   */
  autoPipelining?: boolean;
}

/**
 * Lua scripts of the buffer, loaded once and called by name (EVALSHA with fallback).
 * Those that touch task statuses get status-lib.lua's functions in front of them.
 */
const SCRIPTS = {
  tsEnqueue: { file: 'enqueue.lua', numberOfKeys: 0, statuses: true },
  tsDrain: { file: 'drain.lua', numberOfKeys: 0, statuses: false },
  tsAck: { file: 'ack.lua', numberOfKeys: 0, statuses: false },
  tsStatus: { file: 'status.lua', numberOfKeys: 0, statuses: true },
  tsLease: { file: 'lease.lua', numberOfKeys: 1, statuses: false },
  tsFinished: { file: 'finished.lua', numberOfKeys: 0, statuses: true },
  tsBacklog: { file: 'backlog.lua', numberOfKeys: 0, statuses: false },
} as const;

const luaSource = (file: string) => readFileSync(join(__dirname, '..', 'lua', file), 'utf8');

type ScriptName = keyof typeof SCRIPTS;
/** Script arguments: values, or one array of them (ioredis flattens it; large lists must not be spread). */
type ScriptArgs = (string | number | (string | number)[])[];
export type TaskstreamRedis = Redis & { [K in ScriptName]: (...args: ScriptArgs) => Promise<unknown> };
export type TaskstreamPipeline = ChainableCommander & { [K in ScriptName]: (...args: ScriptArgs) => TaskstreamPipeline };

/** A pipeline's replies in order; the first command that failed throws its error. */
export async function pipelineReplies(pipeline: ChainableCommander): Promise<unknown[]> {
  return ((await pipeline.exec()) ?? []).map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}

/** A pipeline that knows the scripts (ioredis adds them at run time, its types do not). */
export function scriptPipeline(redis: TaskstreamRedis): TaskstreamPipeline {
  return redis.pipeline() as TaskstreamPipeline;
}

export function createRedis(options: RedisClientOptions): TaskstreamRedis {
  const redisOptions: RedisOptions = {
    connectionName: options.connectionName,
    commandTimeout: options.commandTimeoutInMs ?? 5000,
    enableOfflineQueue: !options.failFastWhenDown,
    maxRetriesPerRequest: options.failFastWhenDown ? 0 : 20,
    // Reconnect forever with a capped delay: Redis coming back must heal us.
    retryStrategy: (times) => Math.min(50 * times, 2000),
    lazyConnect: false,
    enableAutoPipelining: options.autoPipelining ?? false,
  };
  const redis = new Redis(options.url, redisOptions);
  // Connection errors are reported through readiness and command failures; without
  // a listener ioredis would print every reconnect attempt as unhandled.
  redis.on('error', () => {});
  const statusLib = luaSource('status-lib.lua');
  for (const [name, script] of Object.entries(SCRIPTS)) {
    redis.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: (script.statuses ? statusLib : '') + luaSource(script.file) });
  }
  return redis as TaskstreamRedis;
}

/** Waits until the client is connected, or fails after the timeout. */
export async function waitForRedis(redis: Redis, timeoutInMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (redis.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`Redis not ready after ${timeoutInMs} ms (status ${redis.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
