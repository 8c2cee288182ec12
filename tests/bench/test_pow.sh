#!/bin/sh
# bench_pow (make bench-pow) as a test: it solves real challenges at each
# difficulty, verifies every answer as lgwebd would, and prints a row per
# difficulty.  The times are printed, never compared with anything (the
# machine running the tests is shared).  README.md's table comes from a
# full run: build/plain/bench_pow 9 22.

set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

B=${LG_BUILD:-build/san}
[ -x "$B/bench_pow" ] || skip_all "$B/bench_pow not built (make bench-pow)"
out=$("$B/bench_pow" 3 14 2>&1)
rc=$?
is "bench_pow 3 14 exits 0 (every answer verified)" "$rc" 0
printf '%s\n' "$out" | sed 's/^/# /'
rows=$(printf '%s\n' "$out" | grep -cE '^ *(8|10|12|14) +[0-9.]+ +[0-9.]+ +[0-9]+$')
is "a row per difficulty, 8 to 14 bits" "$rows" 4
done_testing
