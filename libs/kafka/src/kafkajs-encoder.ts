/** The parts of kafkajs 2.2.4's `protocol/encoder.js` our replacements use and hand back to kafkajs. */
export interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  /** The bytes written so far (a view, not a copy). */
  readonly buffer: Buffer;
  size(): number;
  writeString(value: unknown): KafkajsEncoder;
  writeInt16(value: unknown): KafkajsEncoder;
  writeInt32(value: unknown): KafkajsEncoder;
  writeBytes(value: unknown): KafkajsEncoder;
}

export const Encoder = require('kafkajs/src/protocol/encoder') as { new (): KafkajsEncoder; prototype: KafkajsEncoder };

/** A real kafkajs Encoder over `buffer`, all of it written, for kafkajs's `size()`, `buffer` and `writeEncoder()`. */
export function encoderOver(buffer: Buffer): KafkajsEncoder {
  const encoder = Object.create(Encoder.prototype) as KafkajsEncoder;
  encoder.buf = buffer;
  encoder.offset = buffer.length;
  return encoder;
}
