#!/usr/bin/env bash
# Faults under load (issue 8). Starts the platform with ./run.sh (2 proxy and 2 registrar replicas, a real
# redis-server with AOF and fsync on every write), keeps SIPp load running through the gateway (registrations with
# digest; calls from local users answering the proxy's 407, held, hung up) and injects one fault per scenario:
#
#   proxy-kill      SIGKILL one proxy replica
#   registrar-kill  SIGKILL one registrar replica; the UAs whose REGISTER failed register again
#   location-down   SIGKILL location-service; REST through the gateway is timed
#   graceful        SIGTERM one proxy replica, then one registrar replica (drain, exit within the bound)
#   redis-restart   SIGKILL redis-server, start it again on the same AOF; every binding acknowledged with 200 is
#                   looked up through REST afterwards
#
# For each it prints figures (calls and registrations failed, when the failed ones started relative to the fault,
# retransmissions, call setup (first INVITE -> 200) p99/max, readiness transitions, the gateway's view of the replicas) and checks the
# expectations; a killed or stopped process is started again with its own command line and environment before the
# next scenario. Last line: "faults: N passed, M failed".
#
#   .ci/faults.sh [--quick] [--only a,b] [--keep]
#
# --quick: lower rate and shorter load (CI); --keep: keep the work folder (logs, SIPp traces) even on success.
# Environment: PORT_OFFSET (200), PLATFORM_ROOT (the checkout whose ./run.sh runs, default this one: a separate
# `git worktree` keeps other developers' edits and ./run.sh sessions out of the way), CALL_RATE, REG_RATE,
# LOAD_SECONDS, FAULT_AT, HOLD_MS. Needs sipp (sip-tester), redis-server, curl. Loopback only; every wait and
# every SIPp run is bounded.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
PLATFORM_ROOT=$(cd "${PLATFORM_ROOT:-$ROOT}" && pwd)
RUN_DIR="$PLATFORM_ROOT/.run"
SCENARIOS="$ROOT/.ci/faults"

QUICK=no KEEP=no ONLY=all
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=yes ;;
        --keep) KEEP=yes ;;
        --only) ONLY=${2:?--only needs a list}; shift ;;
        -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "faults: unknown argument $1 (--help)" >&2; exit 2 ;;
    esac
    shift
done
ALL_SCENARIOS="proxy-kill registrar-kill location-down graceful redis-restart"
[ "$ONLY" = all ] && ONLY=$ALL_SCENARIOS
ONLY=${ONLY//,/ }

if [ "$QUICK" = yes ]; then
    CALL_RATE=${CALL_RATE:-25} REG_RATE=${REG_RATE:-25} LOAD_SECONDS=${LOAD_SECONDS:-16} FAULT_AT=${FAULT_AT:-5}
    HOLD_MS=${HOLD_MS:-1000}
else
    CALL_RATE=${CALL_RATE:-50} REG_RATE=${REG_RATE:-50} LOAD_SECONDS=${LOAD_SECONDS:-30} FAULT_AT=${FAULT_AT:-10}
    HOLD_MS=${HOLD_MS:-2000}
fi
REDIS_DOWN_SECONDS=3
CALLERS=200
PORT_OFFSET=${PORT_OFFSET:-200}
DOMAIN=faults.test
GW_SIP=$((5060 + PORT_OFFSET)) GW_HTTP=$((8080 + PORT_OFFSET)) LOC_HTTP=$((8081 + PORT_OFFSET))
GW_MGMT=$((8090 + PORT_OFFSET)) # the gateway's actuator: its own port, not the public GW_HTTP
REDIS_PORT=$((6399 + PORT_OFFSET))
UAS_PORT=$((27000 + PORT_OFFSET)) CALLER_PORT=$((27001 + PORT_OFFSET)) REG_PORT=$((27002 + PORT_OFFSET))
REREG_PORT=$((27003 + PORT_OFFSET))
# the gateway's defaults (gateway.probe.interval 2 s, .timeout 500 ms, .down-threshold 1, here from the environment
# as the services see it): a dead replica is out of rotation within (threshold - 1) intervals + interval + timeout
PROBE_MS=$(((${GATEWAY_PROBE_DOWNTHRESHOLD:-1} - 1) * 2000 + 2500))
# a fault may also fail what was in flight when it hit: SIPp gives up on an unanswered request after 10 s
RECV_TIMEOUT_MS=10000
STOP_BOUND_S=25 # sip.shutdown.drain-timeout (20 s) + the stack's own stop (~2 s) + HTTP graceful shutdown
TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d /tmp/faults.XXXXXX)
# shellcheck source=.ci/checks.sh
. "$ROOT/.ci/checks.sh"

SCRIPT_START=$(date +%s)
REDIS_PID='' MON_PID='' SIPP_PIDS=() PLATFORM_UP=no
FIGURES="$WORK/figures.txt"
: >"$FIGURES"

now_ms() { date +%s%3N; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
note() { printf '        %s\n' "$*"; }
figure() { printf '%s\n' "$*" >>"$FIGURES"; printf '        %s\n' "$*"; }
wanted() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

exec 3>&1 # the summary goes here even when a signal arrives while a check's output is redirected
finish() {
    trap - INT TERM EXIT
    exec >&3 2>&3
    [ -n "$MON_PID" ] && { touch "$WORK/monitor.stop"; wait "$MON_PID" 2>/dev/null; }
    local p
    for p in "${SIPP_PIDS[@]+"${SIPP_PIDS[@]}"}"; do kill -TERM "$p" 2>/dev/null; done
    if [ "$PLATFORM_UP" = yes ]; then
        RUN_STOP_TIMEOUT=30 "$PLATFORM_ROOT/run.sh" stop >"$WORK/run-stop.log" 2>&1 || echo "faults: ./run.sh stop failed (see $WORK/run-stop.log)"
    fi
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        kill -TERM "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
    fi
    echo ""
    echo "Figures (load average at the end: $(loadavg); $(($(date +%s) - SCRIPT_START)) s in all):"
    sed 's/^/  /' "$FIGURES"
    if [ "$failed" -eq 0 ] && [ "$KEEP" = no ]; then rm -rf "$WORK"; else echo "work folder (logs, SIPp traces): $WORK"; fi
    print_summary faults
    [ "$failed" -eq 0 ]
    exit
}
trap 'failed=$((failed + 1)); finish' INT TERM
trap 'finish' EXIT

fail_now() { # description: a precondition failed, nothing after it can run
    failed=$((failed + 1))
    printf '  FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && tail -n 30 "$2" | sed 's/^/        /'
    exit 1
}

for tool in sipp redis-server curl setsid; do
    command -v "$tool" >/dev/null 2>&1 || fail_now "$tool is missing (apt-get install sip-tester redis-server curl)"
done

# ---------------------------------------------------------------------------------------------------------------
# Redis (real, with AOF) and the platform
# ---------------------------------------------------------------------------------------------------------------
redis_ping() { [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" PING 2>/dev/null)" = PONG ]; }

start_redis() {
    mkdir -p "$WORK/redis"
    setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --appendonly yes --appendfsync always --save '' \
        --dir "$WORK/redis" --logfile "$WORK/redis/redis.log" --daemonize no </dev/null >/dev/null 2>&1 &
    REDIS_PID=$!
    local i
    for ((i = 0; i < 100; i++)); do redis_ping && return 0; sleep 0.1; done
    return 1
}

service_http() { # name -> HTTP port (./run.sh's layout)
    case "$1" in
        gateway) echo "$GW_MGMT" ;;
        location-service) echo $((8081 + PORT_OFFSET)) ;;
        registrar-service) echo $((8082 + PORT_OFFSET)) ;;
        registrar-service-2) echo $((8182 + PORT_OFFSET)) ;;
        proxy-service-1) echo $((8083 + PORT_OFFSET)) ;;
        proxy-service-2) echo $((8183 + PORT_OFFSET)) ;;
    esac
}
SERVICES="gateway location-service registrar-service registrar-service-2 proxy-service-1 proxy-service-2"

readiness() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(service_http "$1")/actuator/health/readiness"; }

is_ready() { [ "$(readiness "$1")" = 200 ]; }

gateway_targets() { curl -s -m 2 "http://127.0.0.1:$GW_MGMT/actuator/health/sipTargets"; }

all_in_rotation() { # every replica UP at the gateway (not draining, breaker closed)
    local t
    t=$(gateway_targets)
    [ "$(grep -oE '[0-9]":"UP"' <<<"$t" | wc -l)" -eq 4 ]
}

await() { # seconds description command... : polls every 0.5 s
    local deadline=$(($(date +%s) + $1)) what=$2
    shift 2
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -ge "$deadline" ] && { echo "timed out after waiting for: $what"; return 1; }
        sleep 0.5
    done
}

pid_of() { cat "$RUN_DIR/pids/$1.pid" 2>/dev/null; }

# A killed service comes back with the very command line and environment ./run.sh gave it.
capture() { # name
    local pid
    pid=$(pid_of "$1") && kill -0 "$pid" 2>/dev/null || return 1
    cp "/proc/$pid/cmdline" "$WORK/$1.cmdline" && cp "/proc/$pid/environ" "$WORK/$1.environ"
}
relaunch() { # name
    local cmd=() envv=()
    mapfile -d '' cmd <"$WORK/$1.cmdline"
    mapfile -d '' envv <"$WORK/$1.environ"
    (cd "$PLATFORM_ROOT" && exec setsid env -i "${envv[@]}" "${cmd[@]}" </dev/null >>"$RUN_DIR/logs/$1.log" 2>&1) &
    echo "$!" >"$RUN_DIR/pids/$1.pid"
    disown "$!" 2>/dev/null
}
restore() { # names...: start them again, wait until they are ready and the gateway has every replica in rotation
    local t0 name
    t0=$(now_ms)
    for name in "$@"; do relaunch "$name"; done
    for name in "$@"; do await 180 "$name ready" is_ready "$name" || return 1; done
    await 120 "the gateway to have every replica in rotation" all_in_rotation || return 1
    figure "$* started again: ready and back in the gateway's rotation $((($(now_ms) - t0) / 1000)) s after the start"
}

start_platform() {
    "$PLATFORM_ROOT/run.sh" status >/dev/null 2>&1
    [ $? = 3 ] || fail_now "a Siplane started by $PLATFORM_ROOT/run.sh is running: stop it, or use another checkout (PLATFORM_ROOT)"
    start_redis || fail_now "redis-server did not start on 127.0.0.1:$REDIS_PORT" "$WORK/redis/redis.log"
    local t0
    t0=$(date +%s)
    PLATFORM_UP=yes
    if ! env REDIS_URL="redis://127.0.0.1:$REDIS_PORT" PROXY_REPLICAS=2 REGISTRAR_REPLICAS=2 PORT_OFFSET="$PORT_OFFSET" \
        SIP_DOMAIN="$DOMAIN" PLATFORM_API_TOKEN="$TOKEN" DEMO_SUBSCRIBERS= RUN_PARALLEL="${RUN_PARALLEL:-2}" \
        GATEWAY_FLOOD_ALLOW=127.0.0.1/32 SIPLANE_API_RATELIMIT_ENABLED=false SIPLANE_API_RATE_LIMIT_ENABLED=false \
        "$PLATFORM_ROOT/run.sh" start >"$WORK/run-start.log" 2>&1; then
        fail_now "./run.sh start (PROXY_REPLICAS=2 REGISTRAR_REPLICAS=2, redis-server with AOF)" "$WORK/run-start.log"
    fi
    passed=$((passed + 1))
    printf '  ok    ./run.sh start: 2 proxies, 2 registrars, redis-server --appendonly yes --appendfsync always (%s s)\n' \
        "$(($(date +%s) - t0))"
    await 60 "the gateway to have every replica in rotation" all_in_rotation || fail_now "the gateway never had all 4 replicas in rotation"
}

# ---------------------------------------------------------------------------------------------------------------
# Subscribers and SIPp
# ---------------------------------------------------------------------------------------------------------------
users_csv() { # prefix count -> SIPp injection file on stdout
    echo SEQUENTIAL
    awk -v p="$1" -v n="$2" -v d="$DOMAIN" 'BEGIN { for (i = 1; i <= n; i++) { u = sprintf("%s%05d", p, i); printf "%s;%s;pw-%s\n", u, d, u } }'
}

provision() { # csv files...: POST every user through the REST API, 16 at a time
    local cfg="$WORK/provision.curl" codes
    tail -q -n +2 "$@" | awk -F';' -v url="http://127.0.0.1:$LOC_HTTP/api/v1/subscribers" -v token="$TOKEN" '{
        if (NR > 1) print "next"
        printf "url = \"%s\"\nheader = \"Authorization: Bearer %s\"\nheader = \"Content-Type: application/json\"\n", url, token
        printf "data = \"{\\\"username\\\":\\\"%s\\\",\\\"domain\\\":\\\"%s\\\",\\\"password\\\":\\\"%s\\\"}\"\n", $1, $2, $3
        printf "output = \"/dev/null\"\nwrite-out = \"%%{http_code}\\\\n\"\n" }' >"$cfg"
    codes=$(curl -s -Z --parallel-max 16 --retry 5 -K "$cfg" 2>/dev/null | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
    echo "HTTP $codes"
    case "$codes" in *" "[0-9]*"×"[!2]* | [0-9]*"×"[!2]*) return 1 ;; esac
}

stat_field() { # file name -> the last value of a -trace_stat column
    awk -F';' -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) col = i; next } { last = $col } END { print (col ? last + 0 : -1) }' "$1" 2>/dev/null
}

sipp_common=(-i 127.0.0.1 -mi 127.0.0.1 -t u1 -nostdin -trace_err -trace_stat -fd 1 -recv_timeout "$RECV_TIMEOUT_MS")
# -auth_uri: the digest uri must name the Request-URI (RFC 3261 §22.4); SIPp's is the next hop's address without it

register_once() { # csv port dir -> SIPp exit code; every user of csv registers once
    mkdir -p "$3"
    local n
    n=$(($(wc -l <"$1") - 1))
    (cd "$3" && timeout 60 sipp "127.0.0.1:$GW_SIP" -sf "$SCENARIOS/register.xml" -inf "$1" "${sipp_common[@]}" -auth_uri "$DOMAIN" -p "$2" -default_behaviors all,-bye \
        -r 50 -m "$n" -trace_logs -stf stat.csv -timeout 50 -timeout_error >sipp.out 2>&1)
}

# The load of one scenario: the callee, registrations and calls, each SIPp bounded in calls and time.
start_load() { # dir reg_csv
    local dir=$1 reg_csv=$2
    mkdir -p "$dir/uas" "$dir/reg" "$dir/call"
    (cd "$dir/uas" && exec sipp -sf "$SCENARIOS/answer.xml" "${sipp_common[@]}" -p "$UAS_PORT" ${FAULTS_TRACE:+-trace_msg} \
        -stf stat.csv -timeout $((LOAD_SECONDS + 45)) >sipp.out 2>&1) &
    UAS_PID=$!
    sleep 0.3
    (cd "$dir/reg" && exec sipp "127.0.0.1:$GW_SIP" -sf "$SCENARIOS/register.xml" -inf "$reg_csv" \
        "${sipp_common[@]}" -auth_uri "$DOMAIN" -default_behaviors all,-bye -p "$REG_PORT" -r "$REG_RATE" -m $((REG_RATE * LOAD_SECONDS)) -trace_logs -stf stat.csv \
        -timeout $((LOAD_SECONDS + 30)) -timeout_error >sipp.out 2>&1) &
    REG_PID=$!
    (cd "$dir/call" && exec sipp "127.0.0.1:$GW_SIP" -sf "$SCENARIOS/call.xml" -inf "$WORK/callers.csv" \
        -s uas "${sipp_common[@]}" -auth_uri "uas@$DOMAIN" -default_behaviors all,-bye -p "$CALLER_PORT" -r "$CALL_RATE" -m $((CALL_RATE * LOAD_SECONDS)) -d "$HOLD_MS" \
        -trace_logs -trace_rtt -rtt_freq 1 -stf stat.csv -timeout $((LOAD_SECONDS + 30)) -timeout_error >sipp.out 2>&1) &
    CALL_PID=$!
    SIPP_PIDS=("$UAS_PID" "$REG_PID" "$CALL_PID")
}

wait_load() { # waits for the callers and registrations (bounded by their own -timeout), then ends the callee
    local deadline=$(($(date +%s) + LOAD_SECONDS + 60))
    while { kill -0 "$REG_PID" || kill -0 "$CALL_PID"; } 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.5; done
    kill -TERM "$REG_PID" "$CALL_PID" 2>/dev/null # only if SIPp overran its own -timeout
    wait "$REG_PID" 2>/dev/null
    wait "$CALL_PID" 2>/dev/null
    sleep 2 # the callee answers the last BYEs
    kill -USR1 "$UAS_PID" 2>/dev/null # SIPp's soft exit: no call left, so it ends
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$UAS_PID" 2>/dev/null || break; sleep 0.2; done
    kill -TERM "$UAS_PID" 2>/dev/null
    wait "$UAS_PID" 2>/dev/null
    SIPP_PIDS=()
}

# Per-call outcome from the "start"/"ok" log lines: started, ok, failed, and when the failed ones started
# relative to the fault (ms). Sets <prefix>_STARTED, _OK, _FAILED, _FIRST, _LAST (empty when none failed).
outcome() { # prefix logdir fault_ms
    local log line
    log=$(ls "$2"/*_logs.log 2>/dev/null | head -1)
    line=$(awk -v t0="$3" '
        $1 == "start" { start[$2] = $5 * 1000 }
        $1 == "ok" { ok[$2] = 1 }
        END {
            n = 0; good = 0; bad = 0; first = ""; last = ""
            for (c in start) {
                n++
                if (c in ok) { good++; continue }
                bad++
                rel = int(start[c] - t0)
                if (first == "" || rel < first) first = rel
                if (last == "" || rel > last) last = rel
            }
            printf "%d %d %d %s %s\n", n, good, bad, (first == "" ? "-" : first), (last == "" ? "-" : last)
        }' "$log" 2>/dev/null)
    read -r started ok bad first last <<<"${line:-0 0 0 - -}"
    printf -v "${1}_STARTED" '%s' "$started"
    printf -v "${1}_OK" '%s' "$ok"
    printf -v "${1}_FAILED" '%s' "$bad"
    printf -v "${1}_FIRST" '%s' "$([ "$first" = - ] || echo "$first")"
    printf -v "${1}_LAST" '%s' "$([ "$last" = - ] || echo "$last")"
}

secs() { awk -v ms="$1" 'BEGIN { printf "%+.1f s", ms / 1000 }'; }

# Figures of one scenario's load: failures with their window, retransmissions, INVITE->200 percentiles.
load_figures() { # dir fault_ms label
    local dir=$1 t0=$2 p99 max retrans_c retrans_r uas_failed
    outcome CALLS "$dir/call" "$t0"
    outcome REGS "$dir/reg" "$t0"
    retrans_c=$(stat_field "$dir/call/stat.csv" 'Retransmissions(C)')
    retrans_r=$(stat_field "$dir/reg/stat.csv" 'Retransmissions(C)')
    uas_failed=$(stat_field "$dir/uas/stat.csv" 'FailedCall(C)')
    read -r p99 max < <(awk -F';' 'NR > 1 && $3 == "invite" { print $2 }' "$dir"/call/*_rtt.csv 2>/dev/null | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit } i = int(NR * 0.99); if (i < 1) i = 1; printf "%.0f %.0f\n", v[i], v[NR] }')
    local window_c="" window_r=""
    [ -n "$CALLS_FIRST" ] && window_c=", failed ones started $(secs "$CALLS_FIRST") .. $(secs "$CALLS_LAST") from the fault"
    [ -n "$REGS_FIRST" ] && window_r=", failed ones started $(secs "$REGS_FIRST") .. $(secs "$REGS_LAST") from the fault"
    figure "$3 calls: $CALLS_OK/$CALLS_STARTED ok, $CALLS_FAILED failed$window_c; $retrans_c retransmissions; call setup (first INVITE -> 200) p99 ${p99} ms, max ${max} ms; callee failures $uas_failed"
    figure "$3 registrations: $REGS_OK/$REGS_STARTED ok, $REGS_FAILED failed$window_r; $retrans_r retransmissions"
}

# ---------------------------------------------------------------------------------------------------------------
# Monitor: readiness of every service and the gateway's view of the replicas, about twice a second
# ---------------------------------------------------------------------------------------------------------------
start_monitor() { # file
    local out=$1 name args=()
    rm -f "$WORK/monitor.stop"
    for name in $SERVICES; do args+=(-o /dev/null "http://127.0.0.1:$(service_http "$name")/actuator/health/readiness"); done
    (
        for ((i = 0; i < 3 * (LOAD_SECONDS + 120); i++)); do
            [ -e "$WORK/monitor.stop" ] && break
            t=$(now_ms)
            curl -s -m 1 -w '%{url_effective} %{http_code}\n' "${args[@]}" 2>/dev/null | sed "s/^/$t /"
            printf '%s targets %s\n' "$t" "$(gateway_targets)"
            sleep 0.4
        done
    ) >"$out" 2>/dev/null &
    MON_PID=$!
}
stop_monitor() {
    touch "$WORK/monitor.stop"
    wait "$MON_PID" 2>/dev/null
    MON_PID=''
}

# "name: 200 → 503 at +0.4 s, 503 → 200 at +6.1 s" for every service whose readiness changed
readiness_changes() { # monitor-file fault_ms
    local name port
    for name in $SERVICES; do
        port=$(service_http "$name")
        awk -v t0="$2" -v port=":$port/" -v name="$name" '$2 ~ port {
                code = $3
                if (prev != "" && code != prev) { out = out sprintf("%s%s -> %s at %+.1f s", (out == "" ? "" : ", "), prev, code, ($1 - t0) / 1000) }
                prev = code
            } END { if (out != "") print name ": " out }' "$1"
    done
}

# the gateway's state of one replica over time: "UP -> DRAINING at +0.9 s, DRAINING -> DOWN at +4.1 s"
target_changes() { # monitor-file fault_ms sip_port
    awk -v t0="$2" -v key="\"127.0.0.1:$3\":\"" '$2 == "targets" {
            i = index($0, key); if (i == 0) next
            s = substr($0, i + length(key)); state = substr(s, 1, index(s, "\"") - 1)
            if (prev != "" && state != prev) { out = out sprintf("%s%s -> %s at %+.1f s", (out == "" ? "" : ", "), prev, state, ($1 - t0) / 1000) }
            prev = state
        } END { print (out == "" ? "no change" : out) }' "$1"
}

# the gateway's view of every replica during a scenario: flapping of the replicas not hit by the fault shows here
targets_figure() { # label monitor-file fault_ms
    local port out=""
    for port in 5070 5071 5080 5081; do
        out+="${out:+; }$((port + PORT_OFFSET)): $(target_changes "$2" "$3" $((port + PORT_OFFSET)))"
    done
    figure "$1 the gateway's view of the replicas (registrars $((5070 + PORT_OFFSET)),$((5071 + PORT_OFFSET)), proxies $((5080 + PORT_OFFSET)),$((5081 + PORT_OFFSET))): $out"
}

first_change() { # monitor-file fault_ms sip_port state -> ms from the fault until the gateway first showed state
    awk -v t0="$2" -v want="\"127.0.0.1:$3\":\"$4" '$2 == "targets" && index($0, want) && $1 >= t0 { print $1 - t0; exit }' "$1"
}

# ---------------------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------------------
at_most() { # value bound what
    [ -n "$1" ] && [ "$1" -le "$2" ] || { echo "$3: $1 (expected at most $2)"; return 1; }
}
none_failed() { # count what
    [ "$1" = 0 ] || { echo "$2: $1 failed"; return 1; }
}
failures_within() { # first_ms last_ms from_ms to_ms what: failed ones (if any) started inside [from, to] of the fault
    [ -z "$1" ] && return 0
    [ "$1" -ge "$3" ] && [ "$2" -le "$4" ] || { echo "$5: failed ones started $(secs "$1") .. $(secs "$2"), expected within $(secs "$3") .. $(secs "$4")"; return 1; }
}
load_ran() { # the SIPp runs ended by themselves and placed their calls
    [ "$CALLS_STARTED" -ge $((CALL_RATE * LOAD_SECONDS * 9 / 10)) ] && [ "$REGS_STARTED" -ge $((REG_RATE * LOAD_SECONDS * 9 / 10)) ] ||
        { echo "SIPp placed $CALLS_STARTED calls and $REGS_STARTED registrations of $((CALL_RATE * LOAD_SECONDS)) and $((REG_RATE * LOAD_SECONDS))"; return 1; }
}

scenario_header() {
    echo ""
    echo "Scenario $1 (load ${CALL_RATE} calls/s + ${REG_RATE} registrations/s for ${LOAD_SECONDS} s, fault at ${FAULT_AT} s; load average $(loadavg)):"
    SCN_DIR="$WORK/$1"
    mkdir -p "$SCN_DIR"
}

# ---------------------------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------------------------
scenario_proxy_kill() {
    scenario_header proxy-kill
    local victim=proxy-service-1 sip=$((5080 + PORT_OFFSET)) t0 out_at
    capture "$victim" || { fail_now "$victim is not running"; }
    start_monitor "$SCN_DIR/monitor.log"
    start_load "$SCN_DIR" "$WORK/users.csv"
    sleep "$FAULT_AT"
    t0=$(now_ms)
    kill -KILL "$(pid_of "$victim")"
    wait_load
    stop_monitor
    load_figures "$SCN_DIR" "$t0" "proxy-kill:"
    out_at=$(first_change "$SCN_DIR/monitor.log" "$t0" "$sip" DOWN)
    targets_figure "proxy-kill:" "$SCN_DIR/monitor.log" "$t0"
    check "SIPp ran the whole load (calls and registrations)" load_ran
    check "the gateway took the killed replica out within the probe interval + timeout (+1 s)" at_most "${out_at:-99999}" $((PROBE_MS + 1000)) "ms until DOWN"
    check "failed calls (if any) started within [-3 s, probe interval + timeout + 1 s] of the kill: new calls succeed after it" \
        failures_within "$CALLS_FIRST" "$CALLS_LAST" -3000 $((PROBE_MS + 1000)) calls
    check "failed calls are at most the killed replica's share of the calls in that window" \
        at_most "$CALLS_FAILED" $(((PROBE_MS + 2000) * CALL_RATE / 1000 / 2 + 2)) "failed calls"
    check "registrations are not disturbed (registrars untouched)" none_failed "$REGS_FAILED" registrations
    check "$victim starts again and rejoins the gateway's rotation" restore "$victim"
}

scenario_registrar_kill() {
    scenario_header registrar-kill
    local victim=registrar-service-2 sip=$((5071 + PORT_OFFSET)) t0 out_at
    capture "$victim" || fail_now "$victim is not running"
    start_monitor "$SCN_DIR/monitor.log"
    start_load "$SCN_DIR" "$WORK/users.csv"
    sleep "$FAULT_AT"
    t0=$(now_ms)
    kill -KILL "$(pid_of "$victim")"
    wait_load
    stop_monitor
    load_figures "$SCN_DIR" "$t0" "registrar-kill:"
    out_at=$(first_change "$SCN_DIR/monitor.log" "$t0" "$sip" DOWN)
    targets_figure "registrar-kill:" "$SCN_DIR/monitor.log" "$t0"
    check "SIPp ran the whole load (calls and registrations)" load_ran
    check "the gateway took the killed registrar out within the probe interval + timeout (+1 s)" at_most "${out_at:-99999}" $((PROBE_MS + 1000)) "ms until DOWN"
    check "failed registrations (if any) started within [-3 s, probe interval + timeout + 1 s] of the kill" \
        failures_within "$REGS_FIRST" "$REGS_LAST" -3000 $((PROBE_MS + 1000)) registrations
    check "calls are not disturbed (proxies untouched)" none_failed "$CALLS_FAILED" calls
    # the user agents whose REGISTER failed try again: through the gateway, on the next attempt
    local log again="$SCN_DIR/reregister.csv"
    log=$(ls "$SCN_DIR"/reg/*_logs.log | head -1)
    { echo SEQUENTIAL
      awk '$1 == "start" { s[$2] = 1 } $1 == "ok" { delete s[$2] } END { for (c in s) print c }' "$log" |
          while read -r n; do sed -n "$((n + 1))p" "$WORK/users.csv"; done; } >"$again"
    local n_again=$(($(wc -l <"$again") - 1))
    if [ "$n_again" -gt 0 ]; then
        check "the $n_again user agents whose REGISTER failed register on their next attempt" register_once "$again" "$REREG_PORT" "$SCN_DIR/again"
        figure "registrar-kill: $n_again failed registrations retried: $(stat_field "$SCN_DIR/again/stat.csv" 'SuccessfulCall(C)') ok, $(stat_field "$SCN_DIR/again/stat.csv" 'FailedCall(C)') failed"
    fi
    check "$victim starts again and rejoins the gateway's rotation" restore "$victim"
}

rest_through_gateway() { # -> "code seconds"
    curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$GW_HTTP/api/v1/bindings/uas@$DOMAIN"
}

scenario_location_down() {
    scenario_header location-down
    local victim=location-service t0 i
    capture "$victim" || fail_now "$victim is not running"
    start_monitor "$SCN_DIR/monitor.log"
    start_load "$SCN_DIR" "$WORK/users.csv"
    sleep "$FAULT_AT"
    t0=$(now_ms)
    kill -KILL "$(pid_of "$victim")"
    sleep 1
    for ((i = 0; i < 20; i++)); do rest_through_gateway; sleep 0.2; done >"$SCN_DIR/rest-down.txt"
    wait_load
    stop_monitor
    load_figures "$SCN_DIR" "$t0" "location-down:"
    targets_figure "location-down:" "$SCN_DIR/monitor.log" "$t0"
    local codes max p50
    codes=$(awk '{ print $1 }' "$SCN_DIR/rest-down.txt" | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
    read -r p50 max < <(awk '{ print $2 * 1000 }' "$SCN_DIR/rest-down.txt" | sort -n | awk '{ v[NR] = $1 } END { printf "%.0f %.0f\n", v[int((NR + 1) / 2)], v[NR] }')
    figure "location-down: REST GET /api/v1/bindings through the gateway while location-service is down: HTTP ${codes}; p50 ${p50} ms, max ${max} ms"
    check "SIPp ran the whole load (calls and registrations)" load_ran
    check "SIP calls unaffected (they go straight to Redis)" none_failed "$CALLS_FAILED" calls
    check "SIP registrations unaffected" none_failed "$REGS_FAILED" registrations
    check "REST through the gateway answers 503 to every request" test "$codes" = "20×503 "
    check "REST 503 comes fast (max under 1 s)" at_most "$max" 1000 "slowest 503, ms"
    check "$victim starts again" restore "$victim"
    check "REST through the gateway answers 200 again" test "$(rest_through_gateway | cut -d' ' -f1)" = 200
}

await_exit() { # pid seconds -> ms it took, or nothing
    local pid=$1 t0 deadline
    t0=$(now_ms)
    deadline=$((t0 + $2 * 1000))
    while kill -0 "$pid" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && return 1
    echo $(($(now_ms) - t0))
}

scenario_graceful() {
    scenario_header graceful
    local proxy=proxy-service-2 registrar=registrar-service-2 psip=$((5081 + PORT_OFFSET)) rsip=$((5071 + PORT_OFFSET))
    local t0 t1 ppid rpid pstop rstop
    capture "$proxy" || fail_now "$proxy is not running"
    capture "$registrar" || fail_now "$registrar is not running"
    ppid=$(pid_of "$proxy") rpid=$(pid_of "$registrar")
    local plog="$RUN_DIR/logs/$proxy.log" rlog="$RUN_DIR/logs/$registrar.log" plines rlines
    plines=$(wc -l <"$plog") rlines=$(wc -l <"$rlog")
    start_monitor "$SCN_DIR/monitor.log"
    start_load "$SCN_DIR" "$WORK/users.csv"
    sleep "$FAULT_AT"
    t0=$(now_ms)
    kill -TERM "$ppid"
    pstop=$(await_exit "$ppid" 40)
    t1=$(now_ms)
    kill -TERM "$rpid"
    rstop=$(await_exit "$rpid" 40)
    wait_load
    stop_monitor
    load_figures "$SCN_DIR" "$t0" "graceful:"
    local pdrain rdrain
    pdrain=$(tail -n +"$((plines + 1))" "$plog" | grep -oE 'SIP (drained in [0-9]+ ms|drain timeout after [0-9]+ ms.*)' | head -1)
    rdrain=$(tail -n +"$((rlines + 1))" "$rlog" | grep -oE 'SIP (drained in [0-9]+ ms|drain timeout after [0-9]+ ms.*)' | head -1)
    figure "graceful: SIGTERM $proxy: exited after ${pstop:-more than 40 000} ms ($pdrain); the gateway saw it: $(target_changes "$SCN_DIR/monitor.log" "$t0" "$psip")"
    figure "graceful: SIGTERM $registrar at $(secs $((t1 - t0))): exited after ${rstop:-more than 40 000} ms ($rdrain); the gateway saw it: $(target_changes "$SCN_DIR/monitor.log" "$t1" "$rsip")"
    readiness_changes "$SCN_DIR/monitor.log" "$t0" | grep -E "^($proxy|$registrar):" | sed 's/^/graceful: readiness /' | while read -r l; do figure "$l"; done
    check "SIPp ran the whole load (calls and registrations)" load_ran
    check "$proxy exits within ${STOP_BOUND_S} s of SIGTERM" test -n "$pstop" -a "${pstop:-0}" -le $((STOP_BOUND_S * 1000))
    check "$registrar exits within ${STOP_BOUND_S} s of SIGTERM" test -n "$rstop" -a "${rstop:-0}" -le $((STOP_BOUND_S * 1000))
    check "the draining proxy answered the gateway's probes 503 (DRAINING) before it went away" \
        grep -q "UP -> DRAINING" <<<"$(target_changes "$SCN_DIR/monitor.log" "$t0" "$psip")"
    check "the draining proxy let its in-flight transactions finish (log: drained, not a drain timeout)" grep -q "drained in" <<<"$pdrain"
    check "no call failed" none_failed "$CALLS_FAILED" calls
    check "no registration failed" none_failed "$REGS_FAILED" registrations
    check "$proxy and $registrar start again and rejoin the gateway's rotation" restore "$proxy" "$registrar"
}

# every AOR of a file of "ok <call> <date> <time> <epoch> <user>" lines has a binding (REST through location-service)
bindings_present() { # ok-lines-file -> prints "present missing"
    local cfg="$WORK/lookup.curl"
    awk -v url="http://127.0.0.1:$LOC_HTTP/api/v1/bindings/" -v d="$DOMAIN" -v token="$TOKEN" '{
        if (NR > 1) print "next"
        printf "url = \"%s%s@%s\"\nheader = \"Authorization: Bearer %s\"\noutput = \"/dev/null\"\nwrite-out = \"%%{http_code}\\\\n\"\n", url, $6, d, token }' "$1" >"$cfg"
    curl -s -Z --parallel-max 16 --retry 3 -K "$cfg" 2>/dev/null | awk '$1 == 200 { ok++ } $1 != 200 { bad++ } END { printf "%d %d\n", ok, bad }'
}

scenario_redis_restart() {
    scenario_header redis-restart
    local t0 t1 i
    start_monitor "$SCN_DIR/monitor.log"
    start_load "$SCN_DIR" "$WORK/redis-users.csv"
    sleep "$FAULT_AT"
    t0=$(now_ms)
    kill -KILL "$REDIS_PID"
    wait "$REDIS_PID" 2>/dev/null
    sleep "$REDIS_DOWN_SECONDS"
    start_redis || fail_now "redis-server did not start again on its AOF" "$WORK/redis/redis.log"
    t1=$(now_ms)
    wait_load
    stop_monitor
    load_figures "$SCN_DIR" "$t0" "redis-restart:"
    targets_figure "redis-restart:" "$SCN_DIR/monitor.log" "$t0"
    figure "redis-restart: Redis killed at 0 s, answering PING again at $(secs $((t1 - t0))) (AOF $(du -sh "$WORK/redis" | cut -f1))"
    readiness_changes "$SCN_DIR/monitor.log" "$t0" | sed 's/^/redis-restart: readiness /' | while read -r l; do figure "$l"; done

    # every registration acknowledged with 200 (before, during and after the restart) is still there
    local log acked before present missing
    log=$(ls "$SCN_DIR"/reg/*_logs.log | head -1)
    awk '$1 == "ok"' "$log" >"$SCN_DIR/acked.txt"
    acked=$(wc -l <"$SCN_DIR/acked.txt")
    before=$(awk -v t0="$t0" '$5 * 1000 < t0' "$SCN_DIR/acked.txt" | wc -l)
    read -r present missing < <(bindings_present "$SCN_DIR/acked.txt")
    figure "redis-restart: $acked registrations acknowledged with 200 ($before before the kill); after the restart $present have their binding, $missing missing"
    local resume_c resume_r
    resume_c=$([ -n "$CALLS_LAST" ] && echo $((CALLS_LAST - (t1 - t0))) || echo 0)
    resume_r=$([ -n "$REGS_LAST" ] && echo $((REGS_LAST - (t1 - t0))) || echo 0)
    figure "redis-restart: calls started more than $(secs "$resume_c") after Redis was back all succeeded; registrations: $(secs "$resume_r")"
    check "SIPp ran the whole load (calls and registrations)" load_ran
    check "no binding acknowledged with 200 is lost (AOF, appendfsync always)" test "$missing" = 0 -a "$present" = "$acked" -a "$before" -gt 0
    check "calls resume by themselves within 5 s of Redis answering again" at_most "$resume_c" 5000 "ms after Redis was back"
    check "registrations resume by themselves within 5 s of Redis answering again" at_most "$resume_r" 5000 "ms after Redis was back"
    check "calls failed only around the outage" failures_within "$CALLS_FIRST" "$CALLS_LAST" -$RECV_TIMEOUT_MS $((t1 - t0 + 5000)) calls
    local went_down
    went_down=$(readiness_changes "$SCN_DIR/monitor.log" "$t0" | grep -cE '^(registrar-service|proxy-service-1|location-service): 200 -> (503|000) at .* -> 200 at')
    check "readiness of registrar, proxy and location-service went down (503, or no answer within 1 s) and came back up" test "$went_down" = 3
    check "every service ready again" await 60 "all ready" all_ready
}

all_ready() {
    local name
    for name in $SERVICES; do [ "$(readiness "$name")" = 200 ] || return 1; done
}

# Fresh JVMs answer slowly until the JIT has compiled the hot paths: the same load, half the rate, not counted.
warm_up() {
    echo ""
    echo "Warm-up (not counted):"
    local CALL_RATE=$((CALL_RATE / 2)) REG_RATE=$((REG_RATE / 2)) LOAD_SECONDS=10
    start_load "$WORK/warm-up" "$WORK/users.csv"
    wait_load
    outcome CALLS "$WORK/warm-up/call" "$(now_ms)"
    outcome REGS "$WORK/warm-up/reg" "$(now_ms)"
    note "calls $CALLS_OK/$CALLS_STARTED ok, registrations $REGS_OK/$REGS_STARTED ok (load average $(loadavg))"
    await 60 "the gateway to have every replica in rotation" all_in_rotation >/dev/null
}

# ---------------------------------------------------------------------------------------------------------------
echo "Faults under load ($([ "$QUICK" = yes ] && echo quick || echo full); platform: $PLATFORM_ROOT, PORT_OFFSET=$PORT_OFFSET; load average $(loadavg); $(nproc) CPUs):"
start_platform
users_csv c "$CALLERS" >"$WORK/callers.csv"
users_csv u $((REG_RATE * LOAD_SECONDS)) >"$WORK/users.csv"
users_csv r $((REG_RATE * LOAD_SECONDS)) >"$WORK/redis-users.csv"
printf 'SEQUENTIAL\nuas;%s;pw-uas-callee\n' "$DOMAIN" >"$WORK/uas.csv"
check "subscribers provisioned through the REST API ($(($(cat "$WORK"/callers.csv "$WORK"/users.csv "$WORK"/redis-users.csv | wc -l) - 2)))" \
    provision "$WORK/uas.csv" "$WORK/callers.csv" "$WORK/users.csv" "$WORK/redis-users.csv"
check "the callee (SIPp on $UAS_PORT) registers as uas@$DOMAIN through the gateway" register_once "$WORK/uas.csv" "$UAS_PORT" "$WORK/uas-register"
[ "$failed" -eq 0 ] || exit 1
warm_up


for scn in $ALL_SCENARIOS; do
    wanted "$scn" || continue
    "scenario_${scn//-/_}"
    sleep 1
done
exit 0
