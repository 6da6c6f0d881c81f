import { createLogger } from '@taskstream/telemetry';
import { createKafka, kafkaSecurity } from './client';

const logger = createLogger('test', 'silent');
const base = { brokers: ['127.0.0.1:9092'], clientId: 'test', logger };

describe('createKafka', () => {
  it('when no security is set, then it builds a plain client without connecting', () => {
    expect(createKafka(base)).toBeDefined();
  });

  it('when TLS and SASL are fully set, then it builds the client', () => {
    expect(createKafka({ ...base, ssl: true, saslMechanism: 'scram-sha-512', saslUsername: 'u', saslPassword: 'p' })).toBeDefined();
  });

  it('when a SASL mechanism has no password, then it fails at construction with CONFIG_INVALID', () => {
    expect(() => createKafka({ ...base, saslMechanism: 'plain', saslUsername: 'u' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('kafkaSecurity', () => {
  it('when given a service config, then it maps the four fields to client options', () => {
    const options = kafkaSecurity({ kafkaSsl: true, kafkaSaslMechanism: 'plain', kafkaSaslUsername: 'u', kafkaSaslPassword: 'p' });
    expect(options).toEqual({ ssl: true, saslMechanism: 'plain', saslUsername: 'u', saslPassword: 'p' });
  });
});
