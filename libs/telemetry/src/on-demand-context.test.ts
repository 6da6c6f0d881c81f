import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { OnDemandContextManager } from './on-demand-context';

const KEY = createContextKey('test.task');
const contextOf = (name: string) => ROOT_CONTEXT.setValue(KEY, name);
const nameIn = (manager: OnDemandContextManager) => manager.active().getValue(KEY);

describe('OnDemandContextManager', () => {
  it('carries the context across awaits inside a scope, and the root outside', async () => {
    const manager = new OnDemandContextManager();
    const seen = await manager.with(contextOf('a'), async () => {
      await sleep(1);
      return nameIn(manager);
    });
    expect(seen).toBe('a');
    expect(nameIn(manager)).toBeUndefined();
  });

  it('keeps every overlapping scope intact until the last one settles', async () => {
    const manager = new OnDemandContextManager();
    const run = (name: string, ms: number) => manager.with(contextOf(name), async () => {
      await sleep(ms);
      const first = nameIn(manager);
      await sleep(ms);
      return [first, nameIn(manager)];
    });
    const [short, long] = await Promise.all([run('short', 2), run('long', 15)]);
    expect(short).toEqual(['short', 'short']);
    expect(long).toEqual(['long', 'long']);
  });

  it('switches the storage off once no scope is open: work left running loses its context', async () => {
    const manager = new OnDemandContextManager();
    let later: Promise<unknown> | undefined;
    await manager.with(contextOf('a'), async () => {
      // Fire and forget: outlives the scope.
      later = sleep(20).then(() => nameIn(manager));
    });
    // With the storage still on (the SDK's manager) this would be 'a'.
    await expect(later).resolves.toBeUndefined();
  });

  it('closes a scope whose function throws or rejects', async () => {
    const manager = new OnDemandContextManager();
    expect(() => manager.with(contextOf('a'), () => {
      throw new Error('sync');
    })).toThrow('sync');
    await expect(manager.with(contextOf('b'), async () => {
      throw new Error('async');
    })).rejects.toThrow('async');
    let later: Promise<unknown> | undefined;
    manager.with(contextOf('c'), () => {
      later = sleep(5).then(() => nameIn(manager));
    });
    await expect(later).resolves.toBeUndefined();
  });

  it('binds a function to a context', async () => {
    const manager = new OnDemandContextManager();
    const bound = manager.bind(contextOf('bound'), async (x: number) => {
      await sleep(1);
      return `${x} ${String(nameIn(manager))}`;
    });
    await expect(bound(1)).resolves.toBe('1 bound');
  });
});
