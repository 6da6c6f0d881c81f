import { createdAtOf, decodeBufferedItem, encodeBufferedItem } from './buffered-item';

describe('buffered item', () => {
  const envelope = { id: 'id-1', type: 'echo', key: 'user 42', payload: { text: 'tab\there\nnewline' }, createdAt: 1, attempt: 1 };

  it('when encoded and decoded, then header fields and the value survive without parsing the JSON', () => {
    const item = decodeBufferedItem(encodeBufferedItem(envelope, { traceparent: '00-' + 'a'.repeat(32) + '-' + 'b'.repeat(16) + '-01' }));
    expect(item).toMatchObject({ id: 'id-1', type: 'echo', key: 'user 42', tracestate: undefined });
    expect(item.traceparent).toMatch(/^00-a{32}/);
    expect(JSON.parse(item.value)).toEqual(envelope);
  });

  it('when the string is not an item, then decoding fails loudly', () => {
    expect(() => decodeBufferedItem('{"id":1}')).toThrow(/not a v1 buffered item/);
  });

  it('when the payload holds its own createdAt, then createdAtOf still reads the envelope\'s', () => {
    const value = decodeBufferedItem(encodeBufferedItem({ ...envelope, payload: { createdAt: 5, nested: { createdAt: 7 } }, createdAt: 1_700_000_000_123 })).value;
    expect(createdAtOf(value)).toBe(1_700_000_000_123);
    expect(createdAtOf('{"id":"x"}')).toBeUndefined();
  });
});
