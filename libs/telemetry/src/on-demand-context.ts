import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';

/** Whether a value is a promise or promise-like: what `await` would wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * A context manager over AsyncLocalStorage that keeps Node's async hooks
 * switched on only while a `with()` scope is running.
 *
 * Why: on Node 20 an AsyncLocalStorage that has been `run()` once installs a
 * promise hook for the life of the process, and every promise created after
 * that pays for it (`promiseInitHook`, `_propagate` in the profiles). The SDK's
 * own AsyncLocalStorageContextManager never switches it off, so the first
 * sampled task of a 1% sample made the other 99% slower too. Only sampled tasks
 * open scopes here (`withSpan`), so this counts open scopes, including async
 * ones until their promise settles, and disables the storage when none is left:
 * the hooks go with it (Node removes them once no storage is enabled), and the
 * next `with()` enables them again.
 *
 * The price: work a scope starts and does not await (fire and forget) loses its
 * context once every scope has ended, so spans it starts later have no parent.
 */
export class OnDemandContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  private openScopes = 0;

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    this.openScopes++;
    let result: ReturnType<F>;
    try {
      result = this.storage.run(ctx, () => fn.call(thisArg as ThisParameterType<F>, ...args));
    } catch (err) {
      this.closeScope();
      throw err;
    }
    if (!isThenable(result)) {
      this.closeScope();
      return result;
    }
    // Closed when the promise settles; the caller still gets (and awaits) the original promise.
    const close = () => this.closeScope();
    result.then(close, close);
    return result;
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, () => fn(...args))) as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }

  private closeScope(): void {
    if (--this.openScopes === 0) this.storage.disable();
  }
}
