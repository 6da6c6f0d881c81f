import type { TaskEnvelope } from '@taskstream/contract';
import type { IncomingRecord } from '@taskstream/kafka';
import { createMetricsRegistry } from '@taskstream/telemetry';
import { observeStageWaits } from './instrument';
import { createConsumerMetrics } from './metrics';

const record = (timestamp: number): IncomingRecord => ({ topic: 'tasks', partition: 0, offset: '1', key: 'k', value: null, headers: {}, header: () => undefined, timestamp });
const task = (createdAt: number, attempt = 1): TaskEnvelope => ({ id: 't', type: 'noop', key: 'k', payload: null, createdAt, attempt });

async function sums(metrics: ReturnType<typeof createConsumerMetrics>) {
  const value = async (h: typeof metrics.redisWait) => (await h.get()).values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = async (h: typeof metrics.redisWait) => (await h.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  return { redis: await value(metrics.redisWait), redisCount: await count(metrics.redisWait), kafka: await value(metrics.kafkaWait), kafkaCount: await count(metrics.kafkaWait) };
}

describe('stage waits', () => {
  it('when a first attempt starts, then the Redis wait is createdAt → record timestamp and the Kafka wait is timestamp → now', async () => {
    const metrics = createConsumerMetrics(createMetricsRegistry('test'));
    observeStageWaits(metrics.forType('noop'), record(10_500), task(10_000), 12_000);
    expect(await sums(metrics)).toEqual({ redis: 0.5, redisCount: 1, kafka: 1.5, kafkaCount: 1 });
  });

  it('when the record never was in Redis (third party) or is a retry, then no Redis wait is invented', async () => {
    const metrics = createConsumerMetrics(createMetricsRegistry('test'));
    observeStageWaits(metrics.forType('noop'), record(10_500), task(11_000), 12_000);
    observeStageWaits(metrics.forType('noop'), record(10_500), task(10_000, 2), 12_000);
    expect(await sums(metrics)).toMatchObject({ redisCount: 0, kafkaCount: 1 });
  });
});
