#!/usr/bin/env bash
# Idle CPU of every process ./run.sh started, with no traffic: CPU time (user + system, from /proc/<pid>/stat)
# over a wall-clock window, in % of one core, and per thread the ones that used any (what wakes up).
#
#   bench/tools/idle-cpu.sh [SECONDS] [PLATFORM_ROOT]      # default 60 s, this checkout
#   IDLE_THREADS=5 bench/tools/idle-cpu.sh 60              # also the 5 busiest threads of each process
#
# Start the platform first (`PORT_OFFSET=… ./run.sh start`), let it settle (a JVM compiles and its first
# health checks run in the first minute), send nothing, then run this. The figure includes everything the
# process does on its own: timers, probes, metrics, Redis pings, GC, the JIT. Exit 1 when a process is
# above IDLE_MAX_PERCENT (default 2).
set -u -o pipefail

seconds=${1:-60}
root=${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
threads=${IDLE_THREADS:-0}
max=${IDLE_MAX_PERCENT:-2}
pid_dir="$root/.run/pids"
ticks=$(getconf CLK_TCK)

[ -d "$pid_dir" ] || { echo "idle-cpu: no $pid_dir: start the platform with ./run.sh start first" >&2; exit 2; }
case "$seconds" in '' | *[!0-9]*) echo "idle-cpu: SECONDS must be a whole number" >&2; exit 2 ;; esac

cpu_ticks() { # /proc/<pid>[/task/<tid>]/stat -> utime + stime; the comm field may hold spaces: cut after ')'
    local stat
    stat=$(cat "$1" 2>/dev/null) || return 1
    stat=${stat##*) }
    set -- $stat
    echo $((${12} + ${13}))
}

declare -A pid_of before thread_before
names=()
for file in "$pid_dir"/*.pid; do
    name=$(basename "$file" .pid)
    [ "$name" = run.sh ] && continue
    read -r pid <"$file" 2>/dev/null || continue
    [ -r "/proc/$pid/stat" ] || continue
    pid_of[$name]=$pid
    names+=("$name")
done
[ ${#names[@]} -gt 0 ] || { echo "idle-cpu: no live process in $pid_dir" >&2; exit 2; }

start=$(date +%s%N)
for name in "${names[@]}"; do
    pid=${pid_of[$name]}
    before[$name]=$(cpu_ticks "/proc/$pid/stat")
    if [ "$threads" -gt 0 ]; then
        for task in /proc/"$pid"/task/*; do
            thread_before[$pid/${task##*/}]=$(cpu_ticks "$task/stat" || echo 0)
        done
    fi
done
sleep "$seconds"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))

over=0
printf '%-20s %8s %10s %12s\n' process pid "cpu ms" "% of a core"
for name in "${names[@]}"; do
    pid=${pid_of[$name]}
    after=$(cpu_ticks "/proc/$pid/stat") || { printf '%-20s %8s  exited\n' "$name" "$pid"; continue; }
    used_ms=$(((after - before[$name]) * 1000 / ticks))
    percent=$(awk -v u="$used_ms" -v e="$elapsed_ms" 'BEGIN { printf "%.2f", u * 100 / e }')
    printf '%-20s %8s %10s %12s\n' "$name" "$pid" "$used_ms" "$percent"
    awk -v p="$percent" -v m="$max" 'BEGIN { exit !(p > m) }' && over=1
    if [ "$threads" -gt 0 ]; then
        for task in /proc/"$pid"/task/*; do
            tid=${task##*/}
            now=$(cpu_ticks "$task/stat") || continue
            delta=$((now - ${thread_before[$pid/$tid]:-0}))
            [ "$delta" -gt 0 ] && printf '    %6d ms  %s\n' $((delta * 1000 / ticks)) "$(cat "$task/comm" 2>/dev/null)"
        done | sort -rn | head -"$threads"
    fi
done
printf '(%d s window; one clock tick = %d ms; above %s %% of a core: %s)\n' $((elapsed_ms / 1000)) $((1000 / ticks)) "$max" \
    "$([ "$over" = 1 ] && echo yes || echo none)"
exit "$over"
