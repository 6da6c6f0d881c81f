import { consumerSuite, envelopeOf, envelopeRecord, headerOf, produce, readTopic } from '../helpers';

// CONSUMER_PUBLISH_RESULTS: final statuses also go to <topic>.results for stream consumers.
const { topic } = consumerSuite('results', { partitions: 3, env: { CONSUMER_PUBLISH_RESULTS: 'true', CONSUMER_MAX_ATTEMPTS: '1' } });

describe('results topic', () => {
  it('when results are published, then each final status is a record keyed by the task key with its result or error', async () => {
    await produce(topic, [
      envelopeRecord(envelopeOf({ id: 'ok-1', type: 'echo', key: 'user-1', payload: { answer: 42 } })),
      envelopeRecord(envelopeOf({ id: 'bad-1', type: 'fail', key: 'user-2', payload: {} })),
    ]);
    const records = await readTopic(`${topic}.results`, 2, 30_000);
    const byId = Object.fromEntries(records.map((m) => [headerOf(m, 'task-id'), { key: m.key?.toString(), value: JSON.parse(m.value!.toString()) }]));
    expect(byId['ok-1']).toMatchObject({ key: 'user-1', value: { id: 'ok-1', type: 'echo', status: 'succeeded', attempts: 1, result: { answer: 42 } } });
    expect(byId['bad-1']).toMatchObject({ key: 'user-2', value: { id: 'bad-1', status: 'dead', attempts: 1, error: { code: 'HANDLER_FAILED' } } });
  });
});
