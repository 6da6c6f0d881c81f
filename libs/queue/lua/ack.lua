-- Kafka acknowledged the in-flight batch: drop it and count its tasks as
-- published for the shard (a status read compares a task's place with this
-- count). In the same atomic step as the DEL, so a batch is counted once even
-- when it was produced twice. A bridge that lost its lease must not touch the
-- list: the new owner owns it.
-- KEYS: lease, inflight, published. ARGV: owner, count.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('INCRBY', KEYS[3], ARGV[2])
return 1
