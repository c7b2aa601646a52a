-- Records that an AOR has bindings: in the expiry index (score = earliest expiry, only ever lowered
-- here: the sweeper raises it) and in the listing index.
-- KEYS[1] expiry index (zset); KEYS[2] listing index (zset, lexical); ARGV[1] earliest expiry (ms);
-- ARGV[2] AOR; ARGV[3] listing member ("<domain> <aor>")
redis.call('ZADD', KEYS[1], 'LT', ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[3])
return 1
