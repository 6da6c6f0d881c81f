import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';

/** A plain kafkajs client, as a third party would use: the bench does not go through our libs. */
export const createBenchKafka = (brokers: string[]) => new Kafka({ clientId: 'taskstream-bench', brokers, logLevel: logLevel.NOTHING });

/** Partitions of a topic, so peers run on the same partition count as `tasks`. */
export async function partitionsOf(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

/** A dedicated topic with a unique name; delete it with `deleteTopic` when done. */
export async function createBenchTopic(kafka: Kafka, partitions: number): Promise<string> {
  const topic = `bench-ceiling-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function deleteTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}
