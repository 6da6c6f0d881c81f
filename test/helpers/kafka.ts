import { Kafka, logLevel, Partitioners, type Admin, type IHeaders, type KafkaMessage } from 'kafkajs';
import { KAFKA_BROKERS } from './env';

export const testKafka = new Kafka({ clientId: 'taskstream-tests', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });

async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates the main, retry, dead-letter and results topics of a test pipeline. */
export async function createTaskTopics(base: string, partitions: number): Promise<void> {
  await withAdmin((admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: base, numPartitions: partitions },
        { topic: `${base}.retry`, numPartitions: partitions },
        { topic: `${base}.dlq`, numPartitions: 1 },
        { topic: `${base}.results`, numPartitions: partitions },
      ],
    }),
  );
}

export async function deleteTaskTopics(base: string): Promise<void> {
  await withAdmin((admin) => admin.deleteTopics({ topics: [base, `${base}.retry`, `${base}.dlq`, `${base}.results`] })).catch(() => undefined);
}

export async function produce(topic: string, messages: { key?: string; value: string | Buffer | null; headers?: IHeaders }[]): Promise<void> {
  const producer = testKafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 5000) await producer.send({ topic, messages: messages.slice(i, i + 5000), acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

/** Reads a topic from the start until `count` records arrived or the timeout passed. */
export async function readTopic(topic: string, count: number, timeoutInMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = testKafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 100 });
  const seen: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({ eachMessage: async ({ message }) => { seen.push(message); if (seen.length >= count) done(); } });
  const timer = setTimeout(done, timeoutInMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return seen;
}
