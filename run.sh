#!/usr/bin/env bash
# Siplane on this machine, as separate processes: Redis (embedded unless REDIS_URL is set), location-service,
# registrar-service, PROXY_REPLICAS proxy-service replicas, redirect-service and the gateway.
#
#   ./run.sh           build what is missing, start everything, stay in the foreground (Ctrl-C stops it all)
#   ./run.sh start     the same in the background; returns once every service is healthy
#   ./run.sh stop      stop what ./run.sh started (nothing of ours is left running)
#   ./run.sh status    services, ports, pids and health; exit 0 all healthy, 1 something wrong, 3 not running
#
# Configuration comes from the environment; the table is in README.md ("Configuration reference") and in `./run.sh help`.
# Logs, pid files and the session (token, demo passwords) live in .run/ (git-ignored).

set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR="$ROOT/.run"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
SESSION_FILE="$RUN_DIR/session"
AUTH_HEADER_FILE="$RUN_DIR/auth-header"

# ---------------------------------------------------------------------------------------------------------
# The service table. A service is started only when its module is in this checkout (its folder has a
# pom.xml and the parent pom lists it) and so are the modules it needs to become ready, so services join
# ./run.sh as their modules land.
#   name               module             HTTP  SIP    wave  needs
#   (a wave starts once the previous one is healthy)
# ---------------------------------------------------------------------------------------------------------
SERVICE_TABLE="
location-service     location-service    8081  -      1     -
registrar-service    registrar-service   8082  5070   1     -
proxy-service        proxy-service       8083  5080   1     -
redirect-service     redirect-service    8084  5090   1     -
gateway              gateway             8080  5060   2     proxy-service,registrar-service,location-service
"
# proxy-service runs PROXY_REPLICAS times: replica i listens on SIP 5080+(i-1) and HTTP 8083+100*(i-1).
# registrar-service runs REGISTRAR_REPLICAS times (default 1): replica i > 1 is registrar-service-i on SIP 5070+(i-1)
# and HTTP 8082+100*(i-1).

# Per-service environment beyond the common one (REDIS_URL, SIP_DOMAIN, PLATFORM_API_TOKEN, SIP_NONCE_SECRET,
# SIP_BIND_ADDRESS, SIP_ADVERTISED_ADDRESS, LOCATION_URL); $1 is the module.
service_env() {
    case "$1" in
        gateway) printf '%s\n' "PROXY_TARGETS=$PROXY_TARGETS" "REGISTRAR_TARGETS=$REGISTRAR_TARGETS" \
            "GATEWAY_INTERNAL_ADDRESS=$SIP_ADVERTISED_ADDRESS" ;;
        # requests relayed by the gateway carry the phone's address in the next Via: trust that only from it, so that
        # the digest lockout of the registrar and the proxies counts the phone's address, never the gateway's
        registrar-service|proxy-service) plan_entry gateway >/dev/null && printf '%s\n' "SIP_TRUSTED_EDGES=$SIP_ADVERTISED_ADDRESS" ;;
    esac
}

# ---------------------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------------------
SIP_DOMAIN=${SIP_DOMAIN:-siplane.test}
PROXY_REPLICAS=${PROXY_REPLICAS:-2}
REGISTRAR_REPLICAS=${REGISTRAR_REPLICAS:-1}
PORT_OFFSET=${PORT_OFFSET:-0}
EMBEDDED_REDIS_PORT=${EMBEDDED_REDIS_PORT:-6399}
SIP_BIND_ADDRESS=${SIP_BIND_ADDRESS:-127.0.0.1}
HTTP_BIND_ADDRESS=${HTTP_BIND_ADDRESS:-127.0.0.1}
DEMO_SUBSCRIBERS=${DEMO_SUBSCRIBERS-alice bob}
RUN_START_TIMEOUT=${RUN_START_TIMEOUT:-180}
RUN_PARALLEL=${RUN_PARALLEL:-2}
RUN_STOP_TIMEOUT=${RUN_STOP_TIMEOUT:-30}
# 2 cores shared by about seven JVMs: the serial collector has the smallest footprint and no concurrent GC
# threads competing for the cores, and with heaps this size its pauses stay in the low milliseconds.
# (The JVM picks it by itself on machines under 2 CPUs or 1792 MiB.) ExitOnOutOfMemoryError makes a
# broken service die visibly instead of limping.
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ -t 1 ]; then
    BOLD=$'\e[1m' DIM=$'\e[2m' RED=$'\e[31m' GREEN=$'\e[32m' YELLOW=$'\e[33m' RESET=$'\e[0m'
else
    BOLD='' DIM='' RED='' GREEN='' YELLOW='' RESET=''
fi

say() { printf '%s\n' "$*"; }
step() { printf '%s==>%s %s\n' "$BOLD" "$RESET" "$*"; }
ok() { printf '  %s✔%s %s\n' "$GREEN" "$RESET" "$*"; }
warn() { printf '  %s!%s %s\n' "$YELLOW" "$RESET" "$*" >&2; }
die() { printf '%srun.sh: %s%s\n' "$RED" "$*" "$RESET" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
now() { date +%s; }

usage() {
    cat <<EOF
Usage: ./run.sh [start|stop|status|help]

  (none)   build what is missing, start the platform and stay in the foreground; Ctrl-C stops it all
  start    the same in the background; returns once every service is healthy
  stop     stop everything ./run.sh started
  status   services, ports, pids and health (exit 0 healthy, 1 degraded, 3 not running)

Environment (defaults in brackets):
  PLATFORM_API_TOKEN      REST API bearer token, 16+ characters [generated]
  SIP_DOMAIN              domain served, also the digest realm [siplane.test]
  REDIS_URL               use this Redis instead of the embedded one [embedded on 127.0.0.1:\$EMBEDDED_REDIS_PORT]
  EMBEDDED_REDIS_PORT     port of the embedded Redis [6399: leaves a local redis-server on 6379 alone]
  PROXY_REPLICAS          proxy-service replicas, 1-9 [2]
  REGISTRAR_REPLICAS      registrar-service replicas, 1-9 [1]
  SIP_BIND_ADDRESS        address the SIP services listen on [127.0.0.1]; 0.0.0.0 to let phones in
  SIP_ADVERTISED_ADDRESS  address put in Via/Path/Record-Route [SIP_BIND_ADDRESS; required with 0.0.0.0]
  HTTP_BIND_ADDRESS       address the HTTP ports listen on [127.0.0.1]
  SIP_NONCE_SECRET        digest nonce secret shared by registrars and proxies [generated]
  PORT_OFFSET             added to every port, to run beside something that holds them [0]
  DEMO_SUBSCRIBERS        subscribers provisioned with generated passwords ["alice bob"; empty: none]
  JAVA_OPTS               JVM flags of every service [$JAVA_OPTS]
  <SERVICE>_JAVA_OPTS     JVM flags of one kind of service instead (GATEWAY_, REGISTRAR_, PROXY_, REDIRECT_,
                          LOCATION_JAVA_OPTS), e.g. PROXY_JAVA_OPTS for the proxies' collector
  RUN_START_TIMEOUT       seconds a service may take to become healthy [180]
  RUN_PARALLEL            services starting at the same time [2]
  RUN_STOP_TIMEOUT        seconds a service may take to stop before it is killed [30]
EOF
}

# ---------------------------------------------------------------------------------------------------------
# Processes we own: every JVM carries -Dsiplane.run=<this checkout> -Dsiplane.run.service=<name>, so a pid
# file is trusted only while its process still carries them (pids get reused).
# ---------------------------------------------------------------------------------------------------------
cmdline_of() {
    if [ -r "/proc/$1/cmdline" ]; then tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null; else ps -o command= -p "$1" 2>/dev/null; fi
}
pid_of() { # name -> pid when that service's process is alive and ours
    local file="$PID_DIR/$1.pid" pid
    [ -f "$file" ] || return 1
    read -r pid <"$file" 2>/dev/null || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    case "$(cmdline_of "$pid")" in
        *"-Dsiplane.run.service=$1 "*"-Dsiplane.run=$ROOT "*) printf '%s' "$pid" ;;
        *) return 1 ;;
    esac
}
supervisor_pid() {
    local pid
    [ -f "$PID_DIR/run.sh.pid" ] && read -r pid <"$PID_DIR/run.sh.pid" && kill -0 "$pid" 2>/dev/null \
        && case "$(cmdline_of "$pid")" in *run.sh*) printf '%s' "$pid" ;; *) return 1 ;; esac
}
started_names() { # names with a pid file, in start order
    [ -f "$RUN_DIR/started" ] && cat "$RUN_DIR/started"
}
any_alive() {
    local name
    for name in $(started_names); do pid_of "$name" >/dev/null && return 0; done
    return 1
}

# ---------------------------------------------------------------------------------------------------------
# Ports: read from /proc/net, so no ss/netstat/lsof is needed
# ---------------------------------------------------------------------------------------------------------
port_in_use() { # port tcp|udp
    local hex files=() f
    hex=$(printf ':%04X' "$1")
    for f in /proc/net/"$2" /proc/net/"$2"6; do [ -r "$f" ] && files+=("$f"); done
    if [ ${#files[@]} -eq 0 ]; then # no /proc (macOS): a TCP connect is the best we can do
        [ "$2" = tcp ] && (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
        return
    fi
    # TCP: a listener (state 0A); UDP: any bound socket
    awk -v port="$hex" -v proto="$2" 'FNR > 1 && substr($2, length($2) - 4) == port && (proto == "udp" || $4 == "0A") { found = 1 }
        END { exit !found }' "${files[@]}"
}
port_holder() { # port tcp|udp -> " (held by …)" when ss can tell
    have ss || return 0
    local flag=-ltnpH
    [ "$2" = udp ] && flag=-lunpH
    ss "$flag" "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1 | sed 's/users:((\(.*\)))/ (held by \1)/'
}

# ---------------------------------------------------------------------------------------------------------
# HTTP with curl when present, else bash's /dev/tcp (a fresh Debian has no curl)
# Sets HTTP_STATUS and HTTP_BODY.
# ---------------------------------------------------------------------------------------------------------
http() { # METHOD PORT PATH [JSON_BODY] [auth]
    local method=$1 port=$2 path=$3 body=${4-} auth=${5-} host=$LOCAL_HTTP_HOST out
    HTTP_STATUS=000 HTTP_BODY=
    if have curl; then
        local args=(-s -m 5 -X "$method" -w '\n%{http_code}')
        [ -n "$auth" ] && args+=(-H "@$AUTH_HEADER_FILE")
        [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
        out=$(curl "${args[@]}" "http://$host:$port$path" 2>/dev/null) || return 1
        HTTP_STATUS=${out##*$'\n'}
        HTTP_BODY=${out%$'\n'*}
    else
        local fd line headers=""
        { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
        [ -n "$auth" ] && headers=$(cat "$AUTH_HEADER_FILE")$'\r\n'
        [ -n "$body" ] && headers+=$'Content-Type: application/json\r\n'
        printf '%s %s HTTP/1.0\r\nHost: %s\r\n%sContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
            "$method" "$path" "$host:$port" "$headers" "${#body}" "$body" >&"$fd"
        if IFS= read -r -t 5 line <&"$fd"; then
            HTTP_STATUS=$(printf '%s' "$line" | awk '{print $2}')
            while IFS= read -r -t 5 line <&"$fd" && [ "$line" != $'\r' ] && [ -n "$line" ]; do :; done
            HTTP_BODY=$(timeout 5 cat <&"$fd" 2>/dev/null)
        fi
        exec {fd}>&-
    fi
    [ "$HTTP_STATUS" != 000 ]
}

redis_ping() { # port [host]: true on PONG
    local fd line
    { exec {fd}<>"/dev/tcp/${2:-127.0.0.1}/$1"; } 2>/dev/null || return 1
    printf 'PING\r\n' >&"$fd"
    IFS= read -r -t 2 line <&"$fd"
    exec {fd}>&-
    [ "${line%$'\r'}" = "+PONG" ]
}

# ---------------------------------------------------------------------------------------------------------
# What runs here: the services whose modules exist, with their ports
# ---------------------------------------------------------------------------------------------------------
module_listed() { grep -q "<module>$1</module>" "$ROOT/pom.xml"; }
module_present() { [ -f "$ROOT/$1/pom.xml" ] && module_listed "$1"; }
needs_present() { # comma list of modules or -
    local need
    for need in ${1//,/ }; do [ "$need" = - ] || module_present "$need" || return 1; done
}
sip_port_of() { local v; v=$(cut -d'|' -f4 <<<"$1"); printf '%s' "$v"; }

# PLAN: one line per process: name|module|http|sip|wave
build_plan() {
    PLAN=()
    local name module http sip wave needs i
    while read -r name module http sip wave needs; do
        [ -n "$name" ] || continue
        module_present "$module" && needs_present "$needs" || continue
        if [ "$name" = proxy-service ]; then
            for ((i = 1; i <= PROXY_REPLICAS; i++)); do
                PLAN+=("proxy-service-$i|$module|$((http + 100 * (i - 1) + PORT_OFFSET))|$((sip + i - 1 + PORT_OFFSET))|$wave")
            done
        elif [ "$name" = registrar-service ]; then
            # the first keeps the plain name (scripts read .run/pids/registrar-service.pid)
            for ((i = 1; i <= REGISTRAR_REPLICAS; i++)); do
                PLAN+=("registrar-service$([ "$i" = 1 ] || echo "-$i")|$module|$((http + 100 * (i - 1) + PORT_OFFSET))|$((sip + i - 1 + PORT_OFFSET))|$wave")
            done
        else
            [ "$sip" = - ] || sip=$((sip + PORT_OFFSET))
            PLAN+=("$name|$module|$((http + PORT_OFFSET))|$sip|$wave")
        fi
    done <<<"$SERVICE_TABLE"
}
missing_services() {
    local name module http sip wave needs
    while read -r name module http sip wave needs; do
        [ -n "$name" ] || continue
        if ! module_present "$module"; then
            printf '%s ' "$name"
        elif ! needs_present "$needs"; then
            local need absent=()
            for need in ${needs//,/ }; do module_present "$need" || absent+=("$need"); done
            printf '%s (waits for %s) ' "$name" "${absent[*]}"
        fi
    done <<<"$SERVICE_TABLE"
}
plan_entry() { # name -> plan line
    local entry
    for entry in "${PLAN[@]}"; do [ "${entry%%|*}" = "$1" ] && { printf '%s' "$entry"; return 0; }; done
    return 1
}

# ---------------------------------------------------------------------------------------------------------
# Build: only the jars that are missing or older than their sources (or the shared modules' sources)
# ---------------------------------------------------------------------------------------------------------
jar_of() { # module -> its executable jar
    local jar
    for jar in "$ROOT/$1/target/$1"-*-exec.jar "$ROOT/$1/target/$1"-*.jar; do
        case "$jar" in *-sources.jar | *-javadoc.jar | *-plain.jar | *"*"*) continue ;; esac
        [ -f "$jar" ] && { printf '%s' "$jar"; return 0; }
    done
    return 1
}
library_modules() { # listed modules that are not run by this script: their sources feed the services' jars
    local module
    for module in $(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$ROOT/pom.xml"); do
        case " dev-redis $(awk 'NF {print $2}' <<<"$SERVICE_TABLE" | tr '\n' ' ') " in *" $module "*) ;; *) printf '%s ' "$module" ;; esac
    done
}
stale() { # module -> true when its jar is missing or older than a source it is built from
    local jar dirs=("$ROOT/pom.xml" "$ROOT/$1/pom.xml" "$ROOT/$1/src") lib
    jar=$(jar_of "$1") || return 0
    for lib in $(library_modules); do dirs+=("$ROOT/$lib/pom.xml" "$ROOT/$lib/src"); done
    [ -n "$(find "${dirs[@]}" -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}
# Tests are neither compiled nor run (maven.test.skip): running the platform needs only the main code,
# and a test that does not compile yet must not stop anyone from running it.
build() {
    local modules=() entry module list
    [ "$REDIS_EMBEDDED" = yes ] && modules+=(dev-redis)
    for entry in "${PLAN[@]}"; do
        module=$(cut -d'|' -f2 <<<"$entry")
        case " ${modules[*]} " in *" $module "*) ;; *) modules+=("$module") ;; esac
    done
    local todo=()
    for module in "${modules[@]}"; do stale "$module" && todo+=("$module"); done
    if [ ${#todo[@]} -eq 0 ]; then
        ok "jars are up to date"
        return 0
    fi
    list=$(IFS=,; printf '%s' "${todo[*]}")
    step "Building ${todo[*]} (log: .run/logs/build.log)"
    local started; started=$(now)
    local failed=no
    if ! (cd "$ROOT" && ./mvnw -q -o -B package -Dmaven.test.skip=true -pl "$list" -am) >"$LOG_DIR/build.log" 2>&1; then
        if grep -qE 'offline mode|has not been downloaded|Could not (resolve|transfer|find artifact)|Cannot access' "$LOG_DIR/build.log"; then
            say "  some dependencies are not downloaded yet: building online"
            (cd "$ROOT" && ./mvnw -q -B package -Dmaven.test.skip=true -pl "$list" -am) >"$LOG_DIR/build.log" 2>&1 || failed=yes
        else
            failed=yes
        fi
    fi
    if [ "$failed" = yes ]; then
        grep -E '^\[ERROR\] [^ ]' "$LOG_DIR/build.log" | grep -vE 'To see the full|Re-run Maven|For more information|\[Help 1\]|resume the build|mvn <args>' \
            | awk '!seen[$0]++' | head -n 15 >&2
        die "the build failed; the whole log is in .run/logs/build.log"
    fi
    ok "built in $(($(now) - started)) s"
}

# ---------------------------------------------------------------------------------------------------------
# Settings that need checking or generating
# ---------------------------------------------------------------------------------------------------------
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
random_password() { head -c 9 /dev/urandom | base64 | tr '+/' 'xy'; }
is_wildcard() { case "$1" in 0.0.0.0 | :: | '[::]' | '*') return 0 ;; *) return 1 ;; esac; }

prepare_settings() {
    have "$JAVA" || die "Java 17 or newer is needed (for example: apt-get install -y openjdk-17-jdk-headless), or set JAVA_HOME"
    case "$PROXY_REPLICAS" in [1-9]) ;; *) die "PROXY_REPLICAS must be between 1 and 9 (got '$PROXY_REPLICAS')" ;; esac
    case "$REGISTRAR_REPLICAS" in [1-9]) ;; *) die "REGISTRAR_REPLICAS must be between 1 and 9 (got '$REGISTRAR_REPLICAS')" ;; esac
    case "$PORT_OFFSET" in '' | *[!0-9]*) die "PORT_OFFSET must be a number (got '$PORT_OFFSET')" ;; esac
    case "$EMBEDDED_REDIS_PORT" in '' | *[!0-9]*) die "EMBEDDED_REDIS_PORT must be a port number" ;; esac
    case "$RUN_PARALLEL" in '' | *[!0-9]* | 0) die "RUN_PARALLEL must be a positive number" ;; esac

    TOKEN_GENERATED=no
    if [ -z "${PLATFORM_API_TOKEN:-}" ]; then
        PLATFORM_API_TOKEN=$(random_hex 24)
        TOKEN_GENERATED=yes
    fi
    case "$PLATFORM_API_TOKEN" in *[[:space:]]*) die "PLATFORM_API_TOKEN must not contain spaces" ;; esac
    [ ${#PLATFORM_API_TOKEN} -ge 16 ] || die "PLATFORM_API_TOKEN must be at least 16 characters long (unset it to get a generated one)"
    SIP_NONCE_SECRET=${SIP_NONCE_SECRET:-$(random_hex 32)}
    [ ${#SIP_NONCE_SECRET} -ge 16 ] || die "SIP_NONCE_SECRET must be at least 16 characters long (unset it to get a generated one)"

    if [ -z "${SIP_ADVERTISED_ADDRESS:-}" ]; then
        is_wildcard "$SIP_BIND_ADDRESS" && die "SIP_BIND_ADDRESS=$SIP_BIND_ADDRESS needs SIP_ADVERTISED_ADDRESS: the address phones and the other services reach this machine at (e.g. its LAN IP)"
        SIP_ADVERTISED_ADDRESS=$SIP_BIND_ADDRESS
    fi
    if is_wildcard "$HTTP_BIND_ADDRESS"; then LOCAL_HTTP_HOST=127.0.0.1; else LOCAL_HTTP_HOST=$HTTP_BIND_ADDRESS; fi

    REDIS_EMBEDDED=no
    if [ -z "${REDIS_URL:-}" ]; then
        REDIS_EMBEDDED=yes
        REDIS_PORT=$((EMBEDDED_REDIS_PORT + PORT_OFFSET))
        REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
    fi

    build_plan
    [ ${#PLAN[@]} -gt 0 ] || die "no service module found in $ROOT"
    check_external_redis
    local entry location_port='' proxies=() registrars=()
    for entry in "${PLAN[@]}"; do
        IFS='|' read -r name module http sip wave <<<"$entry"
        case "$name" in
            location-service) location_port=$http ;;
            proxy-service-*) proxies+=("$SIP_ADVERTISED_ADDRESS:$sip") ;;
            registrar-service | registrar-service-*) registrars+=("$SIP_ADVERTISED_ADDRESS:$sip") ;;
        esac
    done
    LOCATION_URL="http://$LOCAL_HTTP_HOST:${location_port:-$((8081 + PORT_OFFSET))}"
    PROXY_TARGETS=$(IFS=,; printf '%s' "${proxies[*]}")
    REGISTRAR_TARGETS=$(IFS=,; printf '%s' "${registrars[*]}")
}

# A plain redis://host:port that does not answer at all fails here, not as stack traces of every service.
# (TLS, passwords, Sentinel and Cluster are left to the services.)
check_external_redis() {
    [ "$REDIS_EMBEDDED" = no ] || return 0
    local rest host port fd
    case "$REDIS_URL" in redis://*) rest=${REDIS_URL#redis://} ;; *) return 0 ;; esac
    rest=${rest##*@}
    rest=${rest%%/*}
    host=${rest%:*}
    port=6379
    [ "$host" != "$rest" ] && port=${rest##*:}
    case "$host" in *[!A-Za-z0-9.-]* | '') return 0 ;; esac
    if ! { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
        die "REDIS_URL: nothing answers on $host:$port (unset REDIS_URL to use the embedded Redis)"
    fi
    exec {fd}>&-
}

check_ports() {
    local entry name module http sip wave conflicts=()
    [ "$REDIS_EMBEDDED" = yes ] && port_in_use "$REDIS_PORT" tcp \
        && conflicts+=("port $REDIS_PORT/tcp (embedded Redis) is already in use$(port_holder "$REDIS_PORT" tcp)")
    for entry in "${PLAN[@]}"; do
        IFS='|' read -r name module http sip wave <<<"$entry"
        port_in_use "$http" tcp && conflicts+=("port $http/tcp ($name HTTP) is already in use$(port_holder "$http" tcp)")
        if [ "$name" = gateway ]; then
            local mgmt
            mgmt=$(actuator_port gateway "$http")
            port_in_use "$mgmt" tcp && conflicts+=("port $mgmt/tcp ($name actuator) is already in use$(port_holder "$mgmt" tcp)")
        fi
        if [ "$sip" != - ]; then
            port_in_use "$sip" udp && conflicts+=("port $sip/udp ($name SIP) is already in use$(port_holder "$sip" udp)")
            port_in_use "$sip" tcp && conflicts+=("port $sip/tcp ($name SIP) is already in use$(port_holder "$sip" tcp)")
        fi
    done
    if [ ${#conflicts[@]} -gt 0 ]; then
        printf '%srun.sh: cannot start:%s\n' "$RED" "$RESET" >&2
        printf '  - %s\n' "${conflicts[@]}" >&2
        printf 'Stop what holds the port, or shift every port with PORT_OFFSET=100 (./run.sh help).\n' >&2
        exit 1
    fi
}

# ---------------------------------------------------------------------------------------------------------
# Start and stop
# ---------------------------------------------------------------------------------------------------------
launch() { # name module http sip
    local name=$1 module=$2 http=$3 sip=$4 jar args env_extra=() kind opts_var opts
    jar=$(jar_of "$module") || die "no jar for $module after the build"
    # per kind of service: GATEWAY_JAVA_OPTS, REGISTRAR_JAVA_OPTS, PROXY_JAVA_OPTS, … else JAVA_OPTS
    kind=${module%-service}
    opts_var="${kind^^}_JAVA_OPTS"
    opts=${!opts_var:-$JAVA_OPTS}
    args=("--server.port=$http" "--server.address=$HTTP_BIND_ADDRESS")
    # the gateway's actuator stays on loopback whatever HTTP_BIND_ADDRESS is
    [ "$name" = gateway ] && args+=("--management.server.port=$(actuator_port gateway "$http")" "--management.server.address=127.0.0.1")
    if [ "$sip" != - ]; then
        args+=("--sip.port=$sip" "--sip.bind-address=$SIP_BIND_ADDRESS" "--sip.advertised-address=$SIP_ADVERTISED_ADDRESS")
    fi
    mapfile -t env_extra < <(service_env "$module")
    # setsid: Ctrl-C reaches this script only, which then stops the services in order
    # shellcheck disable=SC2086
    env REDIS_URL="$REDIS_URL" SIP_DOMAIN="$SIP_DOMAIN" PLATFORM_API_TOKEN="$PLATFORM_API_TOKEN" \
        SIP_NONCE_SECRET="$SIP_NONCE_SECRET" SIP_BIND_ADDRESS="$SIP_BIND_ADDRESS" \
        SIP_ADVERTISED_ADDRESS="$SIP_ADVERTISED_ADDRESS" LOCATION_URL="$LOCATION_URL" "${env_extra[@]}" \
        setsid "$JAVA" $opts "-Dsiplane.run.service=$name" "-Dsiplane.run=$ROOT" -jar "$jar" "${args[@]}" \
        </dev/null >"$LOG_DIR/$name.log" 2>&1 {LOCK_FD}>&- &
    printf '%s\n' "$!" >"$PID_DIR/$name.pid"
    disown "$!" # watched through its pid file; no "Killed" notices from bash
    printf '%s\n' "$name" >>"$RUN_DIR/started"
    await_exec "$!" "$name"
}

# Until env/setsid have exec'd the JVM, the new pid's command line is still ours and pid_of would take the
# service for dead: on a loaded machine that window is long enough to fail a start. Waits for it (at most 20 s;
# a start right after a benchmark had torn its platform down once failed this way, with the JVM's log still empty).
await_exec() { # pid name
    local i
    for ((i = 0; i < 200; i++)); do
        case "$(cmdline_of "$1")" in *"-Dsiplane.run.service=$2 "*) return 0 ;; esac
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
}

launch_redis() {
    local jar
    jar=$(jar_of dev-redis) || die "no jar for dev-redis after the build"
    rm -f "$PID_DIR/redis-server.pid"
    setsid "$JAVA" -Xmx32m -XX:+UseSerialGC -Dsiplane.run.service=redis "-Dsiplane.run=$ROOT" -jar "$jar" \
        "--port=$REDIS_PORT" --bind=127.0.0.1 "--child-pid-file=$PID_DIR/redis-server.pid" \
        </dev/null >"$LOG_DIR/redis.log" 2>&1 {LOCK_FD}>&- &
    printf '%s\n' "$!" >"$PID_DIR/redis.pid"
    disown "$!"
    printf '%s\n' redis >>"$RUN_DIR/started"
    await_exec "$!" redis
}

log_excerpt() { # name: why it failed, without pages of stack frames
    local log="$LOG_DIR/$1.log"
    printf '      (the end of .run/logs/%s.log)\n' "$1"
    if grep -q 'APPLICATION FAILED TO START' "$log" 2>/dev/null; then
        sed -n '/APPLICATION FAILED TO START/,$p' "$log" | grep -v '^[[:space:]]*$' | head -n 25
    else
        grep -Ev '^[[:space:]]+(at |\.\.\. [0-9]+ more)' "$log" 2>/dev/null | tail -n 25
    fi | sed 's/^/      /'
}

is_healthy() { # name
    if [ "$1" = redis ]; then
        redis_ping "$REDIS_PORT"
        return
    fi
    local entry http
    entry=$(plan_entry "$1") || return 1
    http=$(cut -d'|' -f3 <<<"$entry")
    http GET "$(actuator_port "$1" "$http")" /actuator/health/readiness && [ "$HTTP_STATUS" = 200 ]
}

# The port of a service's actuator: its HTTP port, except the gateway's, whose public HTTP port serves only the REST
# API and /healthz; its actuator (metrics, health details) is on 127.0.0.1:8090 (+ PORT_OFFSET).
actuator_port() { # name http
    if [ "$1" = gateway ]; then echo $((8090 + PORT_OFFSET)); else echo "$2"; fi
}

# Starts the named services, at most RUN_PARALLEL at a time (on two cores, more JVMs starting at once only
# slow each other down until their Redis connects time out), and waits until each answers healthy.
# On a death or a timeout it shows why and fails.
start_wave() { # names...
    local queue=("$@") starting=() still name pid entry module http sip wave next_note
    local -A launched_at=()
    next_note=$(($(now) + 15))
    while [ ${#queue[@]} -gt 0 ] || [ ${#starting[@]} -gt 0 ]; do
        while [ ${#starting[@]} -lt "$RUN_PARALLEL" ] && [ ${#queue[@]} -gt 0 ]; do
            name=${queue[0]}
            queue=("${queue[@]:1}")
            if [ "$name" = redis ]; then
                step "Starting embedded Redis on 127.0.0.1:$REDIS_PORT"
                launch_redis
            else
                entry=$(plan_entry "$name")
                IFS='|' read -r name module http sip wave <<<"$entry"
                step "Starting $name (HTTP $http$([ "$sip" = - ] || echo ", SIP $sip udp+tcp"))"
                launch "$name" "$module" "$http" "$sip"
            fi
            starting+=("$name")
            launched_at[$name]=$(now)
        done
        still=()
        for name in "${starting[@]}"; do
            if ! pid=$(pid_of "$name"); then
                printf '  %s✘%s %s exited during start-up:\n' "$RED" "$RESET" "$name" >&2
                log_excerpt "$name" >&2
                return 1
            fi
            if is_healthy "$name"; then
                ok "$name is healthy ($(($(now) - launched_at[$name])) s, pid $pid)"
            elif [ "$(now)" -ge $((launched_at[$name] + RUN_START_TIMEOUT)) ]; then
                printf '  %s✘%s %s is not healthy after %s s:\n' "$RED" "$RESET" "$name" "$RUN_START_TIMEOUT" >&2
                log_excerpt "$name" >&2
                return 1
            else
                still+=("$name")
            fi
        done
        starting=("${still[@]+"${still[@]}"}")
        if [ ${#starting[@]} -gt 0 ] && [ "$(now)" -ge "$next_note" ]; then
            say "  ${DIM}… waiting for ${starting[*]}${RESET}"
            next_note=$(($(now) + 15))
        fi
        [ ${#starting[@]} -gt 0 ] && sleep 0.5
    done
    return 0
}

stop_pids() { # timeout names... : TERM, wait, then KILL the stragglers
    local timeout=$1 name pid deadline pids=() names=()
    shift
    for name in "$@"; do
        pid=$(pid_of "$name") || continue
        kill -TERM "$pid" 2>/dev/null && pids+=("$pid") && names+=("$name")
    done
    deadline=$(($(now) + timeout))
    for i in "${!pids[@]}"; do
        while kill -0 "${pids[$i]}" 2>/dev/null && [ "$(now)" -lt "$deadline" ]; do sleep 0.2; done
        if kill -0 "${pids[$i]}" 2>/dev/null; then
            warn "${names[$i]} did not stop within $timeout s: killing it"
            kill -KILL "${pids[$i]}" 2>/dev/null
        fi
        say "  stopped ${names[$i]} (pid ${pids[$i]})"
    done
}

stop_all() {
    local names=() name
    mapfile -t names < <(started_names)
    # the services first (gateway before what it fronts), Redis last so they can shut down cleanly
    local apps=()
    for ((i = ${#names[@]} - 1; i >= 0; i--)); do [ "${names[$i]}" = redis ] || apps+=("${names[$i]}"); done
    [ ${#apps[@]} -gt 0 ] && stop_pids "$RUN_STOP_TIMEOUT" "${apps[@]}"
    stop_pids 10 redis
    # a redis-server whose JVM was killed outright
    local child
    if [ -f "$PID_DIR/redis-server.pid" ] && read -r child <"$PID_DIR/redis-server.pid" && kill -0 "$child" 2>/dev/null \
        && case "$(cmdline_of "$child")" in *redis-server*) true ;; *) false ;; esac; then
        kill -TERM "$child" 2>/dev/null
    fi
    rm -f "$PID_DIR"/*.pid "$RUN_DIR/started"
}

write_session() {
    umask 077
    {
        printf 'MODE=%q\nSTARTED_AT=%q\nSIP_DOMAIN=%q\nREDIS_URL=%q\nREDIS_EMBEDDED=%q\nREDIS_PORT=%q\n' \
            "$1" "$(date '+%Y-%m-%d %H:%M:%S')" "$SIP_DOMAIN" "$REDIS_URL" "$REDIS_EMBEDDED" "${REDIS_PORT:-}"
        printf 'PLATFORM_API_TOKEN=%q\nLOCAL_HTTP_HOST=%q\nSIP_ADVERTISED_ADDRESS=%q\n' \
            "$PLATFORM_API_TOKEN" "$LOCAL_HTTP_HOST" "$SIP_ADVERTISED_ADDRESS"
        printf 'PLAN=(%s)\n' "$(printf '%q ' "${PLAN[@]}")"
    } >"$SESSION_FILE"
    printf 'Authorization: Bearer %s\n' "$PLATFORM_API_TOKEN" >"$AUTH_HEADER_FILE"
    umask 022
}

provision_demo_subscribers() {
    plan_entry location-service >/dev/null || return 0
    [ -n "$DEMO_SUBSCRIBERS" ] || return 0
    local port user password body
    port=$(plan_entry location-service | cut -d'|' -f3)
    step "Provisioning demo subscribers"
    : >"$RUN_DIR/demo-subscribers"
    chmod 600 "$RUN_DIR/demo-subscribers"
    for user in $DEMO_SUBSCRIBERS; do
        password=$(random_password)
        body=$(printf '{"username":"%s","domain":"%s","password":"%s"}' "$user" "$SIP_DOMAIN" "$password")
        http POST "$port" /api/v1/subscribers "$body" auth
        if [ "$HTTP_STATUS" = 409 ]; then # left over in a persistent REDIS_URL: it is a demo account, renew it
            http DELETE "$port" "/api/v1/subscribers/$user@$SIP_DOMAIN" '' auth
            http POST "$port" /api/v1/subscribers "$body" auth
        fi
        if [ "$HTTP_STATUS" = 201 ]; then
            ok "$user@$SIP_DOMAIN"
            printf '%s %s\n' "$user" "$password" >>"$RUN_DIR/demo-subscribers"
        else
            warn "could not create $user@$SIP_DOMAIN: HTTP $HTTP_STATUS ${HTTP_BODY:0:200}"
        fi
    done
}

print_summary() {
    local entry name module http sip wave gateway_sip='' user password
    say ""
    say "${BOLD}Siplane is up${RESET} (SIP domain ${BOLD}$SIP_DOMAIN${RESET}; logs in .run/logs/)"
    say ""
    printf '  %-20s %-26s %s\n' SERVICE HTTP SIP
    for entry in "${PLAN[@]}"; do
        IFS='|' read -r name module http sip wave <<<"$entry"
        [ "$name" = gateway ] && gateway_sip=$sip
        printf '  %-20s %-26s %s\n' "$name" "http://$LOCAL_HTTP_HOST:$http" \
            "$([ "$sip" = - ] && echo - || echo "sip:$SIP_ADVERTISED_ADDRESS:$sip (udp, tcp)")"
    done
    [ -n "${gateway_sip:-}" ] && printf '  %-20s %s\n' "gateway actuator" \
        "http://127.0.0.1:$(actuator_port gateway -)/actuator (metrics, prometheus, health details; loopback only)"
    if [ "$REDIS_EMBEDDED" = yes ]; then
        printf '  %-20s %s\n' "redis (embedded)" "$REDIS_URL (nothing is persisted)"
    else
        printf '  %-20s %s\n' "redis" "$(sed 's#//[^@/]*@#//***@#' <<<"$REDIS_URL")"
    fi
    local missing; missing=$(missing_services)
    [ -n "$missing" ] && say "  ${DIM}not in this checkout yet: $missing${RESET}"
    say ""
    say "  API token:  $PLATFORM_API_TOKEN$([ "$TOKEN_GENERATED" = yes ] && echo "  (generated; set PLATFORM_API_TOKEN to choose one)")"
    if plan_entry location-service >/dev/null; then
        say "  Try:        curl -H \"Authorization: Bearer $PLATFORM_API_TOKEN\" $LOCATION_URL/api/v1/bindings/alice@$SIP_DOMAIN"
    fi
    if [ -s "$RUN_DIR/demo-subscribers" ]; then
        say ""
        say "  Demo subscribers (SIP user / password, domain and realm $SIP_DOMAIN):"
        while read -r user password; do printf '    %-8s %s\n' "$user" "$password"; done <"$RUN_DIR/demo-subscribers"
        if [ -n "$gateway_sip" ]; then
            say "  Register a phone with registrar/outbound proxy $SIP_ADVERTISED_ADDRESS:$gateway_sip (UDP or TCP),"
            say "  e.g. Debian's baresip (apt-get install baresip-core), one line each in ~/.baresip/accounts:"
            while read -r user password; do
                say "    <sip:$user@$SIP_DOMAIN>;auth_pass=$password;outbound=sip:$SIP_ADVERTISED_ADDRESS:$gateway_sip;answermode=auto"
            done <"$RUN_DIR/demo-subscribers"
        fi
    fi
    say ""
}

acquire_lock() {
    mkdir -p "$LOG_DIR" "$PID_DIR"
    if have flock; then
        exec {LOCK_FD}>"$RUN_DIR/lock"
        if ! flock -n "$LOCK_FD"; then
            refuse_if_running
            die "another ./run.sh is starting Siplane in this checkout (see ./run.sh status)"
        fi
    else
        LOCK_FD=9
        exec 9>/dev/null
    fi
}

refuse_if_running() {
    if any_alive || supervisor_pid >/dev/null; then
        local mode='' since=''
        [ -f "$SESSION_FILE" ] && mode=$(sed -n 's/^MODE=//p' "$SESSION_FILE") && since=$(sed -n "s/^STARTED_AT=//p" "$SESSION_FILE" | tr -d "'\\\\")
        die "Siplane is already running from this checkout (${mode:-?} mode, since ${since:-?}). See ./run.sh status; stop it with ./run.sh stop."
    fi
}

start_platform() { # mode
    acquire_lock
    refuse_if_running
    rm -f "$PID_DIR"/*.pid "$RUN_DIR/started" "$RUN_DIR/demo-subscribers"
    prepare_settings
    step "Siplane: ${#PLAN[@]} service process(es)$([ "$REDIS_EMBEDDED" = yes ] && echo " + embedded Redis"), SIP domain $SIP_DOMAIN"
    local missing; missing=$(missing_services)
    [ -n "$missing" ] && say "  ${DIM}not in this checkout yet (skipped): $missing${RESET}"
    check_ports
    build
    [ "$1" = foreground ] && printf '%s\n' "$$" >"$PID_DIR/run.sh.pid"
    write_session "$1"
    trap 'say ""; step "Interrupted: stopping what was started"; stop_all; exit 130' INT TERM HUP

    if [ "$REDIS_EMBEDDED" = yes ]; then
        start_wave redis || { stop_all; die "the embedded Redis did not start (it needs libssl3: apt-get install libssl3)"; }
    fi
    local wave entry name module http sip w names
    for wave in 1 2; do
        names=()
        for entry in "${PLAN[@]}"; do
            IFS='|' read -r name module http sip w <<<"$entry"
            [ "$w" = "$wave" ] && names+=("$name")
        done
        [ ${#names[@]} -gt 0 ] || continue
        if ! start_wave "${names[@]}"; then
            step "Start-up failed: stopping what was started"
            stop_all
            exit 1
        fi
        [ "$wave" = 1 ] && provision_demo_subscribers
    done
    print_summary
}

cmd_foreground() {
    start_platform foreground
    say "Running in the foreground: Ctrl-C stops everything (or ./run.sh stop from another terminal)."
    trap 'say ""; step "Stopping Siplane"; stop_all; rm -f "$PID_DIR/run.sh.pid"; exit 0' INT TERM HUP
    local name
    while true; do
        for name in $(started_names); do
            if ! pid_of "$name" >/dev/null; then
                printf '%s%s exited unexpectedly:%s\n' "$RED" "$name" "$RESET" >&2
                log_excerpt "$name" >&2
                step "Stopping the rest"
                stop_all
                rm -f "$PID_DIR/run.sh.pid"
                exit 1
            fi
        done
        sleep 1 &
        wait $! # wait (not a bare sleep) so a signal is handled at once
    done
}

cmd_start() {
    start_platform background
    say "Running in the background: ./run.sh status, ./run.sh stop."
}

cmd_stop() {
    mkdir -p "$PID_DIR"
    local sup
    if sup=$(supervisor_pid); then
        step "Stopping the foreground ./run.sh (pid $sup) and its services"
        kill -TERM "$sup"
        local deadline=$(($(now) + RUN_STOP_TIMEOUT + 15))
        while kill -0 "$sup" 2>/dev/null && [ "$(now)" -lt "$deadline" ]; do sleep 0.2; done
        any_alive || { say "Stopped."; return 0; }
    fi
    if ! any_alive; then
        rm -f "$PID_DIR"/*.pid "$RUN_DIR/started"
        say "Siplane is not running."
        return 0
    fi
    step "Stopping Siplane"
    stop_all
    say "Stopped."
}

cmd_status() {
    if [ ! -f "$SESSION_FILE" ] || ! { any_alive || supervisor_pid >/dev/null; }; then
        say "Siplane is not running (./run.sh start)."
        exit 3
    fi
    # shellcheck disable=SC1090
    . "$SESSION_FILE"
    local sup mode_note=$MODE entry name module http sip wave pid health bad=0
    sup=$(supervisor_pid) && mode_note="$MODE, ./run.sh pid $sup"
    say "Siplane: running since $STARTED_AT ($mode_note); SIP domain $SIP_DOMAIN"
    say ""
    printf '  %-20s %-8s %-7s %-15s %s\n' SERVICE PID HTTP SIP HEALTH
    if [ "$REDIS_EMBEDDED" = yes ]; then
        if pid=$(pid_of redis); then
            if redis_ping "$REDIS_PORT"; then health="${GREEN}UP${RESET}"; else health="${RED}DOWN${RESET} (no PONG)"; bad=1; fi
        else
            pid=- health="${RED}NOT RUNNING${RESET}"; bad=1
        fi
        printf '  %-20s %-8s %-7s %-15s %s\n' "redis (embedded)" "$pid" - "-" "$health  (redis $REDIS_PORT/tcp)"
    fi
    for entry in "${PLAN[@]}"; do
        IFS='|' read -r name module http sip wave <<<"$entry"
        if pid=$(pid_of "$name"); then
            if http GET "$(actuator_port "$name" "$http")" /actuator/health/readiness; then
                if [ "$HTTP_STATUS" = 200 ]; then health="${GREEN}UP${RESET}"; else health="${RED}DOWN${RESET} (readiness $HTTP_STATUS)"; bad=1; fi
            else
                health="${RED}NO ANSWER${RESET}"; bad=1
            fi
        else
            pid=- health="${RED}NOT RUNNING${RESET}"; bad=1
        fi
        printf '  %-20s %-8s %-7s %-15s %s\n' "$name" "$pid" "$http" "$([ "$sip" = - ] && echo - || echo "$sip udp+tcp")" "$health"
    done
    say ""
    say "  REST API:  $([ -n "$(plan_entry gateway 2>/dev/null)" ] && echo "http://$LOCAL_HTTP_HOST:$(plan_entry gateway | cut -d'|' -f3)/api/v1 (gateway), ")$(plan_entry location-service >/dev/null && echo "http://$LOCAL_HTTP_HOST:$(plan_entry location-service | cut -d'|' -f3)/api/v1")"
    say "  API token: $PLATFORM_API_TOKEN"
    if [ -s "$RUN_DIR/demo-subscribers" ]; then
        say "  Demo subscribers: $(awk -v d="$SIP_DOMAIN" '{printf "%s%s@%s / %s", (NR > 1 ? ", " : ""), $1, d, $2}' "$RUN_DIR/demo-subscribers")"
    fi
    say "  Logs:      .run/logs/"
    return $bad
}

case "${1:-}" in
    '') cmd_foreground ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    help | -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
esac
