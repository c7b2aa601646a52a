#!/usr/bin/env bash
# The gateway's CPU per message relayed, from /proc: SIPp sends MESSAGEs through the gateway to a SIPp UAS standing in
# for the one proxy (all on loopback); each call is two messages through the gateway (the request and its 200).
# Bounded: one warm-up run and one measured run, each a fixed number of calls at a fixed rate.
#   gateway/bench/relay-cpu.sh [engine: netty|jain-sip] [rate/s] [calls] [port offset]
# JFR=<file.jfr> also records a profile of the gateway (read it with bench/tools/jfr-top.sh).
# Needs the gateway's exec jar (./mvnw -pl gateway -am package -DskipTests) and sipp. Figures on a shared machine
# are indicative only: other processes take cores, caches and the JIT's threads.
set -euo pipefail
ENGINE=${1:-netty}
RATE=${2:-1000}
CALLS=${3:-20000}
OFFSET=${4:-0}
cd "$(dirname "$0")/../.."
JAR=$(ls gateway/target/gateway-*-exec.jar | head -1)
GW=$((15060 + OFFSET)) UAS=$((15080 + OFFSET)) UAC=$((15090 + OFFSET)) HTTP=$((18080 + OFFSET)) MGMT=$((18090 + OFFSET))
WORK=$(mktemp -d)
cleanup() {
    [[ -n ${GW_PID:-} ]] && kill "$GW_PID" 2>/dev/null || true
    [[ -n ${UAS_PID:-} ]] && kill "$UAS_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
(cd "$WORK" && exec sipp -sf "$OLDPWD/gateway/bench/uas_any.xml" -i 127.0.0.1 -p "$UAS" -bg -nostdin >/dev/null 2>&1) || true
UAS_PID=$(pgrep -n -f "sipp -sf .*uas_any.xml -i 127.0.0.1 -p $UAS" || true)
PLATFORM_API_TOKEN=relay-cpu-token PROXY_TARGETS=127.0.0.1:$UAS REGISTRAR_TARGETS=127.0.0.1:$UAS SIP_BIND_ADDRESS=127.0.0.1 \
    java -Xmx512m ${JFR:+-XX:StartFlightRecording=filename=$JFR,settings=profile} -jar "$JAR" --sip.engine="$ENGINE" --sip.port="$GW" --server.port="$HTTP" --management.server.port="$MGMT" \
    --gateway.flood.allow=127.0.0.0/8 --logging.level.root=WARN >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$HTTP/healthz" >/dev/null 2>&1 && break
    sleep 1
done
curl -fs "http://127.0.0.1:$HTTP/healthz" >/dev/null || { echo "gateway did not become ready"; tail -20 "$WORK/gateway.log"; exit 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$GW_PID/stat"; }
run() {
    (cd "$WORK" && sipp "127.0.0.1:$GW" -sf "$OLDPWD/gateway/bench/uac_message.xml" -i 127.0.0.1 -p "$UAC" -r "$RATE" -m "$1" \
        -timeout 120s -nostdin -trace_stat -stf "stat-$2.csv" >/dev/null 2>&1) || true
    awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } END { print "  successful " $col["SuccessfulCall(C)"] \
        ", failed " $col["FailedCall(C)"] ", retransmissions " $col["Retransmissions(C)"] }' "$WORK/stat-$2.csv" || true
}
echo "warm-up: $((CALLS / 2)) calls at $RATE/s"
run $((CALLS / 2)) warm
before=$(cpu_ticks)
echo "measured: $CALLS calls at $RATE/s ($ENGINE engine)"
run "$CALLS" measured
after=$(cpu_ticks)
hz=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v hz="$hz" -v m=$((CALLS * 2)) \
    'BEGIN { s = t / hz; printf "gateway CPU %.2f s for %d messages: %.1f us per message relayed\n", s, m, s * 1e6 / m }'
