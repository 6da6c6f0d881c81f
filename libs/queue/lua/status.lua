-- Applies a batch of status transitions. A task already succeeded or dead is
-- never changed again, so a redelivered duplicate cannot regress or double-count
-- it; its flag is 0 so the caller can count the duplicate. A task without a
-- status (a third-party record, or expired) gets one.
-- ARGV: prefix, nowMs, ttlSeconds, n, then n x (id, status, attempts, type, key, detail)
-- detail is the result JSON for "succeeded", the error JSON for "retrying"/"dead".
local prefix, now, ttl, n = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local flags = {}
for i = 0, n - 1 do
  local o = 5 + i * 6
  local key = prefix .. ':t:' .. ARGV[o]
  local status, detail = ARGV[o + 1], ARGV[o + 5]
  local current = redis.call('HGET', key, 's')
  if current == 'succeeded' or current == 'dead' then
    flags[i + 1] = 0
  else
    -- One HSET per task: its detail goes in the same call (the result or the error field).
    if detail == '' then
      redis.call('HSET', key, 's', status, 'a', ARGV[o + 2], 'u', now)
    elseif status == 'succeeded' then
      redis.call('HSET', key, 's', status, 'a', ARGV[o + 2], 'u', now, 'r', detail)
    else
      redis.call('HSET', key, 's', status, 'a', ARGV[o + 2], 'u', now, 'e', detail)
    end
    if not current then
      redis.call('HSET', key, 'ty', ARGV[o + 3], 'k', ARGV[o + 4], 'c', now)
      redis.call('EXPIRE', key, ttl)
    end
    flags[i + 1] = 1
  end
end
return flags
