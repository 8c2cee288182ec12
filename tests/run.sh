#!/bin/sh
# Runs the test suites and prints one closing line, "N passed, N failed",
# over all of them.  Every suite speaks TAP ("ok N - ...", "not ok N - ..."):
# the cmocka unit tests through CMOCKA_MESSAGE_OUTPUT=TAP, the others
# through tests/lib/tap.sh.  A suite script that exits non-zero without
# reporting a failure counts as one failure of its own.
#
#   sh tests/run.sh [suite ...]      default: every suite, in order
#
# Environment: LG_BUILD (build directory, default build/san), LG_KEEP=1 to
# leave the lab and the emulator up afterwards.

set -u
cd "$(dirname "$0")/.." || exit 1
LG_TOP=$(pwd)
LG_BUILD=${LG_BUILD:-build/san}
export LG_TOP LG_BUILD
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

ALL_SUITES="unit config lab emulator broker web browser security ops bench fuzz"
SUITES=${*:-$ALL_SUITES}
LOGDIR=${LG_TEST_LOGS:-build/test-logs}
mkdir -p "$LOGDIR"

passed=0
failed=0

teardown() {
	[ "${LG_KEEP:-0}" = 1 ] && return
	[ -x tests/emulator/emu.sh ] && sh tests/emulator/emu.sh stop >/dev/null 2>&1
	[ -x tests/lab/lab.sh ] && sh tests/lab/lab.sh down >/dev/null 2>&1
	true
}
trap teardown EXIT INT TERM

# run_one NAME COMMAND...: runs one TAP producer and adds up its results.
run_one() {
	name=$1; shift
	log="$LOGDIR/$(echo "$name" | tr '/ ' '__').log"
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited $rc without reporting a failure" >>"$log"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name: $p passed, $f failed (log: $log)"
		grep -E '^not ok ' "$log" | head -20 | sed 's/^/    /'
		grep -E '^# ' "$log" | grep -iE 'fail|error|expected|got' | head -20 | sed 's/^/    /'
	else
		echo "ok   $name: $p passed"
	fi
}

for suite in $SUITES; do
	case $suite in
	unit)
		for t in "$LG_BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			run_one "unit/$(basename "$t")" "$t"
		done
		;;
	*)
		[ -d "tests/$suite" ] || continue
		for t in tests/"$suite"/test_*.sh; do
			[ -f "$t" ] || continue
			run_one "$suite/$(basename "$t" .sh)" sh "$t"
		done
		;;
	esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
