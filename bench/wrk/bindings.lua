-- wrk script: GET /api/v1/bindings/{aor} for users user000001..userN of the bench (WRK_USERS, WRK_DOMAIN), in a
-- random order; WRK_DELAY_MS paces each connection (wrk has no fixed-rate mode).
local users = tonumber(os.getenv("WRK_USERS") or "10000")
local domain = os.getenv("WRK_DOMAIN") or "siplane.test"
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  local user = string.format("user%06d", math.random(1, users))
  return wrk.format("GET", "/api/v1/bindings/" .. user .. "@" .. domain)
end

if pause > 0 then
  function delay()
    return pause
  end
end
