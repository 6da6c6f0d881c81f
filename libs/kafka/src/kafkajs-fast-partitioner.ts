/**
 * kafkajs 2.2.4's default partitioner hashes each keyed record with murmur2
 * written over its BigInt-backed Long (about ten Longs and BigInts per four key
 * bytes, plus a Buffer of the key), and filters the partition list for
 * available leaders on every record, keyed or not. In an allocation profile of
 * the bridge that was 28% of everything it allocated.
 *
 * `fastDefaultPartitioner` is the same partitioner, given to the producer as its
 * `createPartitioner`: the same hash in 32-bit integer arithmetic (Kafka's Java
 * `Utils.murmur2`, which kafkajs follows: only the low 32 bits of its Longs reach
 * the result), an ASCII string key hashed without making a Buffer of it, and the
 * availability filter only where it is used (records without key). Partitions
 * chosen are kafkajs's (the unit tests compare them).
 */
import { randomBytes } from 'node:crypto';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
/** Longer ASCII keys are rare; they take a Buffer as kafkajs does. */
const SCRATCH_BYTES = 256;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

/** The key's UTF-8 bytes in `scratch` when it is short ASCII (their count), else -1. */
function asciiIntoScratch(key: string): number {
  if (key.length > SCRATCH_BYTES) return -1;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 0x80) return -1;
    scratch[i] = code;
  }
  return key.length;
}

function murmur2Bytes(data: Buffer, length: number): number {
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last one to three bytes, as Java's switch that falls through from case 3 to case 1.
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[whole + 2]! << 16;
    if (tail >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** kafkajs's `murmur2(key)`: a Buffer as it is, anything else as the UTF-8 of `String(key)`. */
export function murmur2(key: unknown): number {
  if (Buffer.isBuffer(key)) return murmur2Bytes(key, key.length);
  const text = String(key);
  const length = asciiIntoScratch(text);
  if (length >= 0) return murmur2Bytes(scratch, length);
  const bytes = Buffer.from(text);
  return murmur2Bytes(bytes, bytes.length);
}

interface PartitionMetadata {
  partitionId: number;
  leader: number;
}
interface PartitionerArgs {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  message: { partition?: number | null; key?: unknown };
}

const toPositive = (x: number) => x & 0x7fffffff;

/** kafkajs's `Partitioners.DefaultPartitioner` (`legacy/partitioner.js` over the Java-compatible murmur2). */
export function fastDefaultPartitioner() {
  const counters: Record<string, number> = {};
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (!(topic in counters)) counters[topic] = randomBytes(32).readUInt32BE(0);
    const numPartitions = partitionMetadata.length;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) return toPositive(murmur2(message.key)) % numPartitions;
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    if (available.length > 0) return available[toPositive(++counters[topic]!) % available.length]!.partitionId;
    // No partition is available: give a non-available one.
    return toPositive(++counters[topic]!) % numPartitions;
  };
}
