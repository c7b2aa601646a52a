-- Records the highest nonce-count of a nonce (RFC 7616 §3.4) unless it is a replay.
-- KEYS[1] nonce-count key; ARGV[1] nc (decimal); ARGV[2] fingerprint of the request (Call-ID and CSeq);
-- ARGV[3] time to keep the entry (ms). The value is "<nc> <fingerprint>".
-- Returns 1 when accepted (a higher nc, or the same nc from the same request: a retransmission), 0 for a replay.
local nc = tonumber(ARGV[1])
local previous = redis.call('GET', KEYS[1])
if previous then
  local space = string.find(previous, ' ', 1, true)
  local previousNc = tonumber(string.sub(previous, 1, space - 1))
  if nc < previousNc then
    return 0
  end
  if nc == previousNc then
    if string.sub(previous, space + 1) == ARGV[2] then
      return 1
    end
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2], 'PX', ARGV[3])
return 1
