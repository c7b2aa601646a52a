# shellcheck shell=bash
# One SIPp load step, and the search for the highest passing rate (rate steps up, then bisection), by the
# method of shared/bench/README.md: a step passes when SIPp exits 0, every call succeeded, there were 0 failed
# calls and 0 retransmissions (caller and callee), and SIPp kept up with the offered rate.
#
# Uses these globals (set by run.sh for the system under test):
#   TARGET        label of the system under test (siplane, kamailio)
#   SIP_HOST SIP_PORT      where REGISTER and INVITE go (our gateway; Kamailio)
#   REDIRECT_PORT          the redirect server
#   DOMAIN USERS_CSV CALLEE UAS_PORT HOLD_MS
#   MON_NAMES MON_PIDS     parallel arrays of the processes whose CPU is accounted (a Kamailio pid counts with
#                          its worker children)
#   OUT SCENARIOS SIPP_PRELOAD

STEP_NO=${STEP_NO:-0}
SIPP_BUFF=4194304
STEP_SLACK_MS=${STEP_SLACK_MS:-1500}

# field of the last line of a SIPp -trace_stat file, by header name
stat_field() { # file name
    awk -F';' -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) col = i; next } { last = $col } END { print (col ? last + 0 : -1) }' "$1" 2>/dev/null
}

# response times of one rtd (by its name in the scenario) from a -trace_rtt file, in ms
rtt_values() { # file rtd
    awk -F';' -v rtd="$2" 'NR > 1 && $3 == rtd { print $2 }' "$1" 2>/dev/null
}

# Waits (at most 10 s) until no socket is bound to a UDP port (a SIPp of the previous step still finishing).
await_port_free() {
    local hex deadline=$(($(now_ms) + 10000))
    hex=$(printf ':%04X' "$1")
    while awk -v p="$hex" 'FNR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' /proc/net/udp; do
        [ "$(now_ms)" -lt "$deadline" ] || { warn "UDP port $1 still bound after 10 s"; return 0; }
        sleep 0.2
    done
}

# Runs one step: WORKLOAD (register|call|redirect) at RATE/s for SECONDS. Sets STEP_PASS (yes|no), STEP_WHY,
# STEP_P50 STEP_P99 (ms, first response time of the scenario), STEP_CPU ("name=pct ..."), STEP_BOX (whole-box %),
# STEP_SIPP (SIPp's own CPU %), and appends a line to $OUT/steps.tsv.
run_step() { # workload rate seconds tag
    local workload=$1 rate=$2 secs=$3 tag=${4:-}
    STEP_NO=$((STEP_NO + 1))
    local count=$((rate * secs)) hold_ms=0 dest scenario rtd
    local dir
    dir="$OUT/steps/$(printf '%03d' "$STEP_NO")-$TARGET-$workload-$rate"
    mkdir -p "$dir"
    case "$workload" in
        call) hold_ms=$HOLD_MS ;;
    esac
    local budget=$((secs + hold_ms / 1000 + 12))
    local args=(-i 127.0.0.1 -mi 127.0.0.1 -t u1 -r "$rate" -m "$count" -nostdin -buff_size "$SIPP_BUFF"
        -trace_stat -stf "$dir/stat.csv" -fd 1 -trace_rtt -rtt_freq "$rate" -recv_timeout 8000
        -timeout "$budget" -timeout_error)
    case "$workload" in
        # a fixed local port per workload: the registered contacts stay the same from step to step
        # -default_behaviors all,-bye: SIPp ends a failed "call" with a BYE by default; for a REGISTER or an INVITE
        # answered 302 that BYE goes through the gateway to a proxy and on to the user's contact (SIPp's own port),
        # whose client transaction then retransmits it for 32 s into the next steps (proxy CPU in REGISTER steps)
        register) dest="$SIP_HOST:$SIP_PORT" scenario=register_uac.xml rtd=reg
            # -auth_uri: the digest uri must name the Request-URI; SIPp's is the next hop's address without it
            args+=(-inf "$USERS_CSV" -auth_uri "$DOMAIN" -p "$REGISTER_PORT" -default_behaviors all,-bye) ;;
        call) dest="$SIP_HOST:$SIP_PORT" scenario=call_uac.xml rtd=invite
            args+=(-s "$CALLEE" -key target_domain "$DOMAIN" -d "$hold_ms" -p "$CALLER_PORT") ;;
        redirect) dest="$SIP_HOST:$REDIRECT_PORT" scenario=redirect_uac.xml rtd=redirect
            args+=(-inf "$USERS_CSV" -p "$REDIRECT_CLIENT_PORT" -default_behaviors all,-bye) ;;
        *) die "unknown workload $workload" ;;
    esac

    # a previous overloaded step may have left a replica out of the gateway's rotation for a few seconds
    [ -n "${PRE_STEP_HOOK:-}" ] && "$PRE_STEP_HOOK"

    local uas_pid=''
    if [ "$workload" = call ]; then
        await_port_free "$UAS_PORT"
        await_port_free "$CALLER_PORT"
        (cd "$dir" && exec env ${SIPP_PRELOAD:+LD_PRELOAD=$SIPP_PRELOAD} sipp -sf "$SCENARIOS/call_uas.xml" \
            -i 127.0.0.1 -mi 127.0.0.1 -p "$UAS_PORT" -t u1 -m "$count" -nostdin -buff_size "$SIPP_BUFF" \
            -trace_stat -stf "$dir/uas.csv" -fd 1 -recv_timeout 8000 -timeout "$((budget + 4))" -timeout_error \
            >"$dir/uas.out" 2>&1) &
        uas_pid=$!
        sleep 0.3
    fi

    local before box_before t0 t1 rc
    before=$(monitor_snapshot)
    box_before=$(box_jiffies)
    t0=$(now_ms)
    local TIMEFORMAT='%U %S'
    { time (cd "$dir" && env ${SIPP_PRELOAD:+LD_PRELOAD=$SIPP_PRELOAD} sipp "$dest" -sf "$SCENARIOS/$scenario" \
        "${args[@]}" >"$dir/sipp.out" 2>&1); } 2>"$dir/sipp.time"
    rc=$?
    t1=$(now_ms)
    local after box_after
    after=$(monitor_snapshot)
    box_after=$(box_jiffies)

    local uas_rc=0
    if [ -n "$uas_pid" ]; then
        local deadline=$(($(now_ms) + 6000))
        while kill -0 "$uas_pid" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.1; done
        if kill -0 "$uas_pid" 2>/dev/null; then
            # the subshell exec'd sipp: this is the callee itself. SIPp takes SIGTERM as "finish the calls first",
            # so a callee left with unfinished calls would keep the port and share the next step's traffic
            kill -TERM "$uas_pid" 2>/dev/null
            sleep 1
            kill -KILL "$uas_pid" 2>/dev/null
            uas_rc=124
        fi
        local waited
        wait "$uas_pid" 2>/dev/null
        waited=$?
        [ "$uas_rc" = 124 ] || uas_rc=$waited
    fi

    # accounting over the measured window (SIPp's run)
    local wall_ms=$((t1 - t0))
    STEP_CPU=$(cpu_percents "$before" "$after" "$wall_ms")
    STEP_BOX=$(box_percent "$box_before" "$box_after")
    STEP_SIPP=$(awk -v w="$wall_ms" '{ printf "%.0f", ($1 + $2) * 100000 / w }' "$dir/sipp.time" 2>/dev/null)

    local ok failed retrans outgoing uas_failed=0 uas_retrans=0
    ok=$(stat_field "$dir/stat.csv" 'SuccessfulCall(C)')
    failed=$(stat_field "$dir/stat.csv" 'FailedCall(C)')
    retrans=$(stat_field "$dir/stat.csv" 'Retransmissions(C)')
    outgoing=$(stat_field "$dir/stat.csv" 'OutgoingCall(C)')
    if [ -n "$uas_pid" ]; then
        uas_failed=$(stat_field "$dir/uas.csv" 'FailedCall(C)')
        uas_retrans=$(stat_field "$dir/uas.csv" 'Retransmissions(C)')
    fi
    local rtt
    rtt=$(ls "$dir"/*_rtt.csv 2>/dev/null | head -1)
    STEP_P50=$(rtt_values "$rtt" "$rtd" | pct 50)
    STEP_P99=$(rtt_values "$rtt" "$rtd" | pct 99)

    # SIPp kept up: all calls were placed within the step (plus the hold time and the last answers)
    local allowed_ms=$((secs * 1000 + hold_ms + STEP_SLACK_MS))
    STEP_WHY=''
    if [ "$rc" != 0 ]; then STEP_WHY+="sipp exit $rc; "; fi
    if [ "$failed" != 0 ]; then STEP_WHY+="$failed failed; "; fi
    if [ "$retrans" != 0 ]; then STEP_WHY+="$retrans retransmissions; "; fi
    if [ "$ok" != "$count" ]; then STEP_WHY+="$ok/$count succeeded; "; fi
    if [ -n "$uas_pid" ]; then
        [ "$uas_rc" = 0 ] || STEP_WHY+="callee exit $uas_rc; "
        [ "$uas_failed" = 0 ] || STEP_WHY+="callee $uas_failed failed; "
        [ "$uas_retrans" = 0 ] || STEP_WHY+="callee $uas_retrans retransmissions; "
    fi
    if [ "$wall_ms" -gt "$allowed_ms" ]; then STEP_WHY+="took ${wall_ms} ms (SIPp or server fell behind); "; fi
    if [ -z "$STEP_WHY" ]; then STEP_PASS=yes; else STEP_PASS=no; STEP_WHY=${STEP_WHY%; }; fi

    record "$OUT/steps.tsv" $'step\ttarget\treplicas\tworkload\ttag\trate\tseconds\tpass\tp50_ms\tp99_ms\twall_ms\tbox_cpu\tsipp_cpu\tcpu\tload\twhy' \
        "$STEP_NO" "$TARGET" "${REPLICAS:--}" "$workload" "$tag" "$rate" "$secs" "$STEP_PASS" "$STEP_P50" "$STEP_P99" \
        "$wall_ms" "$STEP_BOX" "$STEP_SIPP" "$STEP_CPU" "$(loadavg)" "${STEP_WHY:--}"
    local mark="${G}pass${N}"
    [ "$STEP_PASS" = yes ] || mark="${R}FAIL${N}"
    printf '    %-8s %6s/s %3ss  %s  p50 %6s p99 %7s ms  box %3s%%  sipp %3s%%  %s%s\n' "$workload" "$rate" "$secs" "$mark" \
        "$STEP_P50" "$STEP_P99" "$STEP_BOX" "${STEP_SIPP:--}" "$STEP_CPU" "${STEP_WHY:+  ($STEP_WHY)}"
    # let the server drain queues and timers before the next step. After a failed call step, wait out RFC 3261
    # Timer B (32 s): the proxy is still retransmitting INVITEs the overloaded callee never answered, and the next
    # step's callee (same port, same registered contact) would take them as new calls, answer them towards a
    # caller that is gone and fail as many of its own calls (every later step then failed a fixed number of calls)
    if [ "$STEP_PASS" = no ] && [ "$workload" = call ]; then
        sleep "${CALL_FAIL_PAUSE:-34}"
    else
        sleep "${STEP_PAUSE:-2}"
    fi
    [ "$STEP_PASS" = yes ]
}

# Highest passing rate: steps from START multiplied by FACTOR until one fails (or CAP passes), then bisection
# until the gap is below PRECISION percent (or GRAIN). Sets MAX_RATE and MAX_P50/MAX_P99/MAX_CPU/MAX_BOX/MAX_SIPP
# of the highest passing step.
search_max() { # workload start factor grain cap
    local workload=$1 rate=$2 factor=$3 grain=$4 cap=$5 secs=${STEP_SECONDS:-10}
    local pass=0 fail=0
    MAX_RATE=0 MAX_P50=- MAX_P99=- MAX_CPU=- MAX_BOX=- MAX_SIPP=-
    while :; do
        if run_step "$workload" "$rate" "$secs" search; then
            pass=$rate MAX_RATE=$rate MAX_P50=$STEP_P50 MAX_P99=$STEP_P99 MAX_CPU=$STEP_CPU MAX_BOX=$STEP_BOX MAX_SIPP=$STEP_SIPP
            [ "$rate" -ge "$cap" ] && return 0
            rate=$(awk -v r="$rate" -v f="$factor" -v g="$grain" -v c="$cap" 'BEGIN { n = int(r * f / g + 0.5) * g; if (n <= r) n = r + g; if (n > c) n = c; print n }')
        else
            fail=$rate
            break
        fi
    done
    while :; do
        local gap=$((fail - pass)) need
        need=$(awk -v p="$pass" -v pr="${PRECISION:-4}" -v g="$grain" 'BEGIN { n = p * pr / 100; if (n < g) n = g; printf "%d", n }')
        [ "$gap" -le "$need" ] && break
        rate=$(awk -v p="$pass" -v f="$fail" -v g="$grain" 'BEGIN { m = int((p + f) / 2 / g + 0.5) * g; if (m <= p) m = p + g; if (m >= f) m = f - g; print m }')
        [ "$rate" -le "$pass" ] || [ "$rate" -ge "$fail" ] && break
        if run_step "$workload" "$rate" "$secs" bisect; then
            pass=$rate MAX_RATE=$rate MAX_P50=$STEP_P50 MAX_P99=$STEP_P99 MAX_CPU=$STEP_CPU MAX_BOX=$STEP_BOX MAX_SIPP=$STEP_SIPP
        else
            fail=$rate
        fi
    done
}
