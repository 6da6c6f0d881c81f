-- Applies a batch of status transitions. A task already succeeded or dead is
-- never changed again, so a redelivered duplicate cannot regress or double-count
-- it; its flag is 0 so the caller can count the duplicate. Each value is the
-- whole status, written over what was there (a task without a status, from a
-- third party or expired, gets one the same way). A replay of dead letters
-- (replay = 1) reopens finished tasks on purpose.
-- ARGV: ttlSeconds, replay 0|1, n, then n x (status key, field, value), then bucket, expireAt pairs.
local ttl, replay, n = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3])
-- A replay writes whatever is there: nothing to read.
local current = replay and {} or readStatuses(4, n, 3)
local writer = statusWriter(ttl)
-- Statuses this call finished, by key then field: the same task twice in one call sees its
-- first write, as it would one call after another.
local finishedHere = {}
local flags = {}
for i = 0, n - 1 do
  local o = 4 + i * 3
  local key, field = ARGV[o], ARGV[o + 1]
  local done = finishedHere[key]
  if not replay and ((done and done[field]) or isFinished(current[i + 1])) then
    flags[i + 1] = 0
  else
    writer.write(key, field, ARGV[o + 2])
    if isFinished(ARGV[o + 2]) then
      done = done or {}
      done[field] = true
      finishedHere[key] = done
    end
    flags[i + 1] = 1
  end
end
writer.flush()
expireBuckets(4 + n * 3)
return flags
