#!/usr/bin/env bash
# summary.sh CARGO_LOG CARGO_RC E2E_LOG E2E_RC SECONDS: the end of `make test`: one verdict
# line, then the test runners' own summary lines (cargo's "test result:" lines, summed,
# and Playwright's closing lines). Exits 1 when either runner failed.
set -uo pipefail
cargo_log=$1 cargo_rc=$2 e2e_log=$3 e2e_rc=$4 secs=${5:-0}

strip() { sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1" 2>/dev/null; }

if [ "$cargo_rc" = 0 ] && [ "$e2e_rc" = 0 ]; then verdict="all tests passed"
else verdict="FAILED (cargo test exit $cargo_rc, playwright exit $e2e_rc)"; fi
echo
echo "==> summary after $((secs / 60)) min $((secs % 60)) s: $verdict"

echo "--- cargo test"
results=$(strip "$cargo_log" | grep -E '^test result: ' || true)
if [ -n "$results" ]; then
  # failing tests, as cargo lists them under "failures:"
  strip "$cargo_log" | awk '/^failures:$/ {f = 1; next} f && /^    [^ ]/ {print "  FAILED " $1; next} f && /^$/ {f = 0}' | sort -u
  printf '%s\n' "$results" | awk '
    { for (i = 1; i <= NF; i++) {
        if ($(i+1) ~ /^passed;?$/)   p += $i
        if ($(i+1) ~ /^failed;?$/)   f += $i
        if ($(i+1) ~ /^ignored;?$/)  g += $i
      } n++ }
    END { printf "cargo test: %d passed; %d failed; %d ignored (%d test binaries)\n", p, f, g, n }'
else
  strip "$cargo_log" | tail -n 15   # did not get as far as running tests (e.g. a compile error)
fi

echo "--- playwright"
strip "$e2e_log" | awk '
  /^ *[0-9]+ (failed|flaky|skipped|passed|did not run|interrupted)/ { s = 1 }
  s { print }
  { last[NR % 15] = $0 }
  END { if (!s) for (i = NR - 14; i <= NR; i++) if (i > 0) print last[i % 15] }'

[ "$cargo_rc" = 0 ] && [ "$e2e_rc" = 0 ]
