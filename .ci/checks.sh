# Sourced by the .ci scripts: `check DESCRIPTION COMMAND...` runs a command, counts it and prints
# "ok" or "FAIL" with the end of its output; `print_summary NAME` prints "NAME: N passed, M failed".
# Needs $WORK (a temporary folder) set by the caller.
passed=0
failed=0

check() {
    local description=$1
    shift
    if "$@" >"$WORK/check.log" 2>&1; then
        passed=$((passed + 1))
        printf '  ok    %s\n' "$description"
    else
        failed=$((failed + 1))
        printf '  FAIL  %s\n' "$description"
        sed 's/^/        /' "$WORK/check.log" | tail -n 40
    fi
}

print_summary() {
    printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
}

# For the scripts that drive ./run.sh, from the checkout's root ($ROOT). `platform_addresses` sets PORT_OFFSET
# (default 0), GATEWAY (host:port of its SIP side), GATEWAY_HTTP (port) and DOMAIN as ./run.sh derives them.
platform_addresses() {
    PORT_OFFSET=${PORT_OFFSET:-0}
    GATEWAY="127.0.0.1:$((5060 + PORT_OFFSET))"
    GATEWAY_HTTP=$((8080 + PORT_OFFSET))
    DOMAIN=${SIP_DOMAIN:-siplane.test}
}

# `platform_start [NAME=VALUE...]` starts it with that environment on top and counts it (on failure: the end of its
# output, then the caller's `finish`);
# `printed_token` and `printed_password USER` read what it printed; `platform_stop_leaves_nothing` stops it and
# checks that no process it started is left.
platform_start() {
    if ! env "$@" ./run.sh start >"$WORK/start.log" 2>&1; then
        failed=$((failed + 1))
        echo "  FAIL  ./run.sh start"
        tail -n 40 "$WORK/start.log" | sed 's/^/        /'
        finish
    fi
    passed=$((passed + 1))
    echo "  ok    ./run.sh start: every service healthy"
}

printed_token() { sed -n 's/^  API token: *\([^ ]*\).*/\1/p' "$WORK/start.log"; }

printed_password() { awk -v u="$1" '/Demo subscribers/ { on = 1; next } on && $1 == u { print $2; exit }' "$WORK/start.log"; }

platform_stop_leaves_nothing() {
    local redis_child
    redis_child=$(cat .run/pids/redis-server.pid 2>/dev/null)
    check "./run.sh stop" ./run.sh stop
    check "no process of ours is left" nothing_left_of_run "$redis_child"
}

nothing_left_of_run() { # [embedded-redis-pid]: no process started from this checkout by ./run.sh
    local pid found=0
    for pid in /proc/[0-9]*; do
        tr '\0' ' ' <"$pid/cmdline" 2>/dev/null | grep -q -- "-Dsiplane.run=$ROOT " && { echo "left: ${pid#/proc/}"; found=1; }
    done
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && { echo "embedded redis-server $1 left"; found=1; }
    [ $found -eq 0 ]
}
