# shellcheck shell=bash
# Kamailio under test: bench/kamailio/kamailio.cfg, subscribers in a db_text table it loads at start-up.

kamailio_start() {
    local dir="$OUT/kamailio" port=$((5160 + PORT_OFFSET)) rport=$((5190 + PORT_OFFSET))
    step "Starting Kamailio $(kamailio -v 2>/dev/null | awk '/^version/ { print $3 }') on 127.0.0.1:$port (redirect $rport), ${KAMAILIO_WORKERS} UDP workers, ${KAMAILIO_SHM} MiB shared memory"
    mkdir -p "$dir/db"
    # db_text table: username -> password, the same subscribers as Siplane's
    {
        printf 'username(str) password(str)\n'
        tail -n +2 "$USERS_CSV" | awk -F';' '{ print $1 ":" $3 }'
        printf '%s:%s\n' "$CALLEE" "$CALLEE_PASSWORD"
    } >"$dir/db/subscriber"
    kamailio -c -f "$BENCH/kamailio/kamailio.cfg" -A "SIP_PORT=$port" -A "REDIRECT_PORT=$rport" \
        -A "DB_URL=\"text://$dir/db\"" -A "DOMAIN=\"$DOMAIN\"" -A "WORKERS=$KAMAILIO_WORKERS" >"$dir/check.log" 2>&1 \
        || { tail -n 20 "$dir/check.log" >&2; die "kamailio.cfg does not check (log: $dir/check.log)"; }
    kamailio -DD -E -f "$BENCH/kamailio/kamailio.cfg" -m "$KAMAILIO_SHM" -M 16 -Y "$dir" -w "$dir" \
        -A "SIP_PORT=$port" -A "REDIRECT_PORT=$rport" -A "DB_URL=\"text://$dir/db\"" -A "DOMAIN=\"$DOMAIN\"" \
        -A "WORKERS=$KAMAILIO_WORKERS" </dev/null >"$dir/kamailio.log" 2>&1 &
    KAMAILIO_PID=$!
    local deadline=$(($(now_ms) + 20000))
    until [ -n "$(cat "/proc/$KAMAILIO_PID/task/$KAMAILIO_PID/children" 2>/dev/null)" ] && grep -q "$(printf ':%04X' "$port") " /proc/net/udp; do
        kill -0 "$KAMAILIO_PID" 2>/dev/null || { tail -n 20 "$dir/kamailio.log" >&2; die "Kamailio exited (log: $dir/kamailio.log)"; }
        [ "$(now_ms)" -lt "$deadline" ] || die "Kamailio did not listen within 20 s"
        sleep 0.2
    done
    sleep 1
    SIP_HOST=127.0.0.1 SIP_PORT=$port REDIRECT_PORT=$rport PRE_STEP_HOOK=''
    MON_NAMES=(kamailio) MON_PIDS=("$KAMAILIO_PID")
    note "pid $KAMAILIO_PID, $(wc -w <"/proc/$KAMAILIO_PID/task/$KAMAILIO_PID/children") processes under it"
}

kamailio_stop() {
    [ -n "${KAMAILIO_PID:-}" ] || return 0
    step "Stopping Kamailio"
    kill -TERM "$KAMAILIO_PID" 2>/dev/null
    local deadline=$(($(now_ms) + 10000))
    while kill -0 "$KAMAILIO_PID" 2>/dev/null && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.2; done
    kill -0 "$KAMAILIO_PID" 2>/dev/null && kill -KILL "$KAMAILIO_PID" 2>/dev/null
    wait "$KAMAILIO_PID" 2>/dev/null
    KAMAILIO_PID=''
}
