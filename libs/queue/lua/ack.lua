-- Kafka acknowledged the in-flight batches of these shards: drop each and count
-- its tasks as published for the shard (a status read compares a task's place
-- with this count). In the same atomic step as the DEL, so a batch is counted
-- once even when it was produced twice. A bridge that lost a shard's lease must
-- not touch its list: the new owner owns it.
-- ARGV: owner, then per shard: lease, inflight, published, count.
-- Returns per shard, in order: 1 acknowledged, 0 lease lost.
local owner = ARGV[1]
local replies = {}
for o = 2, #ARGV, 4 do
  if redis.call('GET', ARGV[o]) ~= owner then
    replies[#replies + 1] = 0
  else
    redis.call('DEL', ARGV[o + 1])
    redis.call('INCRBY', ARGV[o + 2], ARGV[o + 3])
    replies[#replies + 1] = 1
  end
end
return replies
