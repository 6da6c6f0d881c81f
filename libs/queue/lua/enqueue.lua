-- Accepts a batch of tasks atomically: refuses the whole batch when the buffer
-- would pass its cap, skips client ids that already have a status (idempotency),
-- writes each new task's "queued" status with its place in its shard (one HSET
-- per run of the same bucket within a shard), and pushes the batch with one
-- variadic LPUSH per shard.
-- The place ("q" = shard:position) lets a status read tell "published" from
-- "queued" by comparing with the shard's published count, so the bridge never
-- writes a per-task status. The caller sends each status up to the place, which
-- only this script knows: value = head .. place .. '"}'.
-- ARGV: prefix, cap, ttlSeconds, n, then n x (status key, field, shard, value head, clientId 0|1, item),
-- then bucket, expireAt pairs.
local prefix, cap, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local n = tonumber(ARGV[4])
local depthKey = prefix .. ':depth'
local depth = tonumber(redis.call('GET', depthKey) or '0')
if depth + n > cap then return {-1, depth} end
local flags = {1}
local perShard, shardOrder = {}, {}
-- Statuses are written after the loop, so a client id repeated within this batch is caught here.
-- Only client-chosen ids can repeat: generated ones skip both checks.
local seen = {}
for i = 0, n - 1 do
  local o = 5 + i * 6
  local repeated = false
  if ARGV[o + 4] == '1' then
    local where = ARGV[o] .. '\0' .. ARGV[o + 1]
    repeated = seen[where] or readStatus(ARGV[o], ARGV[o + 1])
    seen[where] = true
  end
  if repeated then
    flags[i + 2] = 0
  else
    local shard = ARGV[o + 2]
    local group = perShard[shard]
    if not group then group = {items = {}, at = {}}; perShard[shard] = group; shardOrder[#shardOrder + 1] = shard end
    group.items[#group.items + 1] = ARGV[o + 5]
    group.at[#group.at + 1] = o
    flags[i + 2] = 1
  end
end
local accepted = 0
local writer = statusWriter(ttl)
for _, shard in ipairs(shardOrder) do
  local group = perShard[shard]
  local count = #group.items
  accepted = accepted + count
  local first = redis.call('INCRBY', prefix .. ':pushed:' .. shard, count) - count
  for j = 1, count do
    local o = group.at[j]
    writer.write(ARGV[o], ARGV[o + 1], ARGV[o + 3] .. shard .. ':' .. (first + j) .. '"}')
  end
  for j = 1, count, 1000 do
    redis.call('LPUSH', prefix .. ':q:' .. shard, unpack(group.items, j, math.min(j + 999, count)))
  end
end
writer.flush()
if accepted > 0 then redis.call('INCRBY', depthKey, accepted) end
expireBuckets(5 + n * 6)
return flags
