-- Deletes the expired bindings of one AOR.
-- KEYS[1] contacts hash; ARGV[1] now (ms); ARGV[2] events channel; ARGV[3] AOR
-- Returns the earliest expiry (ms) among the bindings left, or -1 when none is left.
local raw = redis.call('HGETALL', KEYS[1])
local now = tonumber(ARGV[1])
local minExp = -1
local removed = 0
for i = 1, #raw, 2 do
  local exp = cjson.decode(raw[i + 1]).exp
  if exp <= now then
    redis.call('HDEL', KEYS[1], raw[i])
    removed = removed + 1
  elseif minExp < 0 or exp < minExp then
    minExp = exp
  end
end
if removed > 0 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return minExp
