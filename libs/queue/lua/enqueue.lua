-- Accepts a batch of tasks atomically: refuses the whole batch when the buffer
-- would pass its cap, skips ids that already have a status (idempotent client
-- ids), writes the "queued" status and pushes each new task onto its shard list
-- with one variadic LPUSH per shard.
-- ARGV: prefix, shardCount, cap, ttlSeconds, nowMs, n, then n x (id, shard, type, key-or-empty, item)
local prefix, shards, cap, ttl, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local n = tonumber(ARGV[6])
local depth = 0
for s = 0, shards - 1 do depth = depth + redis.call('LLEN', prefix .. ':q:' .. s) end
if depth + n > cap then return {-1, depth} end
local flags = {1}
local perShard = {}
for i = 0, n - 1 do
  local o = 7 + i * 5
  local statusKey = prefix .. ':t:' .. ARGV[o]
  if redis.call('EXISTS', statusKey) == 0 then
    if ARGV[o + 3] == '' then
      redis.call('HSET', statusKey, 's', 'queued', 'ty', ARGV[o + 2], 'a', 0, 'c', now, 'u', now)
    else
      redis.call('HSET', statusKey, 's', 'queued', 'ty', ARGV[o + 2], 'k', ARGV[o + 3], 'a', 0, 'c', now, 'u', now)
    end
    redis.call('EXPIRE', statusKey, ttl)
    local shard = ARGV[o + 1]
    local items = perShard[shard]
    if not items then items = {}; perShard[shard] = items end
    items[#items + 1] = ARGV[o + 4]
    flags[i + 2] = 1
  else
    flags[i + 2] = 0
  end
end
for shard, items in pairs(perShard) do
  for j = 1, #items, 1000 do
    redis.call('LPUSH', prefix .. ':q:' .. shard, unpack(items, j, math.min(j + 999, #items)))
  end
end
return flags
