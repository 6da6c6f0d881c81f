-- Shared by the scripts that read or write task statuses (loaded in front of each).
-- A status is one JSON value, in a field of a bucket hash (field = the id) or in a key of its own
-- (field empty, with its own TTL); see status-location.ts for which and why.
-- Consecutive statuses in one bucket are read and written with one HMGET / HSET per run, not one
-- command per task: each redis.call from Lua costs Redis about as much as the work it does.

-- Most statuses per HMGET, MGET or HSET (unpack needs a stack slot per argument).
local RUN = 1000

local function readStatus(key, field)
  if field == '' then return redis.call('GET', key) end
  return redis.call('HGET', key, field)
end

-- The statuses of `count` entries of ARGV starting at `first`, `stride` apart (key, field at the
-- start of each): one HMGET per run of fields of the same bucket, one MGET per run of own keys.
-- A missing status is false.
local function readStatuses(first, count, stride)
  local values, i = {}, 0
  while i < count do
    local o = first + i * stride
    local key, own = ARGV[o], ARGV[o + 1] == ''
    local names, j = {}, i
    while j < count and j - i < RUN do
      local p = first + j * stride
      if own then
        if ARGV[p + 1] ~= '' then break end
        names[j - i + 1] = ARGV[p]
      else
        if ARGV[p] ~= key or ARGV[p + 1] == '' then break end
        names[j - i + 1] = ARGV[p + 1]
      end
      j = j + 1
    end
    local got
    if own then got = redis.call('MGET', unpack(names)) else got = redis.call('HMGET', key, unpack(names)) end
    for k = 1, #names do values[i + k] = got[k] end
    i = j
  end
  return values
end

-- Buffers bucket writes and sends each run of the same bucket as one HSET; call flush() at the
-- end. Own keys are written at once (SET EX): they are not in a bucket. A field written twice
-- keeps its last value, as two writes in a row would.
local function statusWriter(ttl)
  local bucket, args = nil, {}
  local writer = {}
  function writer.flush()
    if #args > 0 then redis.call('HSET', bucket, unpack(args)) end
    args = {}
  end
  function writer.write(key, field, value)
    if field == '' then
      redis.call('SET', key, value, 'EX', ttl)
      return
    end
    if key ~= bucket or #args >= 2 * RUN then
      writer.flush()
      bucket = key
    end
    args[#args + 1] = field
    args[#args + 1] = value
  end
  return writer
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
