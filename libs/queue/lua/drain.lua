-- Moves up to max tasks from each given shard's pending list to its in-flight
-- list, oldest first, but only for the shards whose lease this bridge holds. If
-- a shard's in-flight list is not empty, a previous owner died before Kafka
-- acknowledged it: those tasks are returned again first, so nothing is lost and
-- order holds. All of a bridge's shards in one call: Redis spends more on
-- starting a call than on an empty list, and an idle bridge polls them all.
-- ARGV: owner, max, depth key, then per shard: lease, pending, inflight.
-- Returns per shard, in order: {0} lease lost, {1, items} fresh batch, {2, items} recovered batch.
local owner, max, depthKey = ARGV[1], ARGV[2], ARGV[3]
local replies = {}
for o = 4, #ARGV, 3 do
  local lease, pending, inflight = ARGV[o], ARGV[o + 1], ARGV[o + 2]
  local reply
  if redis.call('GET', lease) ~= owner then
    reply = {0}
  else
    local held = redis.call('LRANGE', inflight, 0, -1)
    if #held > 0 then
      reply = {2, held}
    else
      local items = redis.call('RPOP', pending, max)
      if items then
        for j = 1, #items, 1000 do
          redis.call('RPUSH', inflight, unpack(items, j, math.min(j + 999, #items)))
        end
        -- Per list, not once at the end: a script that fails half-way keeps what it did.
        redis.call('DECRBY', depthKey, #items)
        reply = {1, items}
      else
        reply = {1, {}}
      end
    end
  end
  replies[#replies + 1] = reply
end
return replies
