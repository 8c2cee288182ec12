#!/bin/sh
# The broker's integration tests once more with lgbrokerd (build/plain)
# under valgrind's memcheck (LG_VALGRIND=1, tests/broker/lib.sh): every
# emulator platform over SSH and telnet with the faults, host key
# refusals, coalescing, the queue and reloads (test_emulator.sh), and the
# real lab routers with a table-sized streamed answer (test_lab.sh),
# and some 1,700 hostile queries to the lab routers (test_lab_hostile.sh).
# Each of their checks is repeated here under its name, and each ends
# with valgrind's verdict: no memory error, no definite or indirect leak,
# no descriptor of the broker's left open at exit (valgrind.supp says
# what is suppressed and why).  Run alone: sh tests/broker/test_valgrind.sh

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null 2>&1 ||
    skip_all "valgrind is not installed (sh tests/deps.sh)"
[ -x "$LG_TOP/build/plain/lgbrokerd" ] ||
    skip_all "build/plain/lgbrokerd not built (make)"

# run_under_valgrind NAME SCRIPT: the script's checks, as NAME: CHECK.
run_under_valgrind() {
	t=$(date +%s)
	out=$(mktemp)
	LG_VALGRIND=1 sh "$2" >"$out" 2>&1
	rc=$?
	plan=
	while IFS= read -r line; do
		case $line in
		"ok "*)		pass "$1: ${line#ok * - }" ;;
		"not ok "*)	fail "$1: ${line#not ok * - }" ;;
		"1..0 # SKIP"*)	plan=skip; pass "$1 # SKIP ${line#1..0 # SKIP }" ;;
		1..*)		plan=${line#1..} ;;
		*)		printf '%s\n' "$line" | grep '^#' ;;
		esac
	done <"$out"
	case $plan in
	skip)	;;
	"")	fail "$1 ran to its end under valgrind" "exit $rc" \
		    "$(tail -20 "$out")" ;;
	*)	is "$1 ran to its end under valgrind ($plan checks, $(($(date \
		    +%s) - t)) s)" "$rc" 0 ;;
	esac
	rm -f "$out"
}

run_under_valgrind emulator "$LG_TOP/tests/broker/test_emulator.sh"
run_under_valgrind lab "$LG_TOP/tests/broker/test_lab.sh"
run_under_valgrind hostile "$LG_TOP/tests/broker/test_lab_hostile.sh"
done_testing
