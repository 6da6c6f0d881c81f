import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` returns a truthy value, or fails with what it saw last. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutInMs: number, intervalInMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutInMs} ms waiting for ${what}`);
    await sleep(intervalInMs);
  }
}
