import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RUN_DIR = process.env.TASKSTREAM_RUN_DIR ?? join(__dirname, '..', '..', '..', '.run');

/** Pid files written by deploy/local: the services and the stack. */
export const PIDFILES: Record<string, string> = {
  ingest: 'services/ingest.pid',
  bridge: 'services/bridge.pid',
  consumer: 'services/consumer.pid',
  redis: 'redis/redis.pid',
  kafka: 'kafka/kafka.pid',
};

export function pidOf(name: string): number | undefined {
  try {
    return Number(readFileSync(join(RUN_DIR, PIDFILES[name]!), 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** Resident memory now and its peak since the process started (VmRSS, VmHWM), in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
