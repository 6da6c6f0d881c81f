import Redis, { type ChainableCommander, type RedisOptions } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodedScript, type EncodedScriptArgs, type EncodedScriptCall } from './encoded-script';

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
  tsDrain: { file: 'drain.lua', numberOfKeys: 0, statuses: false },
  tsAck: { file: 'ack.lua', numberOfKeys: 0, statuses: false },
  tsLease: { file: 'lease.lua', numberOfKeys: 1, statuses: false },
  tsBacklog: { file: 'backlog.lua', numberOfKeys: 0, statuses: false },
} as const;

/**
 * Scripts called with thousands of arguments: their command bytes are written
 * up front (encoded-script.ts), not by ioredis, so they are not in pipelines.
 */
const ENCODED_SCRIPTS = {
  tsEnqueue: { file: 'enqueue.lua', numberOfKeys: 0, statuses: true },
  tsStatus: { file: 'status.lua', numberOfKeys: 0, statuses: true },
  tsFinished: { file: 'finished.lua', numberOfKeys: 0, statuses: true },
} as const;

const luaSource = (file: string) => readFileSync(join(__dirname, '..', 'lua', file), 'utf8');

type PipelinedScriptName = keyof typeof SCRIPTS;
type ScriptName = PipelinedScriptName | keyof typeof ENCODED_SCRIPTS;
export type TaskstreamRedis = Redis & { [K in ScriptName]: (...args: EncodedScriptArgs) => Promise<unknown> };
export type TaskstreamPipeline = ChainableCommander & { [K in PipelinedScriptName]: (...args: EncodedScriptArgs) => TaskstreamPipeline };

/** A pipeline's replies in order; the first command that failed throws its error. */
export async function pipelineReplies(pipeline: ChainableCommander): Promise<unknown[]> {
  return ((await pipeline.exec()) ?? []).map(([err, reply]) => {
    if (err) throw err;
    return reply;
  });
}

/** A MULTI transaction that knows the pipelined scripts (ioredis adds them at run time, its types do not). */
export function scriptTransaction(redis: TaskstreamRedis): TaskstreamPipeline {
  return redis.multi() as TaskstreamPipeline;
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
  const source = (script: { file: string; statuses: boolean }) => (script.statuses ? statusLib : '') + luaSource(script.file);
  for (const [name, script] of Object.entries(SCRIPTS)) {
    redis.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: source(script) });
  }
  const scripts = redis as unknown as Record<string, EncodedScriptCall>;
  for (const [name, script] of Object.entries(ENCODED_SCRIPTS)) scripts[name] = encodedScript(redis, source(script), script.numberOfKeys);
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
