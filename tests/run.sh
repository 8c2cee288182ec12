#!/bin/sh
# Runs the test suites and prints one closing line over all of them,
# "N passed, N failed, N skipped".  Every suite speaks TAP ("ok N - ...",
# "not ok N - ..."): the cmocka unit tests through
# CMOCKA_MESSAGE_OUTPUT=TAP, the others through tests/lib/tap.sh.  A test
# line with a SKIP directive ("ok N - x # SKIP why", or cmocka's
# "not ok N # SKIP x") is a skip, neither a pass nor a failure, and so is a
# file that skips as a whole ("1..0 # SKIP why").  A suite script that
# exits non-zero without reporting a failure counts as one failure of its
# own.
#
# Last comes one check of its own, "leftovers", after any suite but unit:
# the suites must leave no new entry named lg* or libFuzzer* in /tmp and,
# as root, no users lgbroker and lgweb that were not there before the
# run.  Those users are created by the security and ops suites and shared
# by later suites, so this script removes them once every suite has run.
# A run of the unit tests alone neither checks that nor takes the lab and
# the emulator down: other checkouts' suites may be using them.
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

ALL_SUITES="unit config lab emulator broker web deploy browser security ops bench fuzz"
SUITES=${*:-$ALL_SUITES}
LOGDIR=${LG_TEST_LOGS:-build/test-logs}
mkdir -p "$LOGDIR"

passed=0
failed=0
skipped=0
USERS="lgbroker lgweb"

# tmp_entries: the entries of /tmp that the suites' files are named like.
tmp_entries() {
	ls -d /tmp/lg* /tmp/libFuzzer* 2>/dev/null | sort
}

# users_present: which of the daemons' users exist.
users_present() {
	for u in $USERS; do
		getent passwd "$u" >/dev/null && echo "$u"
	done
}

TMP_BEFORE=$(tmp_entries)
USERS_BEFORE=$(users_present)

# The lab and the emulator are shared by every checkout on the machine:
# only a run of a suite that uses them (under the lock) takes them down,
# never a run of the unit tests alone.
SHARED=0
teardown() {
	[ "${LG_KEEP:-0}" = 1 ] || [ "$SHARED" = 0 ] && return
	[ -x tests/emulator/emu.sh ] && sh tests/emulator/emu.sh stop >/dev/null 2>&1
	[ -x tests/lab/lab.sh ] && sh tests/lab/lab.sh down >/dev/null 2>&1
	true
}
trap teardown EXIT INT TERM

# run_one NAME COMMAND...: runs one TAP producer and adds up its results.
run_one() {
	name=$1; shift
	log="$LOGDIR/$(echo "$name" | tr '/ ' '__').log"
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	s=$(grep -aciE '^(not )?ok[^#]*# *skip|^1\.\.0 *# *skip' "$log")
	p=$(grep -aE '^ok ' "$log" | grep -civE '^ok[^#]*# *skip')
	f=$(grep -aE '^not ok ' "$log" | grep -civE '^not ok[^#]*# *skip')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited $rc without reporting a failure" >>"$log"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name: $p passed, $f failed, $s skipped, ${secs} s (log: $log)"
		grep -aE '^not ok ' "$log" | head -20 | sed 's/^/    /'
		grep -aE '^# ' "$log" | grep -iE 'fail|error|expected|got' | head -20 | sed 's/^/    /'
	elif [ "$s" -gt 0 ]; then
		echo "ok   $name: $p passed, $s skipped, ${secs} s"
		grep -iE '# *skip' "$log" | head -5 | sed 's/^/    /'
	else
		echo "ok   $name: $p passed, ${secs} s"
	fi
}

# remove_users: removes the daemons' users that the suites created.
remove_users() {
	[ "$(id -u)" -eq 0 ] && [ "${LG_KEEP:-0}" != 1 ] || return 0
	for u in $(users_present); do
		printf '%s\n' "$USERS_BEFORE" | grep -qx "$u" && continue
		userdel "$u" 2>/dev/null
		getent group "$u" >/dev/null && groupdel "$u" 2>/dev/null
	done
	return 0
}

# leftovers: TAP for what the suites left behind.  An entry of /tmp must
# still be there a few seconds later to count, so that a file of a test
# that runs beside this one is not taken for a leftover.
leftovers() {
	if [ "${LG_KEEP:-0}" = 1 ]; then
		echo "1..0 # SKIP LG_KEEP=1 keeps the lab and the emulator up"
		return 0
	fi
	n=0
	new=$(tmp_entries | grep -vxF -e "$TMP_BEFORE" -e "")
	[ -n "$new" ] && sleep 3 && new=$(printf '%s\n' "$new" |
	    while read -r e; do [ -e "$e" ] && echo "$e"; done)
	n=$((n + 1))
	if [ -z "$new" ]; then
		echo "ok $n - the suites left nothing named lg* in /tmp"
	else
		echo "not ok $n - the suites left in /tmp:" $new
	fi
	n=$((n + 1))
	left=$(users_present | grep -vxF -e "$USERS_BEFORE" -e "")
	if [ -z "$left" ]; then
		echo "ok $n - no new user lgbroker or lgweb is left"
	else
		echo "not ok $n - users left behind:" $left
	fi
	echo "1..$n"
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
		SHARED=1
		for t in tests/"$suite"/test_*.sh; do
			[ -f "$t" ] || continue
			run_one "$suite/$(basename "$t" .sh)" sh "$t"
		done
		;;
	esac
done

teardown
trap - EXIT INT TERM
# What the suites leave behind is theirs to answer for only when they had
# the machine's shared resources to themselves: a run of the unit tests
# alone runs beside other checkouts' suites.
if [ "$SHARED" = 1 ]; then
	remove_users
	run_one leftovers leftovers
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
