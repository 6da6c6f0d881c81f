// Up to this length an ASCII string is copied faster by a loop than by Buffer#write's native call (measured on Node 20).
const SHORT_ASCII_LENGTH = 48;

/**
 * Writes `text`, whose UTF-8 length the caller has measured, into `buffer` at
 * `offset`. For the encoders that size a buffer first and fill it after (Kafka
 * record batches, Redis commands): no intermediate strings or buffers.
 */
export function writeText(buffer: Buffer, offset: number, text: string, byteLength: number): void {
  if (byteLength !== text.length) {
    buffer.write(text, offset, byteLength, 'utf8');
  } else if (byteLength > SHORT_ASCII_LENGTH) {
    // As many bytes as characters: all ASCII (any other character takes 2 or more), whose latin1 bytes are its UTF-8 and cheaper to make.
    buffer.write(text, offset, byteLength, 'latin1');
  } else {
    for (let i = 0; i < byteLength; i++) buffer[offset + i] = text.charCodeAt(i);
  }
}
