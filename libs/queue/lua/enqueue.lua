-- Accepts a batch of tasks atomically: refuses the whole batch when the buffer
-- would pass its cap, skips client ids that already have a status (idempotency),
-- writes each new task's "queued" status with its place in its shard, and pushes
-- the batch with one variadic LPUSH per shard.
-- The place ("q" = shard:position) lets a status read tell "published" from
-- "queued" by comparing with the shard's published count, so the bridge never
-- writes a per-task status.
-- ARGV: prefix, cap, ttlSeconds, nowMs, n, then n x (id, shard, type, key-or-empty, clientId 0|1, item)
local prefix, cap, ttl, now = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local n = tonumber(ARGV[5])
local depthKey = prefix .. ':depth'
local depth = tonumber(redis.call('GET', depthKey) or '0')
if depth + n > cap then return {-1, depth} end
local flags = {1}
local perShard, shardOrder = {}, {}
-- Statuses are written after the loop, so a client id repeated within this batch is caught here.
local seen = {}
for i = 0, n - 1 do
  local o = 6 + i * 6
  local statusKey = prefix .. ':t:' .. ARGV[o]
  if ARGV[o + 4] == '1' and (seen[statusKey] or redis.call('EXISTS', statusKey) == 1) then
    flags[i + 2] = 0
  else
    seen[statusKey] = true
    local shard = ARGV[o + 1]
    local group = perShard[shard]
    if not group then group = {items = {}, keys = {}, keyFields = {}, types = {}}; perShard[shard] = group; shardOrder[#shardOrder + 1] = shard end
    group.items[#group.items + 1] = ARGV[o + 5]
    group.keys[#group.keys + 1] = statusKey
    group.types[#group.types + 1] = ARGV[o + 2]
    group.keyFields[#group.keyFields + 1] = ARGV[o + 3]
    flags[i + 2] = 1
  end
end
local accepted = 0
for _, shard in ipairs(shardOrder) do
  local group = perShard[shard]
  local count = #group.items
  accepted = accepted + count
  local last = redis.call('INCRBY', prefix .. ':pushed:' .. shard, count)
  for j = 1, count do
    local place = shard .. ':' .. (last - count + j)
    if group.keyFields[j] == '' then
      redis.call('HSET', group.keys[j], 's', 'queued', 'ty', group.types[j], 'c', now, 'q', place)
    else
      redis.call('HSET', group.keys[j], 's', 'queued', 'ty', group.types[j], 'c', now, 'q', place, 'k', group.keyFields[j])
    end
    redis.call('EXPIRE', group.keys[j], ttl)
  end
  for j = 1, count, 1000 do
    redis.call('LPUSH', prefix .. ':q:' .. shard, unpack(group.items, j, math.min(j + 999, count)))
  end
end
if accepted > 0 then redis.call('INCRBY', depthKey, accepted) end
return flags
