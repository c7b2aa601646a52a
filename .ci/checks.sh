# Sourced by the .ci scripts: `check DESCRIPTION COMMAND...` runs a command, counts it and prints
# "ok" or "FAIL" with the end of its output; `print_summary NAME` prints "NAME: N passed, M failed".
# Needs $WORK (a temporary folder) set by the caller.
passed=0
failed=0

check() {
    local description=$1
    shift
    if "$@" >"$WORK/check.log" 2>&1; then
        passed=$((passed + 1))
        printf '  ok    %s\n' "$description"
    else
        failed=$((failed + 1))
        printf '  FAIL  %s\n' "$description"
        sed 's/^/        /' "$WORK/check.log" | tail -n 40
    fi
}

print_summary() {
    printf '%s: %d passed, %d failed\n' "$1" "$passed" "$failed"
}
