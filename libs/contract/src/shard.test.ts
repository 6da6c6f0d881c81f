import { shardOf } from './shard';

describe('shardOf', () => {
  it('when the same key comes twice, then it lands on the same shard', () => {
    expect(shardOf('user-42', 16)).toBe(shardOf('user-42', 16));
  });

  it('when many keys are spread, then every shard gets a fair part', () => {
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[shardOf(`user-${i}`, 16)]++;
    expect(Math.min(...counts)).toBeGreaterThan(700);
    expect(Math.max(...counts)).toBeLessThan(1300);
  });
});
