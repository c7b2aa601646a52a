#!/usr/bin/env bash
# Siplane benchmark: starts the platform with ./run.sh, provisions subscribers through the REST API and measures,
# with SIPp through the gateway, by the method of shared/bench/README.md (rate steps, then bisection; a step passes
# with 0 failed calls and 0 retransmissions; several runs, median [min..max]):
#   register  authenticated REGISTER (MD5 digest challenge + retry), USERS users
#   call      INVITE/180/200/ACK, hold, BYE between registered UAs through gateway + proxy (SIPp callee registered)
#   redirect  INVITE -> 302 on redirect-service
#   rest      GET /api/v1/bindings/{aor} with wrk, through the gateway and on location-service
# With --kamailio the same SIPp workloads run against Kamailio (bench/kamailio/kamailio.cfg) on this machine and
# the ratio ours/Kamailio is printed. Everything is bounded: rates, call counts, durations, SIPp timeouts.
#
#   bench/run.sh                   full run (2 proxy replicas), about 25 minutes
#   bench/run.sh --kamailio        the same plus Kamailio, about 40 minutes
#   bench/run.sh --replicas 1,2,3  calls measured with 1, 2 and 3 proxy replicas (all workloads with the first)
#   bench/run.sh --quick           smoke: 1 replica, 200 users, one short step per workload (~10 s of load)
#   bench/run.sh --only register,call --runs 1
# Output: bench/out/<time>/ (steps.tsv, summary.tsv, report.md, every SIPp step's files); see bench/README.md.

set -u -o pipefail

ARGS="$*"
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
SCENARIOS=$BENCH/scenarios
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"
# shellcheck source=lib/sipp.sh
. "$BENCH/lib/sipp.sh"
# shellcheck source=lib/siplane.sh
. "$BENCH/lib/siplane.sh"
# shellcheck source=lib/kamailio.sh
. "$BENCH/lib/kamailio.sh"

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<EOF

Options:
  --kamailio           also measure Kamailio (registrar + stateful proxy + redirect) and print ours/Kamailio
  --kamailio-only      measure Kamailio only
  --quick              smoke test: pass/fail of one short step per workload; exit 1 on a failure
  --replicas LIST      proxy replicas, e.g. 2 or 1,2,3 [2]
  --only LIST          workloads among register,call,redirect,rest [all]
  --runs N             searches per workload (median [min..max]) [3]
  --users N            subscribers provisioned and registered [10000]
  --seconds N          seconds per rate step [10]
  --hold MS            call hold time [1000]
  --port-offset N      shift every port (platform, Kamailio, SIPp) [0]
  --jfr                record a JFR profile of every JVM during the measurements (bench/out/.../jfr/)
  --attach             use the Siplane already started by ./run.sh (no start, no stop, no provisioning)
  --keep               leave Siplane running at the end

Environment: BENCH_JAVA_OPTS (JAVA_OPTS of the services), PLATFORM_ROOT (checkout to start [this one]),
KAMAILIO_WORKERS [4], KAMAILIO_SHM (MiB) [2048], MODERATE_REGISTER [1000], MODERATE_CALL [200],
MODERATE_REDIRECT [2000], PRECISION (bisection stop, % of the rate) [4].
EOF
}

WITH_SIPLANE=yes WITH_KAMAILIO=no QUICK=no REPLICA_LIST=2 ONLY=register,call,redirect,rest RUNS=3 USER_COUNT=10000
STEP_SECONDS=10 HOLD_MS=1000 PORT_OFFSET=${PORT_OFFSET:-0} JFR=no ATTACH=no KEEP=no
while [ $# -gt 0 ]; do
    case "$1" in
        --kamailio) WITH_KAMAILIO=yes ;;
        --kamailio-only) WITH_KAMAILIO=yes WITH_SIPLANE=no ;;
        --quick) QUICK=yes ;;
        --replicas) REPLICA_LIST=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --users) USER_COUNT=$2; shift ;;
        --seconds) STEP_SECONDS=$2; shift ;;
        --hold) HOLD_MS=$2; shift ;;
        --port-offset) PORT_OFFSET=$2; shift ;;
        --jfr) JFR=yes ;;
        --attach) ATTACH=yes ;;
        --keep) KEEP=yes ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
    shift
done
if [ "$QUICK" = yes ]; then
    REPLICA_LIST=1 RUNS=1 USER_COUNT=200 STEP_SECONDS=2 HOLD_MS=200
fi
for v in RUNS USER_COUNT STEP_SECONDS HOLD_MS PORT_OFFSET; do
    case "${!v}" in '' | *[!0-9]*) die "$v must be a number" ;; esac
done
[ "$USER_COUNT" -ge 1 ] && [ "$USER_COUNT" -le 100000 ] || die "--users must be 1..100000"
[ "$STEP_SECONDS" -ge 1 ] && [ "$STEP_SECONDS" -le 60 ] || die "--seconds must be 1..60"
wants() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

PLATFORM_ROOT=${PLATFORM_ROOT:-$REPO}
DOMAIN=${SIP_DOMAIN:-siplane.test}
CALLEE=uas CALLEE_PASSWORD=pw-uas-callee
UAS_PORT=$((7070 + PORT_OFFSET)) REGISTER_PORT=$((7071 + PORT_OFFSET)) CALLER_PORT=$((7072 + PORT_OFFSET))
REDIRECT_CLIENT_PORT=$((7073 + PORT_OFFSET))
KAMAILIO_WORKERS=${KAMAILIO_WORKERS:-4} KAMAILIO_SHM=${KAMAILIO_SHM:-2048}
MODERATE_REGISTER=${MODERATE_REGISTER:-1000} MODERATE_CALL=${MODERATE_CALL:-200} MODERATE_REDIRECT=${MODERATE_REDIRECT:-2000}

# ---------------------------------------------------------------------------------------------------------------
# Tools: installed with apt on a fresh Debian when missing
# ---------------------------------------------------------------------------------------------------------------
ensure_tools() {
    local missing=()
    have sipp || missing+=(sip-tester)
    have curl || missing+=(curl)
    wants rest && ! have wrk && missing+=(wrk)
    [ "$WITH_KAMAILIO" = yes ] && ! have kamailio && missing+=(kamailio)
    have cc || missing+=(gcc libc6-dev)
    if [ ${#missing[@]} -gt 0 ]; then
        step "Installing ${missing[*]} (apt-get)"
        have apt-get || die "missing ${missing[*]} and no apt-get to install them"
        local sudo=''
        [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
            || die "apt-get install ${missing[*]} failed"
    fi
    # SIPp reads the coarse kernel clocks (4 ms steps here): a preloaded shim gives it the precise ones
    SIPP_PRELOAD=''
    local shim="$BENCH/out/.tools/monoclock.so"
    mkdir -p "$BENCH/out/.tools"
    if [ ! -f "$shim" ] || [ "$BENCH/tools/monoclock.c" -nt "$shim" ]; then
        cc -shared -fPIC -O2 -o "$shim" "$BENCH/tools/monoclock.c" -ldl 2>/dev/null || warn "no C compiler: SIPp times in 4 ms steps"
    fi
    [ -f "$shim" ] && SIPP_PRELOAD=$shim
}

machine_info() {
    {
        echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "commit: $(git -C "$PLATFORM_ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$PLATFORM_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+local changes)')"
        echo "cpu: $(nproc) x $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
        echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
        echo "kernel: $(uname -r)"
        echo "java: $(java -version 2>&1 | head -1)"
        echo "sipp: $(sipp -v 2>&1 | awk '/SIPp v/ { print $2; exit }')"
        [ "$WITH_KAMAILIO" = yes ] && echo "kamailio: $(kamailio -v 2>/dev/null | awk '/^version/ { print $3; exit }')"
        have wrk && echo "wrk: $(wrk -v 2>&1 | awk '/^wrk/ { print $2; exit }')"
        echo "JAVA_OPTS: ${BENCH_JAVA_OPTS:-(run.sh default)}"
        for v in GATEWAY_JAVA_OPTS REGISTRAR_JAVA_OPTS PROXY_JAVA_OPTS REDIRECT_JAVA_OPTS LOCATION_JAVA_OPTS; do
            [ -n "${!v:-}" ] && echo "$v: ${!v}"
        done
        echo "load average at start: $(loadavg)"
        echo "command: bench/run.sh $ARGS"
    } >"$OUT/machine.txt"
    sed 's/^/    /' "$OUT/machine.txt"
}

# ---------------------------------------------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------------------------------------------
# Registers the callee (a one-line users file, from the callee's own port) and every user once at a moderate rate;
# on Siplane this is also where Redis memory per binding is measured.
populate() {
    step "Registering the callee and $USER_COUNT users"
    printf 'SEQUENTIAL\n%s;%s;%s\n' "$CALLEE" "$DOMAIN" "$CALLEE_PASSWORD" >"$OUT/callee.csv"
    local mem_before='' aors_before=''
    if [ "$TARGET" = siplane ]; then mem_before=$(redis_used_memory); aors_before=$(redis_aors); fi
    (cd "$OUT" && sipp "$SIP_HOST:$SIP_PORT" -sf "$SCENARIOS/register_uac.xml" -inf "$OUT/callee.csv" -auth_uri "$DOMAIN" -i 127.0.0.1 \
        -mi 127.0.0.1 -p "$UAS_PORT" -t u1 -r 1 -m 1 -nostdin -timeout 10 -timeout_error >"$OUT/callee-register.out" 2>&1) \
        || die "the callee could not register at $SIP_HOST:$SIP_PORT (see $OUT/callee-register.out)"
    local rate=$((USER_COUNT / 10))
    [ "$rate" -lt 100 ] && rate=100
    [ "$rate" -gt 500 ] && rate=500
    # every user once (a second pass if some registrations failed: the users file starts over)
    local pass
    for pass in 1 2; do
        STEP_PAUSE=1 run_step register "$rate" $(((USER_COUNT + rate - 1) / rate)) populate >/dev/null && break
        warn "populate pass $pass did not pass cleanly: $STEP_WHY"
    done
    if [ "$TARGET" = siplane ]; then
        local mem_after aors_after
        mem_after=$(redis_used_memory) aors_after=$(redis_aors)
        REDIS_PER_BINDING=$(awk -v a="$mem_after" -v b="$mem_before" -v n=$((aors_after - aors_before)) 'BEGIN { printf "%.0f", (n > 0 ? (a - b) / n : 0) }')
        note "Redis: used_memory $mem_before -> $mem_after bytes for $((aors_after - aors_before)) AORs with one binding each: $REDIS_PER_BINDING bytes per binding"
    fi
}

# warm-up (JIT, caches, connection pools), not counted: per workload, 10 s steps at a quarter, a half and the
# whole of the moderate rate, then that last step again until one passes (at most 3 more). A JVM is not warm after
# a few thousand requests: C2 compiles the hot paths over tens of thousands, and a search started on a half-warm
# JVM failed its first step with a handful of lost calls and measured a third of the real maximum.
warm_up() {
    step "Warm-up (not counted)"
    local w rate tries
    for w in register call redirect; do
        wants "$w" || continue
        case "$w" in
            register) rate=$MODERATE_REGISTER ;;
            call) rate=$MODERATE_CALL ;;
            redirect) rate=$MODERATE_REDIRECT ;;
        esac
        run_step "$w" $((rate / 4)) 10 warmup
        run_step "$w" $((rate / 2)) 10 warmup
        for ((tries = 0; tries < 4; tries++)); do
            run_step "$w" "$rate" 10 warmup && break
        done
    done
}

search_params() { # workload -> "start factor grain cap moderate"
    case "$1" in
        register) echo "500 1.5 100 60000 $MODERATE_REGISTER" ;;
        call) echo "100 1.5 25 10000 $MODERATE_CALL" ;;
        redirect) echo "1000 1.5 100 60000 $MODERATE_REDIRECT" ;;
    esac
}

# runs the search RUNS times, then one step at half the median maximum and one at the fixed moderate rate
measure() { # workload
    local w=$1 start factor grain cap moderate run maxes=() p50s=() p99s=() cpus=() boxes=() sipps=()
    read -r start factor grain cap moderate <<<"$(search_params "$w")"
    step "$TARGET${REPLICAS:+ ($REPLICAS replicas)}: $w, $RUNS run(s) of rate steps + bisection, ${STEP_SECONDS} s per step (load $(loadavg))"
    for ((run = 1; run <= RUNS; run++)); do
        note "run $run"
        if [ "$run" = 1 ]; then
            search_max "$w" "$start" "$factor" "$grain" "$cap"
        else
            # later runs start just below the first run's result and step finer
            local s
            s=$(round_to "$(awk -v m="${maxes[0]}" 'BEGIN { print m * 0.85 }')" "$grain")
            search_max "$w" "$s" 1.1 "$grain" "$cap"
        fi
        maxes+=("$MAX_RATE") p50s+=("$MAX_P50") p99s+=("$MAX_P99") cpus+=("$MAX_CPU") boxes+=("$MAX_BOX") sipps+=("$MAX_SIPP")
    done
    local med idx=0 i
    med=$(median_of "${maxes[@]}")
    # the run whose maximum is the median (for its latency and CPU figures)
    for i in "${!maxes[@]}"; do [ "${maxes[$i]}" = "${med%.*}" ] && idx=$i; done
    local half half_p50=- half_p99=- mod_p50=- mod_p99=- mod_pass=-
    half=$(round_to "$(awk -v m="$med" 'BEGIN { print m / 2 }')" "$grain")
    if [ "${med%.*}" -gt 0 ]; then
        note "at half the maximum, $half/s"
        run_step "$w" "$half" "$STEP_SECONDS" half
        half_p50=$STEP_P50 half_p99=$STEP_P99
    fi
    note "at the fixed moderate rate, $moderate/s"
    if run_step "$w" "$moderate" "$STEP_SECONDS" moderate; then mod_pass=yes; else mod_pass=no; fi
    mod_p50=$STEP_P50 mod_p99=$STEP_P99
    # CPU cost per operation at the moderate rate: µs of CPU time per call (registration, redirect) and process
    local cost
    cost=$(tr ' ' '\n' <<<"$STEP_CPU" | awk -F= -v r="$moderate" 'NF == 2 { printf "%s%s=%.0f", sep, $1, $2 * 10000 / r; sep = " " }')
    record "$OUT/summary.tsv" $'target\treplicas\tworkload\tmax_median\tmax_range\tmaxes\tp50_at_max\tp99_at_max\tcpu_at_max\tbox_at_max\tsipp_at_max\thalf_rate\tp50_at_half\tp99_at_half\tmoderate_rate\tmoderate_pass\tp50_at_moderate\tp99_at_moderate\tcpu_us_per_op_at_moderate' \
        "$TARGET" "${REPLICAS:--}" "$w" "$med" "$(median_range "${maxes[@]}")" "${maxes[*]}" "${p50s[$idx]}" "${p99s[$idx]}" \
        "${cpus[$idx]}" "${boxes[$idx]}" "${sipps[$idx]}" "$half" "$half_p50" "$half_p99" "$moderate" "$mod_pass" "$mod_p50" "$mod_p99" "$cost"
    printf '  %s%s %s: max %s/s%s  p50/p99 there %s/%s ms; at %s/s p99 %s ms; at %s/s %s/%s ms; CPU µs per op: %s\n' "$B" \
        "$TARGET" "$w" "$(median_range "${maxes[@]}")" "$N" "${p50s[$idx]}" "${p99s[$idx]}" "$half" "$half_p99" "$moderate" \
        "$mod_p50" "$mod_p99" "$cost"
}

# --quick: one short step per workload at a low rate; any failure fails the smoke
quick_checks() {
    local failed=0
    wants register && { run_step register 200 "$STEP_SECONDS" quick || failed=1; }
    wants call && { run_step call 50 "$STEP_SECONDS" quick || failed=1; }
    wants redirect && { run_step redirect 200 "$STEP_SECONDS" quick || failed=1; }
    if wants rest && [ "$TARGET" = siplane ]; then
        rest_measure gateway "$GATEWAY_HTTP" 1
        { [ "${REST_RATE:-0}" -gt 0 ] && [ "$REST_ERRORS" = 0 ]; } || { warn "REST lookups failed"; failed=1; }
    fi
    QUICK_FAILED=$((${QUICK_FAILED:-0} + failed))
}

memory_snapshot() { # -> summary of RSS per monitored process
    local i out=()
    for i in "${!MON_NAMES[@]}"; do
        out+=("${MON_NAMES[$i]}=$(($(tree_rss_kib "${MON_PIDS[$i]}" VmHWM) / 1024))/$(($(tree_rss_kib "${MON_PIDS[$i]}") / 1024))")
    done
    echo "${out[*]}"
}

jfr_start() {
    [ "$JFR" = yes ] || return 0
    mkdir -p "$OUT/jfr"
    local i
    for i in "${!MON_NAMES[@]}"; do
        [ "${MON_NAMES[$i]}" = redis ] && continue
        jcmd "${MON_PIDS[$i]}" JFR.start name=bench settings=profile "filename=$OUT/jfr/${MON_NAMES[$i]}-r${REPLICAS}.jfr" >/dev/null 2>&1 \
            || warn "JFR did not start in ${MON_NAMES[$i]}"
    done
}
jfr_stop() {
    [ "$JFR" = yes ] || return 0
    local i
    for i in "${!MON_NAMES[@]}"; do
        [ "${MON_NAMES[$i]}" = redis ] && continue
        jcmd "${MON_PIDS[$i]}" JFR.stop name=bench >/dev/null 2>&1
    done
    note "JFR recordings in $OUT/jfr/"
}

bench_siplane() { # replicas first(yes|no)
    TARGET=siplane REPLICAS=$1
    local first=$2
    if [ "$ATTACH" = yes ]; then
        siplane_attach
    else
        siplane_start "$REPLICAS"
        step "Provisioning $USER_COUNT subscribers and the callee through the REST API"
        siplane_provision "$USERS_CSV" "$CALLEE:$CALLEE_PASSWORD"
    fi
    REDIS_PER_BINDING=-
    populate
    if [ "$QUICK" = yes ]; then
        quick_checks
    else
        warm_up
        jfr_start
        local w
        for w in register call redirect; do
            wants "$w" || continue
            # proxy replicas matter only for calls: the other workloads are measured with the first replica count
            [ "$first" = yes ] || [ "$w" = call ] || continue
            measure "$w"
        done
        if [ "$first" = yes ] && wants rest; then
            step "REST lookups with wrk (load $(loadavg))"
            rest_measure gateway "$GATEWAY_HTTP" "$STEP_SECONDS"
            record "$OUT/rest.tsv" $'via\tmax_rate\terrors\tp50\tp99\tbox\tcpu\tpaced_rate\tpaced_p50\tpaced_p99' \
                gateway "$REST_RATE" "$REST_ERRORS" "$REST_P50" "$REST_P99" "$REST_BOX" "$REST_CPU" "$REST_PACED_RATE" "$REST_PACED_P50" "$REST_PACED_P99"
            rest_measure location "$LOCATION_HTTP" "$STEP_SECONDS"
            record "$OUT/rest.tsv" '' \
                location-service "$REST_RATE" "$REST_ERRORS" "$REST_P50" "$REST_P99" "$REST_BOX" "$REST_CPU" "$REST_PACED_RATE" "$REST_PACED_P50" "$REST_PACED_P99"
        fi
        jfr_stop
    fi
    local mem
    mem=$(memory_snapshot)
    note "RSS peak/now MiB: $mem"
    record "$OUT/memory.tsv" $'target\treplicas\tredis_bytes_per_binding\trss_peak_now_mib' siplane "$REPLICAS" "$REDIS_PER_BINDING" "$mem"
    [ "$KEEP" = yes ] || [ "$ATTACH" = yes ] || siplane_stop
}

siplane_attach() {
    local session="$PLATFORM_ROOT/.run/session"
    [ -r "$session" ] || die "--attach: no Siplane started by $PLATFORM_ROOT/run.sh"
    API_TOKEN=$(. "$session" && printf '%s' "$PLATFORM_API_TOKEN")
    DOMAIN=$(. "$session" && printf '%s' "$SIP_DOMAIN")
    SIP_HOST=127.0.0.1 SIP_PORT=$((5060 + PORT_OFFSET)) REDIRECT_PORT=$((5090 + PORT_OFFSET))
    LOCATION_HTTP=$((8081 + PORT_OFFSET)) GATEWAY_HTTP=$((8080 + PORT_OFFSET)) REDIS_PORT=$((6399 + PORT_OFFSET))
    PRE_STEP_HOOK=siplane_await_targets
    MON_NAMES=() MON_PIDS=()
    local f name pid
    for f in "$PLATFORM_ROOT"/.run/pids/*.pid; do
        name=$(basename "$f" .pid)
        case "$name" in redis | run.sh) continue ;; esac
        pid=$(cat "$f") && kill -0 "$pid" 2>/dev/null && MON_NAMES+=("${name/-service/}") MON_PIDS+=("$pid")
    done
    step "Attached to the running Siplane: ${MON_NAMES[*]}"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $API_TOKEN" \
        "http://127.0.0.1:$LOCATION_HTTP/api/v1/subscribers/$CALLEE@$DOMAIN")" != 200 ]; then
        siplane_provision "$USERS_CSV" "$CALLEE:$CALLEE_PASSWORD"
    fi
}

bench_kamailio() {
    TARGET=kamailio REPLICAS=''
    kamailio_start
    populate
    if [ "$QUICK" = yes ]; then
        quick_checks
    else
        warm_up
        local w
        for w in register call redirect; do wants "$w" && measure "$w"; done
    fi
    record "$OUT/memory.tsv" $'target\treplicas\tredis_bytes_per_binding\trss_peak_now_mib' kamailio - - "$(memory_snapshot)"
    kamailio_stop
}

cleanup() {
    [ -n "${KAMAILIO_PID:-}" ] && kamailio_stop
    [ "$KEEP" = yes ] || [ "$ATTACH" = yes ] || siplane_stop
}

# ---------------------------------------------------------------------------------------------------------------
OUT="$BENCH/out/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT/steps"
ln -sfn "$OUT" "$BENCH/out/latest"
step "Siplane benchmark → ${OUT#"$REPO"/}"
ensure_tools
machine_info
API_TOKEN=${PLATFORM_API_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
USERS_CSV="$OUT/users.csv"
sh "$BENCH/tools/gen_users.sh" "$USER_COUNT" "$DOMAIN" user >"$USERS_CSV"
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$WITH_SIPLANE" = yes ]; then
    first=yes
    for r in ${REPLICA_LIST//,/ }; do
        case "$r" in [1-9]) ;; *) die "--replicas takes numbers 1..9" ;; esac
        bench_siplane "$r" "$first"
        first=no
    done
fi
[ "$WITH_KAMAILIO" = yes ] && bench_kamailio

"$BENCH/tools/report.sh" "$OUT" | tee "$OUT/report.md"
if [ "$QUICK" = yes ]; then
    [ "${QUICK_FAILED:-0}" = 0 ] || { say "${R}quick benchmark smoke: FAILED${N}"; exit 1; }
    say "${G}quick benchmark smoke: passed${N}"
fi
