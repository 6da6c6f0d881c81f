import { SeekOffsets } from './kafkajs-seek-offsets';
import { printedWithBuild } from './kafkajs-samples.test-helpers';

describe('kafkajs seek offsets without a key per lookup', () => {
  it('when the built library is loaded in plain Node, then the consumer group gets the subclass', () => {
    // kafkajs's own class extends Map; the installed one extends kafkajs's.
    expect(printedWithBuild("console.log(Object.getPrototypeOf(require('kafkajs/src/consumer/seekOffsets')).name)")).toBe('SeekOffsets');
  });

  it('when seeks are pending, then has and pop answer as kafkajs does', () => {
    const seeks = new SeekOffsets() as SeekOffsets & { set(topic: string, partition: number, offset: string): void; pop(topic: string, partition: number): unknown };
    expect(seeks.has('tasks', 0)).toBe(false);
    seeks.set('tasks', 0, '42');
    expect([seeks.has('tasks', 0), seeks.has('tasks', 1), seeks.has('other', 0)]).toEqual([true, false, false]);
    expect(seeks.pop('tasks', 1)).toBeUndefined();
    expect(seeks.pop('tasks', 0)).toEqual({ topic: 'tasks', partition: 0, offset: '42' });
    expect(seeks.has('tasks', 0)).toBe(false);
  });
});
