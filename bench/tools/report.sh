#!/usr/bin/env bash
# Prints the Markdown report of one bench/run.sh output folder: bench/tools/report.sh bench/out/<time>
set -u -o pipefail
OUT=${1:?usage: report.sh OUTPUT_DIR}
S="$OUT/summary.tsv"

field() { # target replicas workload column -> value ("-" when absent); replicas "" = first row of the target
    [ -s "$S" ] || { echo -; return; }
    awk -F'\t' -v t="$1" -v r="$2" -v w="$3" -v c="$4" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["target"] == t && (r == "" || $col["replicas"] == r) && $col["workload"] == w { print $col[c]; found = 1; exit }
        END { if (!found) print "-" }' "$S"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

echo "## Results: $(awk -F': ' '$1 == "date" { print $2 }' "$OUT/machine.txt" 2>/dev/null)"
echo
echo '```'
cat "$OUT/machine.txt" 2>/dev/null
echo '```'
echo

if [ -s "$S" ]; then
    first=$(awk -F'\t' 'NR == 2 && $1 == "siplane" { print $2 }' "$S")
    echo "### Highest passing rate (0 failed calls, 0 retransmissions), median [min..max] of the runs"
    echo
    echo "| workload | Siplane${first:+ ($first proxy replicas)} | p50 / p99 there (ms) | p99 at 50 % of max (ms) | p50 / p99 at fixed rate (ms) | Kamailio | p50 / p99 there (ms) | p50 / p99 at fixed rate (ms) | ours / Kamailio |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for w in register call redirect; do
        ours=$(field siplane "$first" "$w" max_median)
        kam=$(field kamailio "" "$w" max_median)
        [ "$ours" = - ] && [ "$kam" = - ] && continue
        printf '| %s | %s | %s / %s | %s (at %s/s) | %s / %s (at %s/s) | %s | %s / %s | %s / %s | %s |\n' "$w" \
            "$(field siplane "$first" "$w" max_range)" "$(field siplane "$first" "$w" p50_at_max)" "$(field siplane "$first" "$w" p99_at_max)" \
            "$(field siplane "$first" "$w" p99_at_half)" "$(field siplane "$first" "$w" half_rate)" \
            "$(field siplane "$first" "$w" p50_at_moderate)" "$(field siplane "$first" "$w" p99_at_moderate)" "$(field siplane "$first" "$w" moderate_rate)" \
            "$(field kamailio "" "$w" max_range)" "$(field kamailio "" "$w" p50_at_max)" "$(field kamailio "" "$w" p99_at_max)" \
            "$(field kamailio "" "$w" p50_at_moderate)" "$(field kamailio "" "$w" p99_at_moderate)" "$(ratio "$ours" "$kam")"
    done
    echo
    echo "### CPU at the highest passing rate (% of one core: process CPU time / wall time), whole box of 2 cores = 200 %"
    echo
    echo "| target | replicas | workload | rate | per process | SIPp | box |"
    echo "|---|---|---|---|---|---|---|"
    awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $col["target"], $col["replicas"], $col["workload"], $col["max_median"], $col["cpu_at_max"], $col["sipp_at_max"], $col["box_at_max"] }' "$S"
    echo
    echo "### CPU cost per operation at the fixed moderate rate (µs of CPU time per registration / call / redirect)"
    echo
    echo "| target | replicas | workload | rate | µs per operation, by process |"
    echo "|---|---|---|---|---|"
    awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { printf "| %s | %s | %s | %s | %s |\n", $col["target"], $col["replicas"], $col["workload"], $col["moderate_rate"], $col["cpu_us_per_op_at_moderate"] }' "$S"
    echo
    if [ "$(awk -F'\t' '$1 == "siplane" && $3 == "call"' "$S" | wc -l)" -gt 1 ]; then
        echo "### Calls by number of proxy replicas"
        echo
        echo "| replicas | calls/s | p50 / p99 at max (ms) | p99 at 50 % (ms) | CPU at max |"
        echo "|---|---|---|---|---|"
        awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } $1 == "siplane" && $3 == "call" {
            printf "| %s | %s | %s / %s | %s | %s |\n", $col["replicas"], $col["max_range"], $col["p50_at_max"], $col["p99_at_max"], $col["p99_at_half"], $col["cpu_at_max"] }' "$S"
        echo
    fi
fi

if [ -s "$OUT/rest.tsv" ]; then
    echo "### REST lookups (wrk, GET /api/v1/bindings/{aor}, random registered AOR)"
    echo
    echo "| via | max req/s (2 threads, 32 connections) | errors | p50 / p99 (ms) | box CPU | CPU per process | paced req/s | p50 / p99 paced (ms) |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s / %s | %s | %s | %s | %s / %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' "$OUT/rest.tsv"
    echo
fi

if [ -s "$OUT/memory.tsv" ]; then
    echo "### Memory"
    echo
    echo "| target | replicas | Redis bytes per binding | RSS MiB, peak / at the end |"
    echo "|---|---|---|---|"
    awk -F'\t' 'NR > 1 { printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$OUT/memory.tsv"
    echo
fi

echo "Every step: \`$(basename "$OUT")/steps.tsv\` (rate, pass, p50/p99, CPU per process, load average, why it failed)."
