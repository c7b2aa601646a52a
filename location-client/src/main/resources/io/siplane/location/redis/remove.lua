-- Removes one binding (ARGV[3] = binding key) or all bindings (no ARGV[3]) of an AOR, and
-- with ARGV[4] = '1' its subscriber too.
-- KEYS[1] contacts hash; KEYS[2] subscriber hash; ARGV[1] events channel; ARGV[2] AOR
-- Returns the number of bindings removed (+ 1000000 when a subscriber was removed).
local removed
if ARGV[3] ~= nil and ARGV[3] ~= '' then
  removed = redis.call('HDEL', KEYS[1], ARGV[3])
else
  removed = redis.call('HLEN', KEYS[1])
  redis.call('DEL', KEYS[1])
end
local subscriber = 0
if ARGV[4] == '1' then
  subscriber = redis.call('DEL', KEYS[2])
end
if removed > 0 or subscriber > 0 then
  redis.call('PUBLISH', ARGV[1], ARGV[2])
end
return removed + subscriber * 1000000
