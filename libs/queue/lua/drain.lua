-- Moves up to max tasks from each given shard's pending list to its in-flight
-- list, oldest first, but only for the shards whose lease this bridge holds. If
-- a shard's in-flight list is not empty, a previous owner died before Kafka
-- acknowledged it: those tasks are returned again first, so nothing is lost and
-- order holds. All of a bridge's shards in one call: Redis spends more on
-- starting a call than on an empty list, and an idle bridge polls them all.
-- ARGV: owner, max, depth key, then per shard: lease, pending, inflight.
-- Returns per shard, in order: {0} lease lost, {1, items} fresh batch, {2, items} recovered batch.
local owner, max, depthKey = ARGV[1], ARGV[2], ARGV[3]

local function drainShard(lease, pending, inflight)
  if redis.call('GET', lease) ~= owner then return {0} end
  local held = redis.call('LRANGE', inflight, 0, -1)
  if #held > 0 then return {2, held} end
  local items = redis.call('RPOP', pending, max)
  if not items then return {1, {}} end
  for j = 1, #items, 1000 do
    redis.call('RPUSH', inflight, unpack(items, j, math.min(j + 999, #items)))
  end
  -- Per list, not once at the end: a script that fails half-way keeps what it did.
  redis.call('DECRBY', depthKey, #items)
  return {1, items}
end

local replies = {}
for o = 4, #ARGV, 3 do
  replies[#replies + 1] = drainShard(ARGV[o], ARGV[o + 1], ARGV[o + 2])
end
return replies
