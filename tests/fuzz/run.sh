#!/bin/sh
# Runs every libFuzzer target given on the command line for FUZZ_TIME
# seconds each, seeded from tests/fuzz/corpus/<name>/ and with
# tests/fuzz/<name>.dict when present.  New inputs go to a scratch corpus
# under build/fuzz/corpus/<name>/ so the committed seeds stay small; a crash
# leaves its input in build/fuzz/crashes/<name>/ and fails the run.
#
# Prints one TAP line per target, with the executions it made.
#
#   FUZZ_TIME=600 sh tests/fuzz/run.sh build/fuzz/fuzz_frame ...

set -u
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
n=0
failed=0

for bin in "$@"; do
	name=$(basename "$bin")
	short=${name#fuzz_}
	n=$((n + 1))
	seeds=tests/fuzz/corpus/$short
	work=$FUZZ_BUILD/corpus/$short
	crashes=$FUZZ_BUILD/crashes/$short
	log=$FUZZ_BUILD/logs/$name.log
	mkdir -p "$work" "$crashes" "$FUZZ_BUILD/logs"
	set -- -max_total_time="$FUZZ_TIME" -print_final_stats=1 \
	    -artifact_prefix="$crashes/" -rss_limit_mb=2048 -timeout=10
	[ -f "tests/fuzz/$short.dict" ] && set -- "$@" -dict="tests/fuzz/$short.dict"
	[ -f "tests/fuzz/$name.options" ] && set -- "$@" $(cat "tests/fuzz/$name.options")
	dirs=$work
	[ -d "$seeds" ] && dirs="$work $seeds"
	# shellcheck disable=SC2086
	"$bin" "$@" $dirs >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - $name: ${execs:-?} executions in ${FUZZ_TIME} s"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: exit $rc after ${execs:-?} executions (log: $log)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/#   /'
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
