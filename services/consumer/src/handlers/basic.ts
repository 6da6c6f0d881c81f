import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { optionalNumber, payloadObject } from './payload';
import type { HandlerMap } from './types';

export const basicHandlers: HandlerMap = {
  // No await in these: a plain value lets the task finish without a promise (see TaskHandler).
  noop: () => null,

  echo: (task) => task.payload,

  /** `{ms}`: waits, then succeeds; stops early when the attempt is aborted. */
  sleep: async (task, ctx) => {
    const ms = optionalNumber('sleep', payloadObject('sleep', task.payload), 'ms', 3_600_000) ?? 0;
    await sleep(ms, undefined, { signal: ctx.signal });
    return { sleptMs: ms };
  },

  /** `{times?}`: fails the first `times` attempts (retriable), or every attempt when absent. */
  fail: (task, ctx) => {
    const payload = task.payload === undefined || task.payload === null ? {} : payloadObject('fail', task.payload);
    const times = optionalNumber('fail', payload, 'times', 1000);
    if (times === undefined || ctx.attempt <= times) {
      throw new TaskstreamError(ErrorCodes.HANDLER_FAILED, `fail: attempt ${ctx.attempt} fails as asked`, { retriable: true });
    }
    return { succeededOnAttempt: ctx.attempt };
  },

  /** `{iterations}`: burns CPU (a stand-in for real work), yielding nothing until done. */
  cpu: (task) => {
    const iterations = optionalNumber('cpu', payloadObject('cpu', task.payload), 'iterations', 1e9) ?? 0;
    let x = 0;
    for (let i = 0; i < iterations; i++) x = (x * 31 + i) % 1_000_003;
    return { iterations, checksum: x };
  },
};
