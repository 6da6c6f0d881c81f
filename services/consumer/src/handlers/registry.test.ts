import { basicHandlers } from './basic';
import { builtinHandlers, contextFreeHandlers } from './registry';

describe('handler registry', () => {
  it('when a handler neither logs nor calls out, then it is context-free; the webhook, whose call carries the trace, is not', () => {
    expect(Object.keys(basicHandlers).filter((type) => contextFreeHandlers.has(basicHandlers[type]!))).toEqual(['noop', 'echo', 'sleep', 'fail', 'cpu']);
    expect(contextFreeHandlers.has(builtinHandlers.webhook!)).toBe(false);
  });
});
