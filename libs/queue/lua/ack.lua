-- Kafka acknowledged the in-flight batch: drop it and mark its tasks published
-- (only those still "queued": a fast consumer may already have moved them on).
-- A bridge that lost its lease must not touch the list: the new owner owns it.
-- KEYS: lease, inflight. ARGV: owner, nowMs, prefix, ids...
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
for i = 4, #ARGV do
  local key = ARGV[3] .. ':t:' .. ARGV[i]
  if redis.call('HGET', key, 's') == 'queued' then redis.call('HSET', key, 's', 'published', 'u', ARGV[2]) end
end
return 1
