#!/usr/bin/env bash
# Where the CPU goes in a JFR recording, from its execution samples (JDK 17's jfr has no hot-methods view):
#   bench/tools/jfr-top.sh recording.jfr [N] [PATTERN]
# prints the N hottest top frames (self time) and the N hottest frames anywhere on the stack (inclusive time);
# with PATTERN (an awk regex), the inclusive list keeps only matching frames (e.g. 'io\.siplane').
set -u -o pipefail
file=${1:?usage: jfr-top.sh recording.jfr [N] [PATTERN]}
n=${2:-25}
pattern=${3:-.}
jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" | awk -v n="$n" -v pat="$pattern" '
    /jdk.ExecutionSample/ { samples++; depth = 0; delete seen; next }
    /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\(.*\)/ {
        frame = $1; sub(/\(.*/, "", frame)
        if (depth == 0) self[frame]++
        if (!(frame in seen) && frame ~ pat) { incl[frame]++; seen[frame] = 1 }
        depth++
    }
    END {
        printf "%d samples\n\nself (top frame)\n", samples
        for (f in self) printf "%6.1f%%  %s\n", self[f] * 100 / samples, f | "sort -rn | head -" n
        close("sort -rn | head -" n)
        printf "\ninclusive (anywhere on the stack)\n"
        for (f in incl) printf "%6.1f%%  %s\n", incl[f] * 100 / samples, f | "sort -rn | head -" n
    }'
