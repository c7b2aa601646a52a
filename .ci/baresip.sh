#!/usr/bin/env bash
# A real softphone through the README's run command: `./run.sh start` with its default configuration, then two
# headless Debian baresip instances (alice on 127.0.0.2, bob on 127.0.0.3; no audio device: a sine source and a
# null player) driven through their ctrl_tcp interface. Both register through the gateway with the printed
# credentials, alice calls bob, bob answers by himself (answermode=auto), alice hangs up. Asserted on baresip's
# own events (REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED on both sides) and on the REST API (both bindings).
# Installs Debian's baresip-core when baresip is missing (as root). Loopback only. PORT_OFFSET as for run.sh.
# Last line: "baresip: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export LC_ALL=C
ROOT=$PWD
WORK=$(mktemp -d)
# shellcheck source=.ci/checks.sh
. "$ROOT/.ci/checks.sh"
platform_addresses
# each phone: its own loopback address, a SIP port and a ctrl_tcp port (kept clear of e2e-call.sh's 2506x)
PHONE_PORT_BASE=$((24000 + PORT_OFFSET % 20000))
declare -A ADDRESS=([alice]=127.0.0.2 [bob]=127.0.0.3)
declare -A SIP_PORT=([alice]=$((PHONE_PORT_BASE + 1)) [bob]=$((PHONE_PORT_BASE + 2)))
declare -A CTRL_PORT=([alice]=$((PHONE_PORT_BASE + 11)) [bob]=$((PHONE_PORT_BASE + 12)))
declare -A CTRL_FD=([alice]=7 [bob]=8)
declare -A PHONE_PID=() READER_PID=()

stop_phones() {
    local name pid
    for name in alice bob; do
        pid=${PHONE_PID[$name]:-}
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
        pid=${READER_PID[$name]:-}
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
    done
    # baresip unregisters before it exits: a few seconds at most, then it is killed
    for name in alice bob; do
        pid=${PHONE_PID[$name]:-}
        [ -n "$pid" ] || continue
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    PHONE_PID=() READER_PID=()
}

finish() {
    trap - INT TERM EXIT
    stop_phones
    ./run.sh stop >/dev/null 2>&1
    print_summary baresip
    rm -rf "$WORK"
    [ "$failed" -eq 0 ]
    exit
}
# an interruption or an unexpected end of the script fails the run; the phones and the platform are stopped either way
trap 'failed=$((failed + 1)); echo "  FAIL  interrupted or ended early"; finish' INT TERM EXIT

if ! command -v baresip >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing baresip-core"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq baresip-core; } >"$WORK/apt.log" 2>&1 \
        || tail -n 20 "$WORK/apt.log"
fi
command -v baresip >/dev/null 2>&1 || { echo "baresip: baresip is missing (apt-get install baresip-core)"; failed=1; finish; }
MODULES=$(dirname "$(find /usr/lib /usr/local/lib -path '*/baresip/modules/ctrl_tcp.so' -print -quit 2>/dev/null)")

echo "A real softphone (baresip $(baresip -h 2>&1 | sed -n 's/^baresip v\([^ ]*\).*/\1/p')) through ./run.sh:"
platform_start
TOKEN=$(printed_token)
declare -A PASSWORD=([alice]=$(printed_password alice) [bob]=$(printed_password bob))
check "the token and both demo passwords are printed" test -n "$TOKEN" -a -n "${PASSWORD[alice]}" -a -n "${PASSWORD[bob]}"

rest_status() { # path -> HTTP status through the gateway; the body in $WORK/body.json
    curl -s -o "$WORK/body.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_HTTP$1"
}

start_phone() { # name: a baresip with no account yet, its ctrl_tcp connected and its output collected
    local name=$1 dir="$WORK/$1" fd=${CTRL_FD[$1]} i
    mkdir -p "$dir" && chmod 700 "$dir"
    # no stun/turn/ice, no audio device (ausine makes 48 kHz stereo only; baresip resamples it for G.711); SIP and RTP
    # stay on loopback
    cat >"$dir/config" <<EOF
poll_method		epoll
sip_listen		${ADDRESS[$name]}:${SIP_PORT[$name]}
net_interface		${ADDRESS[$name]}
call_local_timeout	30
call_max_calls		1
audio_source		ausine,440
ausrc_srate		48000
ausrc_channels		2
audio_player		aubridge,null
audio_alert		aubridge,null
module_path		$MODULES
module			g711.so
module			ausine.so
module			aubridge.so
module			ctrl_tcp.so
module_app		account.so
module_app		menu.so
ctrl_tcp_listen		127.0.0.1:${CTRL_PORT[$name]}
EOF
    : >"$dir/accounts"
    # -t: even a phone this script failed to stop quits by itself
    (cd "$dir" && exec baresip -f "$dir" -t 300 </dev/null >"$dir/baresip.log" 2>&1) &
    PHONE_PID[$name]=$!
    for i in $(seq 1 50); do
        kill -0 "${PHONE_PID[$name]}" 2>/dev/null || break
        { eval "exec $fd<>/dev/tcp/127.0.0.1/${CTRL_PORT[$name]}"; } 2>/dev/null && {
            cat <&"$fd" >"$dir/ctrl.out" &
            READER_PID[$name]=$!
            return 0
        }
        sleep 0.2
    done
    echo "$name: ctrl_tcp on 127.0.0.1:${CTRL_PORT[$name]} not reachable"
    tail -n 20 "$dir/baresip.log"
    return 1
}

json_escape() { sed 's/\\/\\\\/g; s/"/\\"/g'; }
command_to() { # name command params: one ctrl_tcp netstring
    local msg
    msg=$(printf '{"command":"%s","params":"%s","token":"%s"}' "$2" "$(printf '%s' "$3" | json_escape)" "$2-$RANDOM")
    printf '%d:%s,' "${#msg}" "$msg" >&"${CTRL_FD[$1]}"
}
events_of() { grep -o '{"event":true[^}]*}' "$WORK/$1/ctrl.out" 2>/dev/null; }
await_event() { # name type seconds [failure-type]: the phone reported this event within the time (not the failure)
    local name=$1 type=$2 deadline=$((SECONDS + $3)) failure=${4:-}
    while [ "$SECONDS" -lt "$deadline" ]; do
        events_of "$name" | grep -q "\"type\":\"$type\"" && return 0
        [ -n "$failure" ] && events_of "$name" | grep -q "\"type\":\"$failure\"" && break
        sleep 0.2
    done
    echo "$name: no $type within $3 s; its events:"
    events_of "$name"
    grep -v -i 'auth_pass' "$WORK/$name/baresip.log" | sed 's/\x1b\[[0-9;]*m//g' | tail -n 20 | cut -c1-300
    return 1
}
no_event() { # name type: the phone has not reported this event
    ! events_of "$1" | grep "\"type\":\"$2\""
}
printed_account() { # name: the baresip account line ./run.sh printed for that demo subscriber
    awk -v a="<sip:$1@" 'index($1, a) == 1 && /;auth_pass=/ { print $1; exit }' "$WORK/start.log"
}
register() { # name: the account exactly as ./run.sh printed it (plus a long regint and the codecs of the test's
    # audio), added through ctrl_tcp so that its REGISTER_OK cannot be missed
    local account; account=$(printed_account "$1")
    [ -n "$account" ] || { echo "$1: ./run.sh printed no baresip account line"; return 1; }
    command_to "$1" uanew "$account;regint=600;audio_codecs=pcmu,pcma" \
        && await_event "$1" REGISTER_OK 20 REGISTER_FAIL
}
binding_of() { # name: the REST API shows the phone's binding, with its own address
    local status
    status=$(rest_status "/api/v1/bindings/$1@$DOMAIN")
    [ "$status" = 200 ] && grep -q "${ADDRESS[$1]}:${SIP_PORT[$1]}" "$WORK/body.json" || { echo "HTTP $status"; cat "$WORK/body.json"; echo; return 1; }
}

check "REST through the gateway: no binding for bob yet (404)" test "$(rest_status "/api/v1/bindings/bob@$DOMAIN")" = 404
check "alice's and bob's baresip start, ctrl_tcp connected" eval 'start_phone alice && start_phone bob'
all_ok() { [ "$failed" -eq 0 ]; }
if all_ok; then
    check "bob registers through the gateway (REGISTER_OK)" register bob
    all_ok && check "alice registers through the gateway (REGISTER_OK)" register alice
    check "REST through the gateway: bob's binding, at bob's address" binding_of bob
    check "REST through the gateway: alice's binding, at alice's address" binding_of alice
fi
# the call only between registered phones, each step only after the one before it
if all_ok; then
    command_to alice dial "sip:bob@$DOMAIN"
    check "alice calls bob, who answers by himself: the call is established at bob" await_event bob CALL_ESTABLISHED 30 CALL_CLOSED
    check "the call is established at alice" await_event alice CALL_ESTABLISHED 30 CALL_CLOSED
fi
if all_ok; then
    check "neither side closed the call before alice hangs up" eval 'no_event alice CALL_CLOSED && no_event bob CALL_CLOSED'
    command_to alice hangup ""
    check "alice hangs up (CALL_CLOSED at alice)" await_event alice CALL_CLOSED 20
    check "bob sees the call closed (CALL_CLOSED at bob)" await_event bob CALL_CLOSED 20
fi
stop_phones

platform_stop_leaves_nothing
finish
