import { randomBytes } from 'node:crypto';
import { crc32c } from './crc32c';

const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;

describe('crc32c', () => {
  it('when buffers of every length around the 8-byte steps are checked, then the CRC equals kafkajs', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      expect({ length, crc: crc32c(bytes) }).toEqual({ length, crc: kafkajsCrc32c(bytes) });
    }
  });

  it('when a large buffer is checked, then the CRC equals kafkajs and the known check value holds', () => {
    const bytes = randomBytes(300_003);
    expect(crc32c(bytes)).toBe(kafkajsCrc32c(bytes));
    // The standard CRC-32C check value of "123456789".
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});
