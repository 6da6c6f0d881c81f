-- Moves up to max tasks from a shard's pending list to its in-flight list,
-- oldest first, but only for the bridge holding the shard's lease. If the
-- in-flight list is not empty, a previous owner died before Kafka acknowledged
-- it: those tasks are returned again first, so nothing is lost and order holds.
-- KEYS: lease, pending, inflight, depth. ARGV: owner, max.
-- Returns {0} lease lost, {1, items} fresh batch, {2, items} recovered batch.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end
local held = redis.call('LRANGE', KEYS[3], 0, -1)
if #held > 0 then return {2, held} end
local items = redis.call('RPOP', KEYS[2], ARGV[2])
if not items then return {1, {}} end
for j = 1, #items, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(items, j, math.min(j + 999, #items)))
end
redis.call('DECRBY', KEYS[4], #items)
return {1, items}
