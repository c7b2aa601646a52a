#!/usr/bin/env bash
# SIPVicious against the platform started by ./run.sh, on loopback only (issue 8, "Attacks"):
#   svmap   fingerprints the gateway (shown, not judged);
#   svwar   cannot tell existing extensions from made-up ones: REGISTER, INVITE and OPTIONS get the same answer
#           for alice/bob/carol (demo subscribers) as for dave/erin/1000;
#   svcrack finds a password placed early in its dictionary (control, carol) but, with alice's real password
#           21st, is locked out for alice after sip.digest.max-failures (5) and never finds it; alice's right
#           password from the locked-out address is refused 403;
#   flood   while svcrack runs and SIPp floods OPTIONS from 127.0.0.8 at 400/s, bob and alice register and call from
#           127.0.0.5; the gateway drops what exceeds 50/s from one address (siplane_gateway_flood_dropped_total).
#   lockout per user and address (issue 13): wrong passwords for alice in MESSAGEs from 127.0.0.6 get 403 from the
#           proxy after max-failures, for alice from that address only: bob and alice from 127.0.0.7 still get
#           through the proxy's authentication, and alice still calls from 127.0.0.5; after svcrack's lockout of
#           alice from 127.0.0.1, bob still registers from 127.0.0.1 while alice's right password there gets 403.
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
# the gateway's actuator (metrics) is on its management port, 127.0.0.1 only
GW_MGMT=$((8090 + PORT_OFFSET))
REG_HTTP=$((8082 + PORT_OFFSET))
DOMAIN=siplane.test
TARGET="udp://127.0.0.1:$GW_SIP"
# shellcheck source=.ci/checks.sh
. "$ROOT/.ci/checks.sh"
STARTED=$(date +%s)

finish() {
    [ -n "${flood_pid:-}" ] && kill -INT "$flood_pid" 2>/dev/null
    [ -n "${options_flood_pid:-}" ] && kill -INT "$options_flood_pid" 2>/dev/null
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

# --- lockout per user and client address at the proxy, behind the gateway (issue 13) ------------------------
cat >"$WORK/digest.py" <<'EOF'
# A UDP user agent answering one digest challenge (MD5, qop=auth): argv METHOD USER PASSWORD TO-USER BIND-IP BIND-PORT
# GATEWAY-PORT DOMAIN; prints the final status code ("none" when nothing came back). REGISTER uses Expires 0, so it
# changes no binding. One Call-ID per user and address: the gateway hashes Call-IDs onto proxy replicas, and the
# lockout counts per replica, so every attempt of one "phone" meets the same replica.
import hashlib, random, re, socket, sys
method, user, password, to, ip, port, gw, domain = sys.argv[1:9]
port, gw = int(port), int(gw)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((ip, port)); s.settimeout(1)
ruri = "sip:%s" % domain if method == "REGISTER" else "sip:%s@%s" % (to, domain)
call_id = "lockout-%s-%s@%s" % (method.lower(), user, ip)
base = random.randrange(1, 1 << 30)
md5 = lambda t: hashlib.md5(t.encode()).hexdigest()
def request(cseq, auth=None):
    body = "" if method == "REGISTER" else "hello"
    lines = ["%s %s SIP/2.0" % (method, ruri), "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%x;rport" % (ip, port, random.getrandbits(64)),
             "From: <sip:%s@%s>;tag=t%d" % (user, domain, port), "To: <sip:%s@%s>" % (to, domain), "Call-ID: " + call_id,
             "CSeq: %d %s" % (base + cseq, method), "Contact: <sip:%s@%s:%d>" % (user, ip, port), "Max-Forwards: 70"]
    lines += ["Expires: 0"] if method == "REGISTER" else ["Content-Type: text/plain"]
    lines += [auth] if auth else []
    return ("\r\n".join(lines + ["Content-Length: %d" % len(body), "", body])).encode()
def final(cseq, msg):  # retransmits like a UAC (the flood guard may drop some); bounded
    for _ in range(8):
        s.sendto(msg, ("127.0.0.1", gw))
        try:
            while True:
                text = s.recv(65535).decode("utf-8", "replace")
                m = re.match(r"SIP/2.0 (\d{3})", text)
                c = re.search(r"^CSeq: *(\d+)", text, re.M | re.I)
                if m and c and int(c.group(1)) == base + cseq and int(m.group(1)) >= 200:
                    return int(m.group(1)), text
        except socket.timeout:
            pass
    return None, ""
code, text = final(1, request(1))
if code in (401, 407):
    name = "WWW-Authenticate" if code == 401 else "Proxy-Authenticate"
    for challenge in re.findall(r"^%s: *Digest (.*)$" % name, text, re.M | re.I):
        p = {k.lower(): a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', challenge)}
        if p.get("algorithm", "MD5").upper() == "MD5":
            break
    cnonce, nc = "%x" % random.getrandbits(64), "00000001"
    response = md5(":".join([md5("%s:%s:%s" % (user, p["realm"], password)), p["nonce"], nc, cnonce, "auth", md5(method + ":" + ruri)]))
    auth = ('%s: Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", algorithm=MD5, qop=auth, nc=%s, cnonce="%s"'
            % ("Authorization" if code == 401 else "Proxy-Authorization", user, p["realm"], p["nonce"], ruri, response, nc, cnonce))
    code, text = final(2, request(2, auth))
print(code or "none")
EOF
digest_ua() { python3 "$WORK/digest.py" "$1" "$2" "$3" "$4" "$5" "$6" "$GW_SIP" "$DOMAIN" 2>&1; }
guesses=""
for i in 1 2 3 4 5 6 7 8; do # sip.digest.max-failures (5) wrong passwords, then 403; bounded
    answer=$(digest_ua MESSAGE alice "guess-$i" nobody 127.0.0.6 $((15080 + i)))
    guesses="$guesses $answer"
    [ "$answer" = 403 ] && break
done
check "wrong passwords for alice in MESSAGEs from 127.0.0.6: 407 five times, then 403 from the proxy (got:$guesses)" \
    test "$guesses" = " 407 407 407 407 407 403"
answer=$(digest_ua MESSAGE alice "$ALICE" nobody 127.0.0.6 15089)
check "alice's right password from 127.0.0.6 is refused 403 there (got: $answer)" test "$answer" = 403
# to a user that does not exist: a MESSAGE that passes the proxy's authentication gets 404 (not 403, not 407); carol
# would not do, svcrack's control run left her bound to its closed port
answer=$(digest_ua MESSAGE bob "$BOB" nobody 127.0.0.7 15090)
check "bob's MESSAGE from 127.0.0.7 passes the proxy's authentication (got: $answer, 404: no such user)" test "$answer" = 404
answer=$(digest_ua MESSAGE alice "$ALICE" nobody 127.0.0.7 15091)
check "alice's MESSAGE from 127.0.0.7 passes the proxy's authentication (got: $answer)" test "$answer" = 404

# --- svcrack: lockout, and its flood rate-limited while real phones register and call ----------------------
{ for i in $(seq 1 20); do echo "guess-$i"; done; echo "$ALICE"; for i in 22 23 24; do echo "guess-$i"; done; } >"$WORK/alice.dict"
bad0=$(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="bad_credentials"')
locked0=$(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="locked_out"')
dropped0=$(metric "$GW_MGMT" 'siplane_gateway_flood_dropped_total')
forwarded0=$(metric "$GW_MGMT" 'siplane_gateway_requests_total')
t0=$(date +%s)
timeout -s INT 30 svcrack -vvv -u alice -d "$WORK/alice.dict" --domain "$DOMAIN" -x 127.0.0.1 -P 15071 \
    -t 0.005 "$TARGET" >"$WORK/svcrack-alice.out" 2>&1 &
flood_pid=$!
# svcrack alone no longer floods (its unauthenticated REGISTERs are challenged, not refused at once, so it waits for
# each answer): a SIPp OPTIONS flood from 127.0.0.8 (400/s for 20 s, 8 times the gateway's per-source limit) runs
# beside it while the real phones register and call
(cd "$WORK" && exec timeout -s INT 30 sipp "127.0.0.1:$GW_SIP" -sf "$ROOT/.ci/sipp/options-flood.xml" -i 127.0.0.8 -p 15072 \
    -r 400 -m 8000 -nostdin -timeout 25s) >"$WORK/options-flood.out" 2>&1 &
options_flood_pid=$!
sleep 4 # the lockout is reached within the first second; the rest of the run is the flood

printf 'SEQUENTIAL\nbob;[authentication username=bob password=%s];%s\n' "$BOB" "$DOMAIN" >"$WORK/bob.csv"
printf 'SEQUENTIAL\nalice;[authentication username=alice password=%s];%s\n' "$ALICE" "$DOMAIN" >"$WORK/alice.csv"
sipp_run() { # scenario csv port [remote]
    # the digest uri must name the Request-URI: SIPp's is the next hop's address unless -auth_uri says otherwise
    local auth_uri=()
    case "$1" in register.xml) auth_uri=(-auth_uri "$DOMAIN") ;; call.xml) auth_uri=(-auth_uri "bob@$DOMAIN") ;; esac
    (cd "$WORK" && timeout 60 sipp ${4:+"$4"} -sf "$ROOT/.ci/sipp/$1" -inf "$2" "${auth_uri[@]}" -i 127.0.0.5 -p "$3" -m 1 \
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
check "during the flood alice registers from 127.0.0.5" sipp_run register.xml alice.csv 25161 "127.0.0.1:$GW_SIP"
check "during the flood alice calls bob; answered, ACKed, hung up" sipp_run call.xml alice.csv 25161 "127.0.0.1:$GW_SIP"
answered() { wait "$answer_pid" || { cat "$WORK/answer.result"; return 1; }; }
check "bob's side of the call completes" answered
legit_ms=$(( ($(date +%s%N) - legit0) / 1000000 ))

# the right password from the locked-out address: refused without being checked; another user there is not locked
locked_answer=$(digest_ua REGISTER alice "$ALICE" alice 127.0.0.1 15079)
check "alice's right password from svcrack's address 127.0.0.1 is refused 403 (got: $locked_answer)" test "$locked_answer" = 403
other_answer=$(digest_ua REGISTER bob "$BOB" bob 127.0.0.1 15078)
check "bob still registers from svcrack's address 127.0.0.1 (got: $other_answer)" test "$other_answer" = 200

wait "$flood_pid"
flood_pid=
wait "$options_flood_pid"
options_flood_pid=
elapsed=$(( $(date +%s) - t0 ))
bad=$(( $(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="bad_credentials"') - bad0 ))
locked=$(( $(metric "$REG_HTTP" 'siplane_registrar_auth_failures_total[{]reason="locked_out"') - locked0 ))
dropped=$(( $(metric "$GW_MGMT" 'siplane_gateway_flood_dropped_total') - dropped0 ))
forwarded=$(( $(metric "$GW_MGMT" 'siplane_gateway_requests_total') - forwarded0 ))
tried=$(grep -c "trying guess-\|trying $ALICE" "$WORK/svcrack-alice.out")
not_cracked() { ! grep -q "password for alice is\|| alice " "$WORK/svcrack-alice.out"; }
check "svcrack never finds alice's password (21st in its list)" not_cracked
# 5 = sip.digest.max-failures; up to 2 more: the stateless registrar counts a wrong guess again when svcrack
# retransmits it, and guesses already in flight when the lock lands are still checked
check "svcrack was locked out after at most 5 (+2 in flight) wrong passwords (wrong: $bad, refused as locked out: $locked)" \
    test "$bad" -ge 1 -a "$bad" -le 7 -a "$locked" -gt 0
offered=$(( (forwarded + dropped) / (elapsed > 0 ? elapsed : 1) ))
# the OPTIONS flood offered ~400/s from 127.0.0.8 for 20 s: the gateway lets 50/s (burst 100) through
check "the flood from 127.0.0.8 was rate-limited at the gateway ($dropped dropped, ~$offered/s offered)" \
    test "$dropped" -gt 2000
echo "  info  svcrack ran ${elapsed} s from 127.0.0.1: passwords tried $tried of 24; registrar: $bad wrong, $locked refused 403;"
echo "        gateway: $forwarded requests forwarded, $dropped dropped by the flood limit (~$offered/s offered);"
echo "        legitimate REGISTERs + call + BYE from 127.0.0.5 meanwhile: ${legit_ms} ms"

check "./run.sh stop" ./run.sh stop
finish
