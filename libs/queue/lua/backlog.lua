-- Backlog of the buffer lists for metrics: per list its length and the createdAt
-- of its oldest task (the tail: ingest pushes at the head, the bridge pops at the
-- tail). Only the tail's last bytes are searched and nothing large leaves Redis:
-- the envelope ends with createdAt, attempt and maxAttempts, after the payload.
-- ARGV: list keys. Returns per list {depth, createdAt or -1}.
local out = {}
for i, key in ipairs(ARGV) do
  local depth = redis.call('LLEN', key)
  local created = -1
  if depth > 0 then
    local tail = redis.call('LINDEX', key, -1)
    local found = string.match(string.sub(tail, -120), '"createdAt":(%d+)')
    if found then created = tonumber(found) end
  end
  out[i] = {depth, created}
end
return out
