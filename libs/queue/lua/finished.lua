-- Which of these tasks already succeeded or are dead: a redelivery of those is
-- skipped. One script instead of a pipeline of reads: the Redis work is the
-- same, but the client builds and parses one command instead of thousands.
-- ARGV: pairs of status key, field. Returns one flag per pair (1 = finished).
local count = #ARGV / 2
local values = readStatuses(1, count, 2)
local flags = {}
for i = 1, count do
  flags[i] = isFinished(values[i]) and 1 or 0
end
return flags
