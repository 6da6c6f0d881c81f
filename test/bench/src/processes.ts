import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pid files written by deploy/local (relative to its run dir): the services and the stack. */
export const PIDFILES: Record<string, string> = {
  ingest: 'services/ingest.pid',
  bridge: 'services/bridge.pid',
  consumer: 'services/consumer.pid',
  redis: 'redis/redis.pid',
  kafka: 'kafka/kafka.pid',
  jaeger: 'jaeger/jaeger.pid',
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

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used since it started. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU seconds of every process deploy/local started; undefined for one that is not running. */
export function cpuOfStack(runDir: string): Record<string, number | undefined> {
  return Object.fromEntries(Object.keys(PIDFILES).map((name) => [name, cpuSecondsOf(pidOf(runDir, name) ?? -1)]));
}

/** Microseconds of CPU per task each process spent between two `cpuOfStack` readings. */
export function cpuPerTask(before: Record<string, number | undefined>, after: Record<string, number | undefined>, tasks: number): Record<string, number> {
  const perTask: Record<string, number> = {};
  for (const name of Object.keys(after)) {
    const [b, a] = [before[name], after[name]];
    perTask[name] = b === undefined || a === undefined ? NaN : ((a - b) * 1e6) / tasks;
  }
  return perTask;
}

/**
 * Peak RSS of every process deploy/local started. VmHWM resets when a process
 * restarts, so this is read before any scenario restarts the services.
 */
export function memoryOfStack(runDir: string): Record<string, Memory | undefined> {
  return Object.fromEntries(Object.keys(PIDFILES).map((name) => [name, memoryOf(pidOf(runDir, name) ?? -1)]));
}
