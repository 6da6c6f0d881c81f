/**
 * Which Redis list a key goes to. Same key, same list: this is what keeps
 * per-key order through the buffer. FNV-1a is fast and spreads short keys well.
 */
export function shardOf(key: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}
