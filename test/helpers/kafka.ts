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

/** Deletes the topics of one or more test pipelines in one request; topics never created are fine. */
export async function deleteTaskTopics(...bases: string[]): Promise<void> {
  const topics = bases.flatMap((base) => [base, `${base}.retry`, `${base}.dlq`, `${base}.results`]);
  await withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length) await admin.deleteTopics({ topics: present });
  }).catch(() => undefined);
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

/** How many records a topic holds (sum over partitions of high minus low watermark): exact, no consuming. */
export async function topicRecordCount(topic: string): Promise<number> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** The end offset of one partition: the offset the next record produced to it gets. */
export async function nextOffset(topic: string, partition: number): Promise<number> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return Number(offsets.find((p) => p.partition === partition)?.high ?? 0);
}

/** Records of a topic a consumer group has committed past, over all partitions (a partition without a commit counts 0). */
export async function committedRecordCount(groupId: string, topic: string): Promise<number> {
  const [committed] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return (committed?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** One header of a consumed record as a string. */
export function headerOf(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Reads a topic from the start until a record matches, or fails after the timeout. */
export async function findRecord(topic: string, match: (message: KafkaMessage) => boolean, timeoutInMs = 30_000): Promise<KafkaMessage> {
  const consumer = testKafka.consumer({ groupId: `finder-${topic}-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
  let found: (message: KafkaMessage) => void = () => {};
  const result = new Promise<KafkaMessage>((resolve) => (found = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void (match(message) && found(message)) });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no matching record in ${topic} within ${timeoutInMs} ms`)), timeoutInMs)));
    try {
      return await Promise.race([result, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
  }
}
