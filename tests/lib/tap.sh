# TAP helpers for the shell test suites; source this file.
#
#   ok "description" command [args...]   passes when the command exits 0
#   nok "description" command [args...]  passes when it exits non-zero
#   is "description" "$got" "$expected"
#   like "description" "$got" 'extended regex'
#   unlike "description" "$got" 'extended regex'
#   pass "description" / fail "description" [diagnostic]
#   skip_all "reason"                    the whole file has nothing to run
#   relay DIR/NAME.out RC DIR/NAME.err [WHAT]
#                                        NAME.mjs's "ok - "/"not ok - "
#                                        lines as TAP; exit RC without a
#                                        "not ok" is one failure, named
#                                        WHAT (default NAME.mjs)
#   done_testing                         prints the plan; exit status
#
# Diagnostics go to stdout as "# " lines so the runner's log keeps them.

TAP_N=0
TAP_FAILED=0

pass() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	for d in "$@"; do
		printf '%s\n' "$d" | head -40 | sed 's/^/#   /'
	done
}

ok() {
	desc=$1; shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc" "command: $*" "$out"
	fi
}

nok() {
	desc=$1; shift
	if out=$("$@" 2>&1); then
		fail "$desc" "command unexpectedly succeeded: $*" "$out"
	else
		pass "$desc"
	fi
}

is() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: $3" "got: $2"
	fi
}

like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1" "expected to match: $3" "got: $2"
	fi
}

unlike() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		fail "$1" "expected not to match: $3" "got: $2"
	else
		pass "$1"
	fi
}

relay() {
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "${line#ok - }" ;;
		"not ok - "*) fail "${line#not ok - }" ;;
		"#"*) printf '%s\n' "$line" ;;
		esac
	done <"$1"
	if [ "$2" -ne 0 ] && ! grep -q '^not ok' "$1"; then
		_n=${1##*/}
		fail "${4:-${_n%.out}.mjs} ran to the end (exit $2)" \
		    "$(tail -30 "$3")"
	fi
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
