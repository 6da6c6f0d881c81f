import { fastDefaultPartitioner, murmur2 } from './kafkajs-fast-partitioner';
import { randomSource } from './kafkajs-samples.test-helpers';

// Jest keeps its own module registry, so requiring these paths here gives kafkajs's originals.
const originalMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: unknown) => number;
const { DefaultPartitioner } = require('kafkajs/src/producer/partitioners') as { DefaultPartitioner: () => Partitioner };
type Partitioner = (args: { topic: string; partitionMetadata: { partitionId: number; leader: number }[]; message: { key?: unknown; partition?: number | null } }) => number;

const TEXTS = ['', 'a', 'ab', 'abc', 'abcd', 'k-1234', 'task-0001', 'héllo', '日本語', '🚀', 'x'.repeat(255), 'y'.repeat(256), 'z'.repeat(300), 'é'.repeat(40)];

function sampleKeys(): unknown[] {
  const r = randomSource(3);
  const buffers = Array.from({ length: 300 }, () => Buffer.from(Array.from({ length: r.int(40) }, () => r.int(256))));
  const strings = Array.from({ length: 300 }, () => String.fromCharCode(...Array.from({ length: r.int(40) }, () => r.pick([r.int(128), r.int(0x800), r.int(0xd800)]))));
  return [...TEXTS, ...buffers, ...strings, 0, 42, -7, 1.5, true, { toString: () => 'object key' }];
}

const partitions = (count: number, leaderless: number[] = []) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 1 }));

describe('fast kafkajs partitioner', () => {
  it('when keys of every kind are hashed, then murmur2 equals kafkajs 2.2.4 (Kafka Java) for each', () => {
    const keys = sampleKeys();
    expect(keys.map(murmur2)).toEqual(keys.map(originalMurmur2));
  });

  it('when records are keyed or name their partition, then the partition equals kafkajs 2.2.4 default partitioner', () => {
    const ours = fastDefaultPartitioner();
    const theirs = DefaultPartitioner();
    for (const count of [1, 3, 12, 16, 100]) {
      const partitionMetadata = partitions(count, [0]);
      for (const key of sampleKeys()) {
        const message = { key };
        expect(ours({ topic: 'tasks', partitionMetadata, message })).toBe(theirs({ topic: 'tasks', partitionMetadata, message }));
      }
      expect(ours({ topic: 'tasks', partitionMetadata, message: { partition: count - 1, key: 'k' } })).toBe(count - 1);
    }
  });

  it('when records have no key, then they go round the partitions with a leader, or round all when none has one', () => {
    const partitioner = fastDefaultPartitioner();
    const someLeaderless = partitions(6, [1, 4]);
    const chosen = Array.from({ length: 8 }, () => partitioner({ topic: 'a', partitionMetadata: someLeaderless, message: { key: null } }));
    const available = [0, 2, 3, 5];
    const start = available.indexOf(chosen[0]!);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(chosen).toEqual(chosen.map((_, i) => available[(start + i) % available.length]));
    const noneAvailable = Array.from({ length: 4 }, () => partitioner({ topic: 'b', partitionMetadata: partitions(3, [0, 1, 2]), message: {} }));
    expect(noneAvailable).toEqual(noneAvailable.map((_, i) => (noneAvailable[0]! + i) % 3));
  });
});
