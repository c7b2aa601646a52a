-- Applies one REGISTER to one AOR atomically (RFC 3261 §10.3 steps 6-8).
-- KEYS[1]  contacts hash of the AOR: field = binding key, value = binding JSON (exp, cid, cseq, reg used here)
-- ARGV[1] now (ms)  ARGV[2] Call-ID  ARGV[3] CSeq  ARGV[4] '1' for Contact: *  ARGV[5] max contacts (0 = no limit)
-- ARGV[6] DROP_OLDEST | REJECT  ARGV[7] events channel  ARGV[8] AOR
-- ARGV[9..] pairs: binding key, binding JSON ('' = unbind)
-- Returns { status, earliest, json... }: status OK | STALE | TOO_MANY, the earliest expiry (ms) among the bindings the
-- AOR had before this request (0 for none), and the AOR's live bindings.
local key = KEYS[1]
local now = tonumber(ARGV[1])
local callId = ARGV[2]
local cseq = tonumber(ARGV[3])
local removeAll = ARGV[4] == '1'
local maxContacts = tonumber(ARGV[5])
local reject = ARGV[6] == 'REJECT'
local changed = false

local current = {}
local raw = redis.call('HGETALL', key)
for i = 1, #raw, 2 do
  local b = cjson.decode(raw[i + 1])
  if b.exp <= now then
    redis.call('HDEL', key, raw[i])
    changed = true
  else
    current[raw[i]] = { b = b, json = raw[i + 1] }
  end
end

local before = 0
for _, e in pairs(current) do
  if before == 0 or e.b.exp < before then
    before = e.b.exp
  end
end

local function listing(status)
  local out = { status, before }
  for _, e in pairs(current) do
    out[#out + 1] = e.json
  end
  return out
end

-- RFC 3261 §10.3 step 7: same Call-ID with a lower CSeq aborts the whole request.
-- An equal CSeq is a retransmission of the request already applied: it is applied again (idempotent).
local function stale(e)
  return e ~= nil and e.b.cid == callId and e.b.cseq > cseq
end

if removeAll then
  for _, e in pairs(current) do
    if stale(e) then
      return listing('STALE')
    end
  end
  for k, _ in pairs(current) do
    redis.call('HDEL', key, k)
    changed = true
  end
  current = {}
else
  local present = {}
  local count = 0
  for k, _ in pairs(current) do
    present[k] = true
    count = count + 1
  end
  for i = 9, #ARGV, 2 do
    local k = ARGV[i]
    if stale(current[k]) then
      return listing('STALE')
    end
    local bind = ARGV[i + 1] ~= ''
    if bind and not present[k] then
      count = count + 1
    elseif not bind and present[k] then
      count = count - 1
    end
    present[k] = bind or nil
  end
  if reject and maxContacts > 0 and count > maxContacts then
    return listing('TOO_MANY')
  end
  for i = 9, #ARGV, 2 do
    local k, json = ARGV[i], ARGV[i + 1]
    if json == '' then
      if current[k] then
        redis.call('HDEL', key, k)
        current[k] = nil
        changed = true
      end
    else
      redis.call('HSET', key, k, json)
      current[k] = { b = cjson.decode(json), json = json }
      changed = true
    end
  end
  if maxContacts > 0 and count > maxContacts then
    -- DROP_OLDEST: the least recently registered bindings make room
    while count > maxContacts do
      local oldestKey, oldest = nil, nil
      for k, e in pairs(current) do
        if oldest == nil or e.b.reg < oldest or (e.b.reg == oldest and k < oldestKey) then
          oldestKey, oldest = k, e.b.reg
        end
      end
      redis.call('HDEL', key, oldestKey)
      current[oldestKey] = nil
      count = count - 1
    end
  end
end

-- The hash as a whole never outlives its last binding, even if no sweeper runs.
local maxExp = 0
for _, e in pairs(current) do
  if e.b.exp > maxExp then
    maxExp = e.b.exp
  end
end
if maxExp > 0 then
  redis.call('PEXPIREAT', key, maxExp)
end
if changed then
  redis.call('PUBLISH', ARGV[7], ARGV[8])
end
return listing('OK')
