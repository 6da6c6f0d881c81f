import { setTimeout as sleep } from 'node:timers/promises';
import type Redis from 'ioredis';
import type { RunningService } from './services';

export interface TerminationOptions {
  /** The pod's preStop sleep: endpoints are removed while the process still runs. */
  preStopInMs: number;
  /** terminationGracePeriodSeconds: SIGKILL follows when the process has not exited by then. */
  graceInMs: number;
}

/**
 * What Kubernetes does to a pod on `kubectl scale` down or a rollout: preStop,
 * SIGTERM, and SIGKILL if the grace period runs out. Resolves with how it ended.
 */
export async function terminateLikeKubernetes(service: RunningService, options: TerminationOptions): Promise<'graceful' | 'killed'> {
  await sleep(options.preStopInMs);
  const exited = service.stop();
  const outcome = await Promise.race([exited.then(() => 'graceful' as const), sleep(options.graceInMs).then(() => 'timeout' as const)]);
  if (outcome === 'graceful') return 'graceful';
  await service.kill();
  return 'killed';
}

/**
 * Samples a progress counter every `intervalInMs` and reports the longest
 * stretch without progress while work was still pending: the pause a
 * rebalance causes.
 */
export function watchProgress(redis: Redis, counterKey: string, total: number, intervalInMs = 100) {
  let longestStallInMs = 0;
  let lastValue = -1;
  let lastChange = Date.now();
  let running = true;
  const done = (async () => {
    while (running) {
      const value = Number(await redis.get(counterKey));
      const now = Date.now();
      if (value !== lastValue) {
        if (lastValue > 0 && value < total) longestStallInMs = Math.max(longestStallInMs, now - lastChange);
        lastValue = value;
        lastChange = now;
      }
      if (value >= total) break;
      await sleep(intervalInMs);
    }
  })();
  return {
    async stop(): Promise<{ longestStallInMs: number }> {
      running = false;
      await done;
      return { longestStallInMs };
    },
  };
}
