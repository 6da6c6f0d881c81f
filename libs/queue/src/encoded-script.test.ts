import { Command } from 'ioredis';
import { encodeEvalsha } from './encoded-script';

const SHA = 'a'.repeat(40);

/** The bytes ioredis itself writes for the same command. */
function ioredisBytes(numberOfKeys: number, args: (string | number)[]): Buffer {
  const writable = new Command('evalsha', [SHA, numberOfKeys, ...args]).toWritable({});
  return typeof writable === 'string' ? Buffer.from(writable, 'utf8') : writable;
}

describe('encodeEvalsha', () => {
  it('when arguments are ASCII of every length, then the bytes are the ones ioredis writes', () => {
    const args = ['', 'x', 'ts:tb:1795786080', '0193f2c4-1a2b-7c3d-8e4f-0123456789ab', 'y'.repeat(48), 'z'.repeat(49), 'w'.repeat(10_000)];
    expect(encodeEvalsha(SHA, 0, args)).toEqual(ioredisBytes(0, args));
  });

  it('when arguments hold characters beyond ASCII, then they are written as UTF-8, as ioredis writes them', () => {
    const args = ['é', 'naïve café', '日本語のキー', '🚀 launch', `{"payload":"${'ü'.repeat(60)}"}`];
    expect(encodeEvalsha(SHA, 0, args)).toEqual(ioredisBytes(0, args));
  });

  it('when arguments are numbers and there are keys, then they are written as their decimal text', () => {
    const args = [0, 7, 10, 99, 100, 3600, 1_795_786_080, 'k'];
    expect(encodeEvalsha(SHA, 1, args)).toEqual(ioredisBytes(1, args));
    expect(encodeEvalsha(SHA, 12, [])).toEqual(ioredisBytes(12, []));
  });

  it('when there are thousands of arguments, then every length prefix is right', () => {
    const args = Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? i : 'v'.repeat(i % 1200)));
    expect(encodeEvalsha(SHA, 0, args)).toEqual(ioredisBytes(0, args));
  });
});
