-- Creates a subscriber unless it exists. KEYS[1] subscriber hash; ARGV[1] events channel; ARGV[2] AOR;
-- ARGV[3..] field, value pairs. Returns 1 when created, 0 when it existed.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
