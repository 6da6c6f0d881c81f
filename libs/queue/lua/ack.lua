-- Kafka acknowledged the tasks handed out from these shards: trim them off the tail of the
-- pending list, clear the in-flight count and count them as published for the shard (a status
-- read compares a task's place with this count), all in one atomic step, so a batch is counted
-- once even when it was produced twice. A bridge that lost a shard's lease must not touch its
-- list: the new owner hands the same tasks out again. Nor may a bridge whose lease went elsewhere
-- and came back: the in-flight count then carries another drain's token (see drain.lua).
-- ARGV: owner, token, depth key, then per shard: lease, pending, in-flight count, published, count.
-- Returns per shard, in order: 1 acknowledged, 0 lease lost (or held again since another drain).
local owner, token, depthKey = ARGV[1], ARGV[2], ARGV[3]
local replies, acknowledged = {}, 0
for o = 4, #ARGV, 5 do
  if redis.call('GET', ARGV[o]) ~= owner or redis.call('GET', ARGV[o + 2]) ~= ARGV[o + 4] .. ':' .. token then
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
