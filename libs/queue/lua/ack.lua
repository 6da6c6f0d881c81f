-- Kafka acknowledged the tasks handed out from these shards: trim them off the tail of the
-- pending list, clear the in-flight count and count them as published for the shard (a status
-- read compares a task's place with this count), all in one atomic step, so a batch is counted
-- once even when it was produced twice. A bridge that lost a shard's lease must not touch its
-- list: the new owner hands the same tasks out again.
-- ARGV: owner, depth key, then per shard: lease, pending, in-flight count, published, count.
-- Returns per shard, in order: 1 acknowledged, 0 lease lost.
local owner, depthKey = ARGV[1], ARGV[2]
local replies, acknowledged = {}, 0
for o = 3, #ARGV, 5 do
  if redis.call('GET', ARGV[o]) ~= owner then
    replies[#replies + 1] = 0
  else
    local count = tonumber(ARGV[o + 4])
    redis.call('LTRIM', ARGV[o + 1], 0, -1 - count)
    redis.call('DEL', ARGV[o + 2])
    redis.call('INCRBY', ARGV[o + 3], count)
    acknowledged = acknowledged + count
    replies[#replies + 1] = 1
  end
end
if acknowledged > 0 then redis.call('DECRBY', depthKey, acknowledged) end
return replies
