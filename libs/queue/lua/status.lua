-- Applies a batch of status transitions. A task already succeeded or dead is
-- never changed again, so a redelivered duplicate cannot regress or double-count
-- it; its flag is 0 so the caller can count the duplicate. Each value is the
-- whole status, written over what was there (a task without a status, from a
-- third party or expired, gets one the same way). A replay of dead letters
-- (replay = 1) reopens finished tasks on purpose.
-- ARGV: ttlSeconds, replay 0|1, n, then n x (status key, field, value), then bucket, expireAt pairs.
local ttl, replay, n = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3])
local current = readStatuses(4, n, 3)
local writer = statusWriter(ttl)
-- Tasks this call finished: the same task twice in one call sees its first write, as it would
-- one call after another. An id names one status, so it is the key when the field is empty.
local finishedHere = {}
local flags = {}
for i = 0, n - 1 do
  local o = 4 + i * 3
  local id = ARGV[o + 1]
  if id == '' then id = ARGV[o] end
  if not replay and (finishedHere[id] or isFinished(current[i + 1])) then
    flags[i + 1] = 0
  else
    writer.write(ARGV[o], ARGV[o + 1], ARGV[o + 2])
    if isFinished(ARGV[o + 2]) then finishedHere[id] = true end
    flags[i + 1] = 1
  end
end
writer.flush()
expireBuckets(4 + n * 3)
return flags
