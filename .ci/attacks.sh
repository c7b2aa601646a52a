#!/usr/bin/env bash
# SIPVicious against the platform started by ./run.sh, on loopback only (issue 8, "Attacks"):
#   svmap   fingerprints the gateway (shown, not judged);
#   svwar   cannot tell existing extensions from made-up ones: REGISTER, INVITE and OPTIONS get the same answer
#           for alice/bob/carol (demo subscribers) as for dave/erin/1000;
#   svcrack finds a password placed early in its dictionary (control, carol) but, with alice's real password
#           21st, is locked out after sip.digest.max-failures (5) and never finds it; a REGISTER from the
#           locked-out address is refused 403;
#   flood   the locked-out svcrack keeps sending at full speed: the gateway drops what exceeds 50/s from that
#           address (siplane_gateway_flood_dropped_total) while bob and alice register and call from 127.0.0.5.
# sipvicious 0.3.3's svwar and svcrack ignore -b (they bind the wildcard address), so the scanners send from
# 127.0.0.1; the phones use 127.0.0.5, another source address as far as the lockout and the flood limit go.
# Installs sipvicious (and sipp, curl) with apt when missing. Loopback only; every wait is bounded.
# Takes about 3 to 5 minutes (start-up of the platform included). Last line: "attacks: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
WORK=$(mktemp -d)
export PORT_OFFSET=${PORT_OFFSET:-2700}
GW_SIP=$((5060 + PORT_OFFSET))
GW_HTTP=$((8080 + PORT_OFFSET))
REG_HTTP=$((8082 + PORT_OFFSET))
DOMAIN=siplane.test
TARGET="udp://127.0.0.1:$GW_SIP"
# shellcheck source=.ci/checks.sh
. "$ROOT/.ci/checks.sh"
STARTED=$(date +%s)

finish() {
    [ -n "${flood_pid:-}" ] && kill -INT "$flood_pid" 2>/dev/null
    ./run.sh stop >/dev/null 2>&1
    echo "  (took $(( $(date +%s) - STARTED )) s)"
    print_summary attacks
    rm -rf "$WORK"
    [ "$failed" -eq 0 ]
    exit
}
trap 'finish' INT TERM

missing=()
command -v svwar >/dev/null 2>&1 || missing+=(sipvicious)
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 \
        || { echo "attacks: cannot install ${missing[*]}"; failed=1; finish; }
fi

echo "Attacks with SIPVicious against ./run.sh (PORT_OFFSET=$PORT_OFFSET, gateway $TARGET):"
platform_start DEMO_SUBSCRIBERS="alice bob carol"
ALICE=$(printed_password alice)
BOB=$(printed_password bob)
CAROL=$(printed_password carol)
check "the demo passwords are printed" test -n "$ALICE" -a -n "$BOB" -a -n "$CAROL"

metric() { # service-http-port metric-regex -> sum of the matching samples
    curl -s --max-time 5 "http://127.0.0.1:$1/actuator/prometheus" \
        | awk -v re="^$2" '$0 ~ re { s += $NF } END { printf "%d\n", s }'
}

# --- svmap -------------------------------------------------------------------------------------------------
timeout -s INT 30 svmap -x 127.0.0.1 -P 15059 -p "$GW_SIP" 127.0.0.1 >"$WORK/svmap.out" 2>&1
echo "  info  svmap sees: $(grep -E '127\.0\.0\.1' "$WORK/svmap.out" | tr -s ' |' ' ' | head -n 1)"

# --- svwar: the same answer for real and made-up extensions ------------------------------------------------
cat >"$WORK/answers.py" <<'EOF'
# svwar --debug prints each datagram it receives as a Python bytes literal: map the extension (the From display
# name svwar writes) to the status code answered to it, for the extension asked (argv[1]).
import ast, re, sys
wanted, codes = sys.argv[1], set()
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("b'") and not line.startswith('b"'):
        continue
    text = ast.literal_eval(line).decode("utf-8", "replace")
    status = re.match(r"SIP/2.0 (\d{3})", text)
    sender = re.search(r'^From: *"([^"]*)"', text, re.M)
    if status and sender and sender.group(1) == wanted and status.group(1) not in ("100", "180"):
        codes.add(status.group(1))
print(",".join(sorted(codes)) or "none")
EOF
REAL="alice bob carol"
FAKE="dave erin 1000"
port=15100
for method in REGISTER INVITE OPTIONS; do
    line=""
    for ext in $REAL $FAKE; do
        port=$((port + 1))
        printf '%s\n' "$ext" >"$WORK/ext.txt"
        answer=$(timeout -s INT 30 svwar --force --debug -m "$method" -d "$WORK/ext.txt" --domain "$DOMAIN" \
            -x 127.0.0.1 -P "$port" -t 0.05 "$TARGET" 2>&1 | python3 "$WORK/answers.py" "$ext")
        line="$line $ext=$answer"
    done
    echo "  info  svwar -m $method:$line"
    same() { [ "$(printf '%s\n' $line | cut -d= -f2 | sort -u | wc -l)" -eq 1 ] && ! printf '%s' "$line" | grep -q '=none'; }
    check "svwar -m $method: one and the same answer for real and made-up extensions" same
    printf '%s\n' $REAL $FAKE >"$WORK/all.txt"
    port=$((port + 1))
    timeout -s INT 60 svwar --force -m "$method" -d "$WORK/all.txt" --domain "$DOMAIN" -x 127.0.0.1 \
        -P "$port" -t 0.05 "$TARGET" >"$WORK/svwar-$method.out" 2>&1
    reports_none() { ! grep -E "^\| *(alice|bob|carol) " "$WORK/svwar-$method.out"; }
    check "svwar -m $method over the whole list reports none of the real extensions" reports_none
done

# --- svcrack: control (the password early in the list is found) --------------------------------------------
printf 'wrong-1\nwrong-2\n%s\nwrong-4\n' "$CAROL" >"$WORK/carol.dict"
timeout -s INT 30 svcrack -u carol -d "$WORK/carol.dict" --domain "$DOMAIN" -x 127.0.0.1 -P 15070 \
    -t 0.02 "$TARGET" >"$WORK/svcrack-carol.out" 2>&1
check "control: svcrack finds carol's password when it is 3rd in its list (before the lockout)" \
    grep -q "| carol .*| $CAROL" "$WORK/svcrack-carol.out"

# --- svcrack: lockout, and its flood rate-limited while real phones register and call ----------------------
{ for i in $(seq 1 20); do echo "guess-$i"; done; echo "$ALICE"; for i in 22 23 24; do echo "guess-$i"; done; } >"$WORK/alice.dict"
bad0=$(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="bad_credentials"')
locked0=$(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="locked_out"')
dropped0=$(metric "$GW_HTTP" 'siplane_gateway_flood_dropped_total')
forwarded0=$(metric "$GW_HTTP" 'siplane_gateway_requests_total')
t0=$(date +%s)
timeout -s INT 30 svcrack -vvv -u alice -d "$WORK/alice.dict" --domain "$DOMAIN" -x 127.0.0.1 -P 15071 \
    -t 0.005 "$TARGET" >"$WORK/svcrack-alice.out" 2>&1 &
flood_pid=$!
sleep 4 # the lockout is reached within the first second; the rest of the run is the flood

printf 'SEQUENTIAL\nbob;[authentication username=bob password=%s];%s\n' "$BOB" "$DOMAIN" >"$WORK/bob.csv"
printf 'SEQUENTIAL\nalice;[authentication username=alice password=%s];%s\n' "$ALICE" "$DOMAIN" >"$WORK/alice.csv"
sipp_run() { # scenario csv port [remote]
    (cd "$WORK" && timeout 60 sipp ${4:+"$4"} -sf "$ROOT/.ci/sipp/$1" -inf "$2" -i 127.0.0.5 -p "$3" -m 1 \
        -nostdin -timeout 45s -timeout_error -trace_err) >"$WORK/${1%.xml}-$3.out" 2>&1
    local rc=$?
    [ $rc -eq 0 ] || { tail -n 15 "$WORK/${1%.xml}-$3.out"; cat "$WORK"/*_errors.log 2>/dev/null | head -n 40; }
    return $rc
}
legit0=$(date +%s%N)
check "during the flood bob registers through the gateway from 127.0.0.5" sipp_run register.xml bob.csv 25162 "127.0.0.1:$GW_SIP"
sipp_run answer.xml bob.csv 25162 >"$WORK/answer.result" 2>&1 &
answer_pid=$!
sleep 1
check "during the flood alice registers and calls bob; answered, ACKed, hung up" sipp_run call.xml alice.csv 25161 "127.0.0.1:$GW_SIP"
answered() { wait "$answer_pid" || { cat "$WORK/answer.result"; return 1; }; }
check "bob's side of the call completes" answered
legit_ms=$(( ($(date +%s%N) - legit0) / 1000000 ))

# the right password from the locked-out address: refused without being checked
cat >"$WORK/register.py" <<EOF
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 15079)); s.settimeout(5)
msg = ("REGISTER sip:$DOMAIN SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:15079;branch=z9hG4bK-lockout-check;rport\r\n"
       "From: <sip:alice@$DOMAIN>;tag=lc1\r\nTo: <sip:alice@$DOMAIN>\r\nCall-ID: lockout-check@127.0.0.1\r\n"
       "CSeq: 1 REGISTER\r\nContact: <sip:alice@127.0.0.1:15079>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
for _ in range(20):  # the flood guard may drop some: retransmit like a UAC
    s.sendto(msg.encode(), ("127.0.0.1", $GW_SIP))
    try:
        print(s.recv(4096).decode().split("\r\n")[0]); sys.exit(0)
    except socket.timeout:
        pass
sys.exit(1)
EOF
locked_answer=$(python3 "$WORK/register.py" 2>&1)
check "a REGISTER from the locked-out address is refused 403 (got: $locked_answer)" test "${locked_answer#SIP/2.0 403}" != "$locked_answer"

wait "$flood_pid"
flood_pid=
elapsed=$(( $(date +%s) - t0 ))
bad=$(( $(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="bad_credentials"') - bad0 ))
locked=$(( $(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="locked_out"') - locked0 ))
dropped=$(( $(metric "$GW_HTTP" 'siplane_gateway_flood_dropped_total') - dropped0 ))
forwarded=$(( $(metric "$GW_HTTP" 'siplane_gateway_requests_total') - forwarded0 ))
tried=$(grep -c "trying guess-\|trying $ALICE" "$WORK/svcrack-alice.out")
not_cracked() { ! grep -q "password for alice is\|| alice " "$WORK/svcrack-alice.out"; }
check "svcrack never finds alice's password (21st in its list)" not_cracked
check "svcrack was locked out after at most 5 wrong passwords (wrong: $bad, refused as locked out: $locked)" test "$bad" -ge 1 -a "$bad" -le 5 -a "$locked" -gt 0
check "the scanner's flood was rate-limited at the gateway ($dropped dropped)" test "$dropped" -gt 0
echo "  info  svcrack ran ${elapsed} s from 127.0.0.1: passwords tried $tried of 24; registrar: $bad wrong, $locked refused 403;"
echo "        gateway: $forwarded requests forwarded, $dropped dropped by the flood limit (~$(( (forwarded + dropped) / (elapsed > 0 ? elapsed : 1) ))/s offered);"
echo "        legitimate REGISTERs + call + BYE from 127.0.0.5 meanwhile: ${legit_ms} ms"

check "./run.sh stop" ./run.sh stop
finish
