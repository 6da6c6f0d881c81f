-- Shared by the scripts that read or write task statuses (loaded in front of each).
-- A status is one JSON value, in a field of a bucket hash (field = the id) or in a key of its own
-- (field empty, with its own TTL); see status-location.ts for which and why.
local function readStatus(key, field)
  if field == '' then return redis.call('GET', key) end
  return redis.call('HGET', key, field)
end

local function writeStatus(key, field, value, ttl)
  if field == '' then
    redis.call('SET', key, value, 'EX', ttl)
  else
    redis.call('HSET', key, field, value)
  end
end

-- Values begin with their status ({"s":"succeeded",...): no JSON decoding in Redis.
local function isFinished(value)
  return value and (string.sub(value, 1, 16) == '{"s":"succeeded"' or string.sub(value, 1, 11) == '{"s":"dead"')
end

-- ARGV from index `first` on: bucket, expireAt pairs. NX gives a new bucket its expiry, GT only
-- ever moves an existing one later, so a status outlives the retention after its last write.
local function expireBuckets(first)
  for i = first, #ARGV, 2 do
    if redis.call('EXPIREAT', ARGV[i], ARGV[i + 1], 'NX') == 0 then
      redis.call('EXPIREAT', ARGV[i], ARGV[i + 1], 'GT')
    end
  end
end
