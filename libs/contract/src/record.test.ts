import { parseTaskRecord } from './record';

const origin = { topic: 'tasks', partition: 3, offset: '17' };

describe('parseTaskRecord', () => {
  it('when a third-party record has no id, then the id is derived from its place in the log', () => {
    const parsed = parseTaskRecord(Buffer.from('{"type":"echo","payload":{"a":1}}'), origin, 1000);
    expect(parsed).toMatchObject({ ok: true, envelope: { id: 'tasks-3-17', key: 'tasks-3-17', type: 'echo', attempt: 1 } });
  });

  it('when the record has a Kafka key but no task key, then the Kafka key orders it', () => {
    const parsed = parseTaskRecord(Buffer.from('{"type":"echo","payload":1}'), { ...origin, key: 'user-1' }, 1000);
    expect(parsed).toMatchObject({ ok: true, envelope: { key: 'user-1' } });
  });

  it.each([
    ['empty', Buffer.alloc(0), 'RECORD_INVALID'],
    ['not JSON', Buffer.from('hello'), 'RECORD_INVALID'],
    ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'RECORD_INVALID'],
    ['an array', Buffer.from('[1,2]'), 'RECORD_INVALID'],
    ['missing type', Buffer.from('{"payload":1}'), 'RECORD_INVALID'],
    ['too large', Buffer.from(JSON.stringify({ type: 'echo', payload: 'x'.repeat(2000) })), 'RECORD_TOO_LARGE'],
  ])('when the value is %s, then it is rejected with %s', (_name, value, code) => {
    expect(parseTaskRecord(value, origin, 1000)).toMatchObject({ ok: false, code });
  });

  it('when our own envelope comes back, then its createdAt and attempt are kept', () => {
    const value = Buffer.from(JSON.stringify({ id: 'x', type: 'noop', key: 'k', payload: null, createdAt: 5, attempt: 2 }));
    expect(parseTaskRecord(value, origin, 1000)).toEqual({ ok: true, envelope: { id: 'x', type: 'noop', key: 'k', payload: null, createdAt: 5, attempt: 2 } });
  });

  it('when the value is not JSON, then the reason names the problem but quotes none of the bytes', () => {
    const parsed = parseTaskRecord(Buffer.from('card 4111-1111 secret'), origin, 1000);
    expect(parsed).toMatchObject({ ok: false, message: expect.stringMatching(/^value is not JSON: Unexpected token/) });
    expect(JSON.stringify(parsed)).not.toContain('secret');
  });
});
