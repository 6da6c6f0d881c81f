-- Takes, renews or releases a shard lease. ARGV: owner, op, ttlMs.
-- acquire: only if free. renew/release: only if still ours.
local current = redis.call('GET', KEYS[1])
if ARGV[2] == 'acquire' then
  if current then return current == ARGV[1] and 1 or 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return 1
end
if current ~= ARGV[1] then return 0 end
if ARGV[2] == 'renew' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('DEL', KEYS[1]) end
return 1
