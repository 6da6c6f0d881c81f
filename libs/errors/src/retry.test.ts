import { backoffDelayInMs, retry } from './retry';

describe('retry', () => {
  it('when the operation fails twice then succeeds, then it returns the value', async () => {
    let calls = 0;
    const value = await retry(async () => (++calls < 3 ? Promise.reject(new Error('transient')) : 'ok'), { initialDelayInMs: 1 });
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });

  it('when the operation bails, then it stops at once with that error', async () => {
    let calls = 0;
    await expect(retry(async (bail) => { calls++; return bail(new Error('final')); }, { initialDelayInMs: 1 })).rejects.toThrow('final');
    expect(calls).toBe(1);
  });

  it('when the error is a programmer error, then it is not retried', async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw new TypeError('bug'); }, { initialDelayInMs: 1 })).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });

  it('when attempts run out, then the last error is thrown', async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw new Error(`e${calls}`); }, { maxAttempts: 3, initialDelayInMs: 1 })).rejects.toThrow('e3');
  });

  it('when the attempt grows, then the delay cap grows and stays under the maximum', () => {
    for (let i = 0; i < 100; i++) {
      expect(backoffDelayInMs(1, { initialDelayInMs: 100 })).toBeLessThanOrEqual(100);
      expect(backoffDelayInMs(20, { initialDelayInMs: 100, maxDelayInMs: 5000 })).toBeLessThanOrEqual(5000);
    }
  });
});
