# shellcheck shell=bash
# Siplane under test: started with the project's ./run.sh, subscribers provisioned through the REST API.

# PLATFORM_ROOT: the checkout whose ./run.sh is started (default: this repository)

siplane_start() { # replicas
    local replicas=$1
    step "Starting Siplane with $replicas proxy replica(s) (./run.sh start, PORT_OFFSET=$PORT_OFFSET)"
    "$PLATFORM_ROOT/run.sh" status >/dev/null 2>&1
    [ $? = 3 ] || die "a Siplane started by $PLATFORM_ROOT/run.sh is already running: stop it first (./run.sh stop)"
    # the load comes from one address: the gateway's per-source SIP flood limit and the per-client REST rate limits
    # (gateway and location-service) would drop or refuse it
    if ! env PROXY_REPLICAS="$replicas" PORT_OFFSET="$PORT_OFFSET" SIP_DOMAIN="$DOMAIN" PLATFORM_API_TOKEN="$API_TOKEN" \
        DEMO_SUBSCRIBERS= RUN_PARALLEL="${RUN_PARALLEL:-1}" GATEWAY_FLOOD_ALLOW=127.0.0.1/32 \
        SIPLANE_API_RATELIMIT_ENABLED=false GATEWAY_HTTP_RATELIMIT_ENABLED=false ${BENCH_JAVA_OPTS:+JAVA_OPTS="$BENCH_JAVA_OPTS"} \
        "$PLATFORM_ROOT/run.sh" start >"$OUT/run-start-$replicas.log" 2>&1; then
        tail -n 30 "$OUT/run-start-$replicas.log" >&2
        die "./run.sh start failed (log: $OUT/run-start-$replicas.log)"
    fi
    note "$(grep -c 'is healthy' "$OUT/run-start-$replicas.log") services healthy"
    SIPLANE_UP=yes PRE_STEP_HOOK=siplane_await_targets
    SIP_HOST=127.0.0.1 SIP_PORT=$((5060 + PORT_OFFSET)) REDIRECT_PORT=$((5090 + PORT_OFFSET))
    LOCATION_HTTP=$((8081 + PORT_OFFSET)) GATEWAY_HTTP=$((8080 + PORT_OFFSET)) GATEWAY_MGMT=$((8090 + PORT_OFFSET))
    REDIS_PORT=$((6399 + PORT_OFFSET))
    MON_NAMES=() MON_PIDS=()
    local name pid
    for name in gateway registrar-service $(for ((i = 1; i <= replicas; i++)); do echo "proxy-service-$i"; done) \
        redirect-service location-service redis-server; do
        pid=$(cat "$PLATFORM_ROOT/.run/pids/$name.pid" 2>/dev/null) || continue
        kill -0 "$pid" 2>/dev/null || continue
        MON_NAMES+=("${name/-service/}") MON_PIDS+=("$pid")
    done
    note "monitored: $(paste -d= <(printf '%s\n' "${MON_NAMES[@]}") <(printf '%s\n' "${MON_PIDS[@]}") | tr '\n' ' ')"
}

# Waits (at most 20 s) until the gateway has every registrar and proxy replica in rotation again.
siplane_await_targets() {
    local deadline=$(($(now_ms) + 20000)) body
    while :; do
        body=$(curl -s -m 2 "http://127.0.0.1:$GATEWAY_MGMT/actuator/health/readiness" 2>/dev/null)
        case "$body" in
            *'"sipTargets"'*) [ -z "$(grep -o '"[0-9.]*:[0-9]*":"[A-Z_]*"' <<<"$body" | grep -v '":"UP"')" ] && return 0 ;;
        esac
        [ "$(now_ms)" -lt "$deadline" ] || { warn "gateway targets not all UP after 20 s: $body"; return 0; }
        sleep 0.5
    done
}

siplane_stop() {
    [ "${SIPLANE_UP:-}" = yes ] || return 0
    step "Stopping Siplane"
    PORT_OFFSET="$PORT_OFFSET" "$PLATFORM_ROOT/run.sh" stop >"$OUT/run-stop.log" 2>&1 || warn "./run.sh stop failed (see $OUT/run-stop.log)"
    SIPLANE_UP=no
}

# POSTs the subscribers of a users CSV (plus extra user:password pairs) to the REST API, 16 at a time.
siplane_provision() { # csv extra...
    local csv=$1 cfg="$OUT/provision.curl" t0 codes
    shift
    t0=$(now_ms)
    {
        tail -n +2 "$csv" | awk -F';' '{ print $1 ";" $2 ";" $3 }'
        for extra in "$@"; do printf '%s;%s;%s\n' "${extra%%:*}" "$DOMAIN" "${extra#*:}"; done
    } | awk -F';' -v url="http://127.0.0.1:$LOCATION_HTTP/api/v1/subscribers" -v token="$API_TOKEN" '{
        if (NR > 1) print "next"
        printf "url = \"%s\"\nheader = \"Authorization: Bearer %s\"\nheader = \"Content-Type: application/json\"\n", url, token
        printf "data = \"{\\\"username\\\":\\\"%s\\\",\\\"domain\\\":\\\"%s\\\",\\\"password\\\":\\\"%s\\\"}\"\n", $1, $2, $3
        printf "output = \"/dev/null\"\nwrite-out = \"%%{http_code}\\\\n\"\n" }' >"$cfg"
    codes=$(curl -s -Z --parallel-max 16 -K "$cfg" 2>/dev/null | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
    note "provisioned through POST /api/v1/subscribers in $(($(now_ms) - t0)) ms: HTTP $codes"
    case "$codes" in *201*) ;; *) die "provisioning failed: $codes" ;; esac
    case "$codes" in *" "[0-9]*"×"[!2]* | [0-9]*"×"[!2]*) warn "some subscribers were not created: $codes" ;; esac
}

# One Redis command over bash's /dev/tcp (no redis-cli needed); prints the reply's lines.
redis_cmd() { # port command...
    local port=$1 fd line
    shift
    { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    printf '%s\r\n' "$*" >&"$fd"
    IFS= read -r -t 2 line <&"$fd"
    line=${line%$'\r'}
    case "$line" in
        \$*) timeout 2 head -c "${line:1}" <&"$fd" | tr -d '\r' ;;
        *) printf '%s\n' "$line" ;;
    esac
    exec {fd}>&-
}

redis_used_memory() { redis_cmd "$REDIS_PORT" INFO memory | awk -F: '$1 == "used_memory" { print $2 + 0 }'; }
# AORs with bindings: the listing index of the store's schema (location-service/README.md)
redis_aors() { redis_cmd "$REDIS_PORT" ZCARD 'loc:{index}:aors' | tr -d ':'; }

# HTTP lookups with wrk: the highest throughput (closed loop) and latency at a moderate paced rate.
rest_measure() { # label port seconds
    local label=$1 port=$2 secs=$3
    local dir="$OUT/rest-$label"
    mkdir -p "$dir"
    local common=(-s "$BENCH/wrk/bindings.lua" -H "Authorization: Bearer $API_TOKEN" --latency "http://127.0.0.1:$port")
    local before box_before t0
    # warm-up, not counted: the SIP warm-up does not touch the HTTP path, and a cold gateway answered a third of
    # what it does once its JIT has compiled the route (277 lookups/s cold, 924/s after ~16 s of traffic)
    WRK_USERS=$USER_COUNT WRK_DOMAIN=$DOMAIN timeout $((secs + 10)) wrk -t2 -c32 -d"${secs}s" "${common[@]}" >"$dir/warmup.txt" 2>&1
    before=$(monitor_snapshot) box_before=$(box_jiffies) t0=$(now_ms)
    WRK_USERS=$USER_COUNT WRK_DOMAIN=$DOMAIN timeout $((secs + 10)) wrk -t2 -c32 -d"${secs}s" "${common[@]}" >"$dir/max.txt" 2>&1
    local after box_after wall_ms=$(($(now_ms) - t0))
    after=$(monitor_snapshot) box_after=$(box_jiffies)
    REST_CPU=$(cpu_percents "$before" "$after" "$wall_ms")
    REST_BOX=$(box_percent "$box_before" "$box_after")
    REST_RATE=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$dir/max.txt")
    REST_ERRORS=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i } END { print n + 0 }' "$dir/max.txt")
    REST_P50=$(wrk_pct "$dir/max.txt" 50%)
    REST_P99=$(wrk_pct "$dir/max.txt" 99%)
    # paced: 8 connections, each waiting WRK_DELAY_MS between requests (wrk has no fixed-rate mode)
    WRK_USERS=$USER_COUNT WRK_DOMAIN=$DOMAIN WRK_DELAY_MS=${REST_DELAY_MS:-8} timeout $((secs + 10)) \
        wrk -t1 -c8 -d"${secs}s" "${common[@]}" >"$dir/paced.txt" 2>&1
    REST_PACED_RATE=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$dir/paced.txt")
    REST_PACED_P50=$(wrk_pct "$dir/paced.txt" 50%)
    REST_PACED_P99=$(wrk_pct "$dir/paced.txt" 99%)
    printf '    rest %-8s max %6s/s (errors %s) p50 %s p99 %s ms  box %s%%  %s | paced %s/s p50 %s p99 %s ms\n' "$label" \
        "$REST_RATE" "$REST_ERRORS" "$REST_P50" "$REST_P99" "$REST_BOX" "$REST_CPU" "$REST_PACED_RATE" "$REST_PACED_P50" "$REST_PACED_P99"
    sleep 1
}

# wrk's latency distribution line ("99%  12.34ms") in ms
wrk_pct() { # file label
    awk -v want="$2" '$1 == want { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v; exit }' "$1"
}
