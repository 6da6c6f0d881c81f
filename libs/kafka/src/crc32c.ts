/**
 * CRC-32C (Castagnoli), the checksum of a Kafka record batch, computed eight
 * bytes per step ("slice-by-8") instead of kafkajs's one byte per step: the
 * checksum runs over every byte the bridge produces, and this is several times
 * faster on batches of hundreds of kilobytes. Same result as kafkajs's
 * `protocol/recordBatch/crc32C` (the unit test checks it on random buffers).
 */

const REVERSED_POLYNOMIAL = 0x82f63b78;
const TABLE_SIZE = 256;

/** tables[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
function buildTables(): Int32Array {
  const tables = new Int32Array(8 * TABLE_SIZE);
  for (let byte = 0; byte < TABLE_SIZE; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ REVERSED_POLYNOMIAL : crc >>> 1;
    tables[byte] = crc;
  }
  for (let i = TABLE_SIZE; i < tables.length; i++) {
    const previous = tables[i - TABLE_SIZE]!;
    tables[i] = (previous >>> 8) ^ tables[previous & 0xff]!;
  }
  return tables;
}

const T = buildTables();

/** The CRC-32C of `bytes`, as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array): number {
  // The `!`s are for noUncheckedIndexedAccess: every index is in range by the loop bounds and the & 0xff masks.
  let crc = -1;
  let i = 0;
  for (const end = bytes.length - 7; i < end; i += 8) {
    const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      T[7 * TABLE_SIZE + (low & 0xff)]! ^
      T[6 * TABLE_SIZE + ((low >>> 8) & 0xff)]! ^
      T[5 * TABLE_SIZE + ((low >>> 16) & 0xff)]! ^
      T[4 * TABLE_SIZE + (low >>> 24)]! ^
      T[3 * TABLE_SIZE + bytes[i + 4]!]! ^
      T[2 * TABLE_SIZE + bytes[i + 5]!]! ^
      T[TABLE_SIZE + bytes[i + 6]!]! ^
      T[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) crc = T[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
