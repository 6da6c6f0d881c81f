/**
 * kafkajs 2.2.4 groups a produce batch by partition with
 * `reduce(... [...current, message] ...)`, which copies the partition's array
 * for every message: quadratic in messages per partition. At the bridge's
 * batch sizes (tens of thousands of records) that alone cost several µs per
 * record in the profile. This installs a linear version of the same function
 * in the module cache before kafkajs loads the module that requires it, so the
 * package stays unmodified on disk (npm ci, Docker images, CI all get it).
 * Must be imported before `kafkajs`.
 */
import { replaceCachedModule } from './require-cache';

type Partitioner = (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;

export function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: {
  topic: string;
  partitionMetadata: unknown[];
  messages: unknown[];
  partitioner: Partitioner;
}): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

replaceCachedModule(require.resolve('kafkajs/src/producer/groupMessagesPerPartition'), groupMessagesPerPartition);
