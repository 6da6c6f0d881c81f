import { resolve } from 'node:path';
import { basicHandlers } from './basic';
import type { HandlerMap, TaskHandler } from './types';
import { webhook } from './webhook';

export const builtinHandlers: HandlerMap = { ...basicHandlers, webhook };

/**
 * Handlers that neither log nor call out, so a sampled task of theirs needs its
 * trace context in the spans only, not active while it runs. Making it active
 * switches Node's async hooks on, and in a consumer running thousands of tasks
 * at once every promise of every task in flight then pays for it. The webhook
 * (its call carries the context) and custom handlers always run in it.
 */
export const contextFreeHandlers: ReadonlySet<TaskHandler> = new Set(Object.values(basicHandlers));

/**
 * Built-in handlers plus those of a custom module (`CONSUMER_HANDLERS_MODULE`)
 * whose default export, or `handlers` export, maps task types to functions.
 */
export function loadHandlers(modulePath: string): HandlerMap {
  if (!modulePath) return builtinHandlers;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolve(modulePath)) as { default?: HandlerMap; handlers?: HandlerMap };
  const custom = mod.handlers ?? mod.default;
  if (!custom || typeof custom !== 'object') throw new Error(`${modulePath} exports no handler map (default or "handlers")`);
  for (const [type, fn] of Object.entries(custom)) {
    if (typeof fn !== 'function') throw new Error(`${modulePath}: handler for "${type}" is not a function`);
  }
  return { ...builtinHandlers, ...custom };
}
