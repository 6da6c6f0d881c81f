-- Hands out the oldest tasks of each given shard whose lease this bridge holds, without taking
-- them off the list: they stay at the tail of the pending list until Kafka has them, and ack.lua
-- then trims them. Only the lease holder reads or trims a list's tail (ingest pushes at the head),
-- so the tail is this bridge's alone. The items themselves are read by an LRANGE in the same
-- MULTI, not here: items that pass through a script are copied into Lua strings and out again.
-- How many were handed out is kept in the shard's in-flight count until the ack, with this drain's
-- token ("<count>:<token>"): the ack trims only if the token is still its own, so a bridge whose
-- lease went to another bridge and came back cannot trim tasks it never handed out. A count still
-- there at a drain means the holder before died before Kafka acknowledged them: those tasks are
-- handed out again first, alone, as recovered, so nothing is lost and order holds.
-- A list of in-flight tasks left by a bridge from before this layout (which moved them out of the
-- pending list) is put back at the tail first, as recovered, so an upgrade loses nothing.
-- ARGV: owner, token, max, depth key, then per shard: lease, pending, in-flight count, old in-flight list.
-- Returns per shard, in order: {0} lease lost, {1, n} fresh, {2, n} recovered: the n oldest items.
local owner, token, max, depthKey = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]

local function restoreOldInflight(pending, count, oldList)
  local n = redis.call('LLEN', oldList)
  if n == 0 then return end
  -- Oldest first in the old list: moved newest first, so the oldest ends up at the very tail.
  for _ = 1, n do redis.call('LMOVE', oldList, pending, 'RIGHT', 'RIGHT') end
  redis.call('SET', count, n .. ':old')
  -- The old layout counted them out of the depth when it moved them; now the ack does.
  redis.call('INCRBY', depthKey, n)
end

local function handOut(lease, pending, count, oldList)
  if redis.call('GET', lease) ~= owner then return {0} end
  restoreOldInflight(pending, count, oldList)
  local length = redis.call('LLEN', pending)
  local unacknowledged = tonumber(string.match(redis.call('GET', count) or '', '^%d+') or '0')
  local n = math.min(unacknowledged > 0 and unacknowledged or max, max, length)
  if n > 0 then redis.call('SET', count, n .. ':' .. token) end
  return {unacknowledged > 0 and 2 or 1, n}
end

local replies = {}
for o = 5, #ARGV, 4 do
  replies[#replies + 1] = handOut(ARGV[o], ARGV[o + 1], ARGV[o + 2], ARGV[o + 3])
end
return replies
