import { groupMessagesPerPartition } from './kafkajs-linear-grouping';
import { printedWithBuild } from './kafkajs-samples.test-helpers';

describe('linear kafkajs partition grouping', () => {
  it('when the built library is loaded in plain Node, then kafkajs uses the linear version', () => {
    expect(printedWithBuild("console.log(require('kafkajs/src/producer/groupMessagesPerPartition').name)")).toBe('groupMessagesPerPartition');
  });

  it('when messages are grouped, then each partition keeps its messages in order', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ n: i }));
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata: [{}, {}], messages, partitioner: ({ message }) => (message as { n: number }).n % 3 });
    expect(grouped).toEqual({ 0: [{ n: 0 }, { n: 3 }, { n: 6 }, { n: 9 }], 1: [{ n: 1 }, { n: 4 }, { n: 7 }], 2: [{ n: 2 }, { n: 5 }, { n: 8 }] });
  });

  it('when there is no partition metadata, then nothing is grouped (as kafkajs does)', () => {
    expect(groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages: [{}], partitioner: () => 0 })).toEqual({});
  });
});
