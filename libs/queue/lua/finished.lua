-- Which of these tasks already succeeded or are dead: a redelivery of those is
-- skipped. One script instead of a pipeline of HGETs: the Redis work is the
-- same, but the client builds and parses one command instead of thousands.
-- ARGV: prefix, ids... Returns one flag per id (1 = finished).
local flags = {}
for i = 2, #ARGV do
  local status = redis.call('HGET', ARGV[1] .. ':t:' .. ARGV[i], 's')
  flags[i - 1] = (status == 'succeeded' or status == 'dead') and 1 or 0
end
return flags
