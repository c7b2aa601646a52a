#!/usr/bin/env bash
# End to end through the README's run command: `./run.sh start` brings the platform up, two SIPp user
# agents (bob, then alice) register through the gateway with the credentials it printed, alice calls bob
# (answering a 407 if the proxy challenges), both hang up cleanly, and `./run.sh stop` leaves no process.
# Needs sipp (apt: sip-tester). Loopback only. Last line: "e2e-call: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
WORK=$(mktemp -d)
BOB_PORT=25062
ALICE_PORT=25061
# shellcheck source=.ci/checks.sh
. "$ROOT/.ci/checks.sh"
platform_addresses

finish() {
    ./run.sh stop >/dev/null 2>&1
    print_summary e2e-call
    rm -rf "$WORK"
    [ "$failed" -eq 0 ]
    exit
}
trap 'finish' INT TERM

command -v sipp >/dev/null 2>&1 || { echo "e2e-call: sipp is missing (apt-get install sip-tester)"; failed=1; finish; }

echo "End to end through ./run.sh:"
platform_start
TOKEN=$(printed_token)
ALICE=$(printed_password alice)
BOB=$(printed_password bob)
check "the token and both demo passwords are printed" test -n "$TOKEN" -a -n "$ALICE" -a -n "$BOB"
check "./run.sh status: all healthy" ./run.sh status

rest_status() { # path -> HTTP status through the gateway
    curl -s -o "$WORK/body.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_HTTP$1"
}
check "REST through the gateway: no binding for alice yet (404)" test "$(rest_status "/api/v1/bindings/alice@$DOMAIN")" = 404

printf 'SEQUENTIAL\nbob;[authentication username=bob password=%s];%s\n' "$BOB" "$DOMAIN" >"$WORK/bob.csv"
printf 'SEQUENTIAL\nalice;[authentication username=alice password=%s];%s\n' "$ALICE" "$DOMAIN" >"$WORK/alice.csv"
sipp_run() { # scenario csv port [remote]
    # the digest uri must name the Request-URI: SIPp's is the next hop's address unless -auth_uri says otherwise
    local auth_uri=()
    case "$1" in register.xml) auth_uri=(-auth_uri "$DOMAIN") ;; call.xml) auth_uri=(-auth_uri "bob@$DOMAIN") ;; esac
    (cd "$WORK" && timeout 60 sipp ${4:+"$4"} -sf "$ROOT/.ci/sipp/$1" -inf "$2" "${auth_uri[@]}" -i 127.0.0.1 -p "$3" -m 1 \
        -nostdin -timeout 45s -timeout_error -trace_err) >"$WORK/${1%.xml}-$3.out" 2>&1
    local rc=$?
    [ $rc -eq 0 ] || { tail -n 15 "$WORK/${1%.xml}-$3.out"; cat "$WORK"/*_errors.log 2>/dev/null | head -n 40; }
    return $rc
}
check "bob registers through the gateway (401, then 200)" sipp_run register.xml bob.csv "$BOB_PORT" "$GATEWAY"
check "REST through the gateway: bob's binding (200)" test "$(rest_status "/api/v1/bindings/bob@$DOMAIN")" = 200

# bob answers on the port he registered; alice registers, calls, hangs up
sipp_run answer.xml bob.csv "$BOB_PORT" >"$WORK/answer.result" 2>&1 &
answer_pid=$!
sleep 1
check "alice registers through the gateway (401, then 200)" sipp_run register.xml alice.csv "$ALICE_PORT" "$GATEWAY"
check "alice calls bob; the call is answered, ACKed and hung up" sipp_run call.xml alice.csv "$ALICE_PORT" "$GATEWAY"
answered() { wait "$answer_pid" || { cat "$WORK/answer.result"; return 1; }; }
check "bob's side of the call completes" answered

platform_stop_leaves_nothing
finish
