// Imported, not the global: on Node 20 the global `Buffer` is a getter.
import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

/** A UUID version 7 in lowercase: 48 bits of Unix time in ms, the version, the variant, random bits (RFC 9562). */
const TIME_ORDERED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
/** Random bytes an id takes: 74 random bits (RFC 9562's rand_a and rand_b) in 10 bytes. */
const RANDOM_BYTES_PER_ID = 10;
/** Refilled from the system's CSPRNG once per this many ids. */
const RANDOM_POOL_IDS = 1024;

// The id is written as ASCII into one scratch buffer and read out as one string: randomUUID()
// plus a slice and a concatenation made ~670 bytes of intermediate strings per id (an allocation
// profile of ingest), a fifth of all it allocated.
const scratch = Buffer.alloc(36);
const randomPool = Buffer.alloc(RANDOM_BYTES_PER_ID * RANDOM_POOL_IDS);
let randomOffset = randomPool.length;
// The time part is the same for every id made with one `now` (a batch): written once.
let lastTime = -1;

function writeHex(byte: number, at: number): void {
  scratch[at] = HEX[byte >> 4]!;
  scratch[at + 1] = HEX[byte & 15]!;
}

function writeTime(nowInMs: number): void {
  // 48 bits: the high 16 and the low 32, as 12 hex digits around the first dash.
  const high = Math.floor(nowInMs / 2 ** 32);
  const low = nowInMs >>> 0;
  writeHex(high >> 8, 0);
  writeHex(high & 255, 2);
  writeHex(low >>> 24, 4);
  writeHex((low >>> 16) & 255, 6);
  scratch[8] = DASH;
  writeHex((low >>> 8) & 255, 9);
  writeHex(low & 255, 11);
  scratch[13] = DASH;
  scratch[14] = 0x37; // '7': the version
}

/**
 * A new task id: a UUID version 7, so the id itself tells when the task was
 * created. The status store files a status under that time (see
 * libs/queue's status-location.ts) and finds it again from the id alone.
 */
export function newTaskId(nowInMs: number): string {
  if (nowInMs !== lastTime) {
    lastTime = nowInMs;
    writeTime(nowInMs);
  }
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const r = randomOffset;
  randomOffset += RANDOM_BYTES_PER_ID;
  const pool = randomPool;
  // rand_a: 12 bits after the version digit.
  scratch[15] = HEX[pool[r]! & 15]!;
  writeHex(pool[r + 1]!, 16);
  scratch[18] = DASH;
  // The variant (binary 10) and the first 6 of rand_b's 62 bits.
  writeHex(0x80 | (pool[r + 2]! & 0x3f), 19);
  writeHex(pool[r + 3]!, 21);
  scratch[23] = DASH;
  for (let i = 0; i < 6; i++) writeHex(pool[r + 4 + i]!, 24 + 2 * i);
  return scratch.toString('latin1', 0, 36);
}

/** Creation time (epoch ms) carried by a time-ordered id; undefined for any other id. */
export function timeOfTaskId(id: string): number | undefined {
  if (id.length !== 36 || !TIME_ORDERED_ID.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
