-- Which of these tasks already succeeded or are dead: a redelivery of those is
-- skipped. One script instead of a pipeline of reads: the Redis work is the
-- same, but the client builds and parses one command instead of thousands.
-- ARGV: pairs of status key, field. Returns one flag per pair (1 = finished).
local flags = {}
for i = 1, #ARGV, 2 do
  flags[#flags + 1] = isFinished(readStatus(ARGV[i], ARGV[i + 1])) and 1 or 0
end
return flags
