# shellcheck shell=bash
# Shared helpers of bench/run.sh: output, process accounting from /proc, percentiles, result files.

if [ -t 1 ]; then
    B=$'\e[1m' D=$'\e[2m' R=$'\e[31m' G=$'\e[32m' Y=$'\e[33m' N=$'\e[0m'
else
    B='' D='' R='' G='' Y='' N=''
fi

say() { printf '%s\n' "$*"; }
step() { printf '%s==>%s %s\n' "$B" "$N" "$*"; }
note() { printf '    %s%s%s\n' "$D" "$*" "$N"; }
warn() { printf '  %s!%s %s\n' "$Y" "$N" "$*" >&2; }
die() { printf '%sbench: %s%s\n' "$R" "$*" "$N" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
now_ms() { date +%s%3N; }

CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# utime+stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat; the command may contain spaces)
proc_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) }
    awk '{ print $12 + $13 }' <<<"$stat"
}

# ticks of a process and all its direct children (Kamailio: main process + workers)
tree_ticks() {
    local total pid
    total=$(proc_ticks "$1")
    for pid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
        total=$((total + $(proc_ticks "$pid")))
    done
    echo "$total"
}

# resident set in KiB: current (VmRSS) or peak (VmHWM), summed over a process tree when asked
rss_kib() { awk -v k="${2:-VmRSS}:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
tree_rss_kib() {
    local total pid
    total=$(rss_kib "$1" "${2:-VmRSS}")
    for pid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
        total=$((total + $(rss_kib "$pid" "${2:-VmRSS}")))
    done
    echo "${total:-0}"
}

# whole machine: busy and total jiffies from /proc/stat
box_jiffies() { awk '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8 + $9; total = busy + $5 + $6; print busy, total }' /proc/stat; }

monitor_snapshot() { # -> "ticks ticks ..." of the monitored processes, in MON_NAMES order
    local i out=()
    for i in "${!MON_PIDS[@]}"; do out+=("$(tree_ticks "${MON_PIDS[$i]}")"); done
    echo "${out[*]}"
}

# "name=pct ..." from two monitor snapshots ("ticks ticks ..." in MON_NAMES order) taken wall_ms apart
cpu_percents() { # before after wall_ms
    local b=($1) a=($2) i out=()
    for i in "${!MON_NAMES[@]}"; do
        out+=("${MON_NAMES[$i]}=$(awk -v d=$((a[i] - b[i])) -v hz="$CLK_TCK" -v w="$3" 'BEGIN { printf "%.0f", d / hz * 100000 / w }')")
    done
    echo "${out[*]}"
}

# whole-box CPU between two box_jiffies readings, in % of one core (2 cores = 200 %)
box_percent() { # before after
    awk -v b="$1" -v a="$2" -v n="$(nproc)" 'BEGIN { split(b, x, " "); split(a, y, " "); t = y[2] - x[2]
        printf "%.0f", (t > 0 ? (y[1] - x[1]) / t * 100 * n : 0) }'
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# percentile of numbers on stdin (nearest rank): pct 50
pct() {
    sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.2f\n", v[i] }'
}

# median, min, max of the numbers given as arguments ("-" ignored) -> "median [min..max]"
median_range() {
    printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (NR == 1) printf "%s\n", m; else printf "%s [%s..%s]\n", m, v[1], v[NR] }'
}
median_of() { printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m }'; }

# integer arithmetic helpers
round_to() { awk -v x="$1" -v s="$2" 'BEGIN { r = int(x / s + 0.5) * s; if (r < s) r = s; print r }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }

# one tab-separated record appended to a results file, with a header written once
record() { # file header-line values...
    local file=$1 header=$2
    shift 2
    [ -s "$file" ] || printf '%s\n' "$header" >"$file"
    (IFS=$'\t'; printf '%s\n' "$*") >>"$file"
}
