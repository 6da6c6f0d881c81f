import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pid files written by deploy/local (relative to its run dir): the services and the stack. */
export const PIDFILES: Record<string, string> = {
  ingest: 'services/ingest.pid',
  bridge: 'services/bridge.pid',
  consumer: 'services/consumer.pid',
  redis: 'redis/redis.pid',
  kafka: 'kafka/kafka.pid',
};

export function pidOf(runDir: string, name: string): number | undefined {
  try {
    return Number(readFileSync(join(runDir, PIDFILES[name]!), 'utf8').trim());
  } catch {
    return undefined;
  }
}

export interface Memory {
  rssMiB: number;
  peakMiB: number;
}

/** Resident memory now and its peak since the process started (VmRSS, VmHWM), in MiB. */
export function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * Peak RSS of every process deploy/local started. VmHWM resets when a process
 * restarts, so this is read before any scenario restarts the services.
 */
export function memoryOfStack(runDir: string): Record<string, Memory | undefined> {
  return Object.fromEntries(Object.keys(PIDFILES).map((name) => [name, memoryOf(pidOf(runDir, name) ?? -1)]));
}
