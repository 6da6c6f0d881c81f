/**
 * Kafka's zigzag varints, sized and written the way kafkajs 2.2.4's
 * `protocol/encoder.js` does, byte for byte, but straight into a buffer
 * (kafkajs builds a `Buffer.from([...])` per varint).
 */

// Bits above the low seven, as kafkajs masks them (as an int32: -128).
const ABOVE_SEVEN_BITS = 0xffffff80;

/** 32-bit zigzag, with kafkajs's int32 arithmetic (so odd inputs wrap the same way). */
function zigZag32(value: number): number {
  return (value << 1) ^ (value >> 31);
}

export function sizeOfVarInt(value: number): number {
  let encoded = zigZag32(value);
  let bytes = 1;
  while ((encoded & ABOVE_SEVEN_BITS) !== 0) {
    bytes += 1;
    encoded >>>= 7;
  }
  return bytes;
}

/** Writes `value` at `offset`; returns the offset after it. */
export function writeVarInt(buffer: Buffer, offset: number, value: number): number {
  let encoded = zigZag32(value);
  while ((encoded & ABOVE_SEVEN_BITS) !== 0) {
    buffer[offset++] = (encoded & 0x7f) | 0x80;
    encoded >>>= 7;
  }
  buffer[offset++] = encoded;
  return offset;
}

/**
 * Up to here 64-bit zigzag is exact in doubles (2|v| + 1 < 2^53). kafkajs goes
 * through BigInt for every varlong; beyond this the caller uses kafkajs itself.
 */
const MAX_EXACT_VARLONG = 2 ** 52 - 1;

export function isExactVarLong(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_EXACT_VARLONG;
}

function zigZag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** For an integer with |value| ≤ MAX_EXACT_VARLONG. */
export function sizeOfVarLong(value: number): number {
  let encoded = zigZag64(value);
  let bytes = 1;
  while (encoded >= 0x80) {
    bytes += 1;
    encoded = Math.floor(encoded / 0x80);
  }
  return bytes;
}

/** For an integer with |value| ≤ MAX_EXACT_VARLONG; returns the offset after it. */
export function writeVarLong(buffer: Buffer, offset: number, value: number): number {
  let encoded = zigZag64(value);
  while (encoded >= 0x80) {
    buffer[offset++] = (encoded % 0x80) | 0x80;
    encoded = Math.floor(encoded / 0x80);
  }
  buffer[offset++] = encoded;
  return offset;
}
