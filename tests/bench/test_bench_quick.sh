#!/bin/sh
# make bench QUICK=1 as a test: every measurement runs and produces
# numbers.  Performance is measured, never asserted here: no figure is
# compared with its target (the machine running the tests is shared).
#
# Uses build/plain when it is built (make check builds it), else LG_BUILD.

set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

for t in python3 wrk ssh ssh-keygen; do
	command -v $t >/dev/null 2>&1 || skip_all "$t not installed (make deps)"
done
B=build/plain
[ -x "$B/lgemu" ] && [ -x "$B/lgbrokerd" ] && [ -x "$B/lgwebd" ] &&
    [ -x "$B/bench_parse" ] && [ -x "$B/bench_spawn" ] ||
    B=${LG_BUILD:-build/san}
for b in lgbrokerd lgwebd lgctl lgemu bench_parse bench_spawn; do
	[ -x "$B/$b" ] || skip_all "$B/$b not built"
done

W=$(mktemp -d /tmp/lg-bench-test.XXXXXX) || exit 1
trap 'rm -rf "$W"' EXIT INT TERM

LG_BENCH_NOBUILD=1 LG_BENCH_BUILD=$B LG_BENCH_OUT=$W/results.json \
    sh tests/bench/bench.sh --quick >"$W/out" 2>"$W/err"
rc=$?
is "bench.sh --quick exits 0 (every measurement ran)" "$rc" 0
[ "$rc" = 0 ] || tail -20 "$W/err" | sed 's/^/# /'
# Where the time went, for the suite's budget.
grep ' done in ' "$W/err" | sed 's/^/# /'
ok "the results are written as JSON" python3 -c \
    "import json, sys; json.load(open(sys.argv[1]))" "$W/results.json"
like "the table is printed" "$(cat "$W/out")" '^\| measurement +\| figure'

# check NAME EXPR...: each EXPR, evaluated on the measurement's results r,
# is a finite number greater than zero.
check() {
	name=$1; shift
	if out=$(python3 - "$W/results.json" "$name" "$@" 2>&1 <<'EOF'
import json, math, sys
doc = json.load(open(sys.argv[1]))
r = doc["results"].get(sys.argv[2])
if r is None:
    sys.exit("no results for %s (failed: %s)"
             % (sys.argv[2], doc["failed"].get(sys.argv[2])))
for expr in sys.argv[3:]:
    v = eval(expr, {}, {"r": r})
    if not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
        sys.exit("%s = %r" % (expr, v))
    print("%s = %g" % (expr, v))
EOF
	); then
		pass "$name: numbers ($(echo "$out" | tr '\n' ' '))"
	else
		fail "$name: numbers" "$out"
	fi
}

check warm 'r["floor_ssh"]["median"]' 'r["lg_ssh"]["median"]' \
    'r["floor_telnet"]["median"]' 'r["lg_telnet"]["median"]' \
    'r["lg_ssh"]["p99"]' 'r["iterations"]' 'r["lgctl_ssh"]["median"]' \
    'r["spawn"]["median"]' 'r["lgctl_ssh_py"]["median"]' \
    'r["spawn_py"]["median"]'
check login 'r["fresh_ssh"]["median"]' 'r["fresh_telnet"]["median"]' \
    'r["speedup_ssh"]' 'r["speedup_telnet"]'
check fanout 'r["all20"]["median"]' 'r["slowest"]["median"]' 'r["ratio"]' \
    'r["ratio_web"]'
check scale 'r["telnet"]["all_up_s"]' 'r["telnet"]["rss_all_up_kib"]' \
    'r["telnet"]["load"]["median"]' 'r["ssh"]["all_up_s"]' \
    'r["ssh"]["rss_all_up_kib"]' 'r["ssh"]["load"]["median"]'
check front 'r["cached_query"]["rps"]' 'r["cached_query"]["p99_ms"]' \
    'r["cached_query"]["cpu_us_per_request"]' 'r["static"]["rps"]' \
    'r["static"]["p99_ms"]'
check big 'r["small"]["bytes"]' 'r["large"]["bytes"]' \
    'r["large"]["ttfb_ms"]' 'r["large"]["total_ms"]' \
    'r["large"]["peak_rss_kib"]["broker"]' 'r["large"]["peak_rss_kib"]["web"]'
check store 'r["plain"]["median"]' 'r["store"]["median"]' 'r["ratio"]' \
    'r["get"]["median"]'
check hang 'r["without"]["median"]' 'r["with"]["median"]' 'r["ratio"]'
check flood 'r["alone"]["median"]' 'r["beside"]["median"]' 'r["ratio"]' \
    'len(r["flood"])'
check parse 'len(r["drivers"])' \
    'min(x["deployed"]["mb_s"] for x in r["drivers"])' \
    'min(x["every_line"]["mb_s"] for x in r["drivers"])' \
    'min(x["every_line"]["prefixes"] for x in r["drivers"])'
check parse_lab 'r["parsed"]["median"]' 'r["unparsed"]["median"]' \
    'r["ratio"]' 'r["lines"]' 'r["memory"]["hwm_parsed_kib"]'
check chaos 'r["short"]["reconnect"]["max"]' 'r["short"]["relist"]["max"]' \
    'r["long"]["reconnect"]["max"]' 'r["long"]["relist"]["max"]' \
    'r["long"]["answer"]["median"]'

done_testing
