import { commonFields, loadConfig } from '@taskstream/config';
import { topicNames } from '@taskstream/contract';
import { createKafka, createKafkajsPublisher, kafkaSecurity } from '@taskstream/kafka';
import { createLogger } from '@taskstream/telemetry';
import { createRedis, createRedisStatusStore } from '@taskstream/queue';
import { parseArgs } from 'node:util';
import { describeLetter, printableValue, readDeadLetters } from './dlq-read';
import { matches, planReplay } from './dlq-replay';

export const DLQ_USAGE = `  dlq list                     dead letters: position, task id, error code, attempts, origin, message
  dlq show <partition:offset>  one dead letter with all headers and its value
  dlq replay [--all | --error-code C | --task-id ID… | --at P:O…] [--dry-run]
                               send dead tasks back to the main topic with attempt 1,
                               the same id, key and trace context, and reset their status`;

/** Reads the same environment as the services (KAFKA_BROKERS, REDIS_URL, TASKS_TOPIC, TASKSTREAM_PREFIX…). */
export async function dlq(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { all: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, 'error-code': { type: 'string' }, 'task-id': { type: 'string', multiple: true }, at: { type: 'string', multiple: true } },
  });
  const config = loadConfig(commonFields);
  const topics = topicNames(config.tasksTopic);
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'taskstream-cli', logger: createLogger('taskstream-cli', 'warn'), ...kafkaSecurity(config) });
  const letters = await readDeadLetters(kafka, topics.deadLetter);
  if (action === 'list') {
    letters.forEach((letter) => console.log(describeLetter(letter)));
    console.log(`${letters.length} dead letters in ${topics.deadLetter}`);
    return 0;
  }
  if (action === 'show') {
    const letter = letters.find((l) => `${l.partition}:${l.offset}` === positionals[0]);
    if (!letter) return fail(`no dead letter at ${positionals[0] ?? '(give partition:offset)'}`);
    console.log(JSON.stringify({ partition: letter.partition, offset: letter.offset, key: letter.key, headers: letter.headers, value: printableValue(letter.value) }, null, 2));
    return 0;
  }
  if (action === 'replay') {
    const filter = { errorCode: values['error-code'], taskIds: values['task-id'], positions: values.at };
    if (!values.all && !filter.errorCode && !filter.taskIds && !filter.positions) return fail('say which: --all, --error-code, --task-id or --at');
    return replay(letters.filter((l) => matches(l, filter)).map((l) => planReplay(l, topics)), values['dry-run'] ?? false, { kafka, config });
  }
  return fail(`unknown dlq action "${action ?? ''}"\n${DLQ_USAGE}`);
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

async function replay(plans: ReturnType<typeof planReplay>[], dryRun: boolean, deps: { kafka: ReturnType<typeof createKafka>; config: ReturnType<typeof loadConfig<typeof commonFields>> }): Promise<number> {
  const chosen = plans.flatMap((p) => ('record' in p ? [p] : []));
  for (const p of plans) console.log(`${'record' in p ? (dryRun ? 'would replay' : 'replay') : 'skip'}  ${describeLetter(p.letter)}${'skipped' in p ? `  (${p.skipped})` : ''}`);
  if (dryRun || chosen.length === 0) {
    console.log(`${chosen.length} of ${plans.length} selected dead letters ${dryRun ? 'would be' : 'were'} replayed`);
    return 0;
  }
  const redis = createRedis({ url: deps.config.redisUrl, connectionName: 'taskstream-cli' });
  // Back to a live status first, so the consumer does not skip the replayed task as already finished.
  await createRedisStatusStore({ redis, prefix: deps.config.redisPrefix, statusTtlInSeconds: deps.config.statusTtlInSeconds }).reopen(chosen.map((p) => p.task));
  redis.disconnect();
  const publisher = createKafkajsPublisher({ kafka: deps.kafka });
  await publisher.connect();
  await publisher.publish(chosen.map((p) => p.record));
  await publisher.disconnect();
  console.log(`${chosen.length} of ${plans.length} selected dead letters replayed into ${chosen[0]!.record.topic}`);
  return 0;
}
