import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { Logger } from '@taskstream/telemetry';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Default: 10000 ms. */
  connectionTimeoutInMs?: number;
  /** TLS to the brokers with the system CAs. Default: false. */
  ssl?: boolean;
  /** SASL mechanism; empty or undefined = no SASL. Needs `saslUsername` and `saslPassword`. */
  saslMechanism?: KafkaSaslMechanism | '';
  saslUsername?: string;
  saslPassword?: string;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** The kafkajs SASL block, or undefined when SASL is off; a half-configured SASL is a config error. */
function saslOptions(options: KafkaClientOptions): SASLOptions | undefined {
  const { saslMechanism: mechanism, saslUsername: username = '', saslPassword: password = '' } = options;
  if (!mechanism) return undefined;
  if (!username || !password) {
    // Caught here rather than as an authentication failure minutes later, on every reconnect.
    throw new TaskstreamError(ErrorCodes.CONFIG_INVALID, `invalid configuration: SASL mechanism ${mechanism} needs a user name and a password`);
  }
  return { mechanism, username, password };
}

/** kafkajs with its logs sent to our pino logger (JSON, trace ids) instead of the console. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl ?? false,
    sasl: saslOptions(options),
    connectionTimeout: options.connectionTimeoutInMs ?? 10_000,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[LEVELS[level] ?? 'info']({ kafka: rest }, message);
      },
    retry: { initialRetryTime: 100, retries: 10 },
  });
}

/** The TLS and SASL settings of a service config built from `commonFields`, as `createKafka` options. */
export function kafkaSecurity(config: {
  kafkaSsl: boolean;
  kafkaSaslMechanism: KafkaSaslMechanism | '';
  kafkaSaslUsername: string;
  kafkaSaslPassword: string;
}): Pick<KafkaClientOptions, 'ssl' | 'saslMechanism' | 'saslUsername' | 'saslPassword'> {
  return { ssl: config.kafkaSsl, saslMechanism: config.kafkaSaslMechanism, saslUsername: config.kafkaSaslUsername, saslPassword: config.kafkaSaslPassword };
}
