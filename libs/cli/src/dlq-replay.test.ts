import { Headers, topicNames } from '@taskstream/contract';
import { planReplay } from './dlq-replay';

describe('planReplay', () => {
  it('when a dead letter is replayed, then it goes back to the main topic at attempt 1 with its id and trace headers, without the dead-letter headers or the bridge\'s first-send mark', () => {
    const headers = {
      [Headers.traceparent]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      [Headers.taskType]: 'fail',
      [Headers.firstSend]: '1',
      [Headers.errorCode]: 'HANDLER_FAILED',
      [Headers.errorMessage]: 'fails as asked',
      [Headers.attempts]: '3',
      [Headers.originTopic]: 'tasks',
      [Headers.originPartition]: '2',
      [Headers.originOffset]: '41',
    };
    const value = Buffer.from(JSON.stringify({ id: 't-1', type: 'fail', key: 'k', payload: {}, createdAt: 5, attempt: 3 }));
    const plan = planReplay({ partition: 0, offset: '7', key: 'k', value, headers }, topicNames('tasks'));
    if (!('record' in plan)) throw new Error(`skipped: ${plan.skipped}`);
    expect(plan.record.topic).toBe('tasks');
    expect(plan.record.headers).toEqual({ [Headers.traceparent]: headers.traceparent, [Headers.taskType]: 'fail', [Headers.taskId]: 't-1' });
    expect(JSON.parse(String(plan.record.value))).toMatchObject({ id: 't-1', attempt: 1 });
  });
});
