/**
 * kafkajs 2.2.4 keeps pending seeks in a Map keyed by
 * `JSON.stringify([topic, partition])`, and builds that key on every
 * `isStale()` of eachBatch. The consumer asks `isActive()` (so `isStale()`)
 * before each task it starts: in the consumer's micro-benchmark the key
 * building was ~4% of its CPU, while the map is empty unless a seek is pending.
 * This installs a subclass that answers `has` from the size first (keys and
 * everything else stay kafkajs's) in the module cache, before the consumer
 * group module loads it. Must be imported before kafkajs.
 */
import { replaceCachedModule } from './require-cache';

interface KafkajsSeekOffsets {
  readonly size: number;
  has(topic: string, partition: number): boolean;
}

const SEEK_OFFSETS_PATH = require.resolve('kafkajs/src/consumer/seekOffsets');
const Original = require(SEEK_OFFSETS_PATH) as new () => KafkajsSeekOffsets;

export class SeekOffsets extends Original {
  override has(topic: string, partition: number): boolean {
    return this.size > 0 && super.has(topic, partition);
  }
}

replaceCachedModule(SEEK_OFFSETS_PATH, SeekOffsets);
