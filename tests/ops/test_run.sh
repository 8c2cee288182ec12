#!/bin/sh
# tests/run.sh, the runner of every suite, on suites made up for it in a
# scratch tree: skips (tests/lib/tap.sh's skip_all, an "ok N - x # SKIP"
# line, cmocka's "not ok N # SKIP x") are counted as skipped, neither
# passed nor failed, in each file's line and in the closing line; a
# failure is a failure; its closing "leftovers" check fails when a suite
# leaves a file in /tmp; and a run of the unit tests alone leaves the
# shared lab and emulator alone (stand-ins record being taken down).

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}

T=$(mktemp -d /tmp/lg-run-test.XXXXXX) || exit 1
LEFT=
trap 'rm -rf "$T" $LEFT' EXIT
mkdir -p "$T/tests/lib" "$T/tests/mixed" "$T/tests/bad" "$T/tests/litter" "$T/tests/binary" \
    "$T/build/san/tests" "$T/tests/lab" "$T/tests/emulator"
cp "$LG_TOP/tests/run.sh" "$T/tests/"
cp "$LG_TOP/tests/lib/tap.sh" "$T/tests/lib/"
for s in lab/lab.sh emulator/emu.sh; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/downs"\n' "$s" "$T" \
	    >"$T/tests/$s"
	chmod +x "$T/tests/$s"
done

# A cmocka binary's TAP (CMOCKA_MESSAGE_OUTPUT=TAP, cmocka 1.1) with one
# test skipped.
cat >"$T/build/san/tests/test_cm" <<'EOF'
#!/bin/sh
echo "1..3"
echo "ok 1 - test_one"
echo "not ok 2 # SKIP test_two"
echo "ok 3 - test_three"
EOF
chmod +x "$T/build/san/tests/test_cm"
cat >"$T/tests/mixed/test_some.sh" <<'EOF'
. "$(dirname "$0")/../lib/tap.sh"
pass "first"
pass "# SKIP no such tool here"
pass "second"
done_testing
EOF
cat >"$T/tests/mixed/test_none.sh" <<'EOF'
. "$(dirname "$0")/../lib/tap.sh"
skip_all "needs something this machine lacks"
EOF
cat >"$T/tests/bad/test_bad.sh" <<'EOF'
. "$(dirname "$0")/../lib/tap.sh"
pass "good"
fail "bad"
done_testing
EOF
cat >"$T/tests/litter/test_litter.sh" <<'EOF'
. "$(dirname "$0")/../lib/tap.sh"
mktemp /tmp/lg-run-test-litter.XXXXXX
pass "made a file and left it"
done_testing
EOF
# Router text in a log (a NUL byte here) must not hide what follows it.
cat >"$T/tests/binary/test_binary.sh" <<'EOF'
. "$(dirname "$0")/../lib/tap.sh"
pass "before"
printf 'router said \000\n'
pass "after"
fail "a failure after the byte"
done_testing
EOF

# runner SUITE...: the scratch runner's output.
runner() {
	LG_TEST_LOGS=$T/logs LG_BUILD=build/san sh "$T/tests/run.sh" "$@" 2>&1
}

out=$(runner unit)
rc=$?
is "unit alone: closing line" "$(printf '%s\n' "$out" | tail -1)" \
    "2 passed, 0 failed, 1 skipped"
unlike "unit alone: no leftovers check" "$out" 'leftovers'
ok "unit alone: the lab and the emulator are left alone" \
    test ! -e "$T/downs"

out=$(runner unit mixed)
rc=$?
is "with another suite, the lab and the emulator are taken down" \
    "$(sort "$T/downs" 2>/dev/null | tr '\n' ' ')" \
    "emulator/emu.sh stop lab/lab.sh down "
is "skips pass the run" "$rc" 0
is "closing line: passes, failures and skips apart" \
    "$(printf '%s\n' "$out" | tail -1)" "6 passed, 0 failed, 3 skipped"
like "cmocka's skip is a skip in the file's line" "$out" \
    'ok   unit/test_cm: 2 passed, 1 skipped'
like "an ok line with # SKIP is a skip" "$out" \
    'ok   mixed/test_some: 2 passed, 1 skipped'
like "a file skipped as a whole counts one skip" "$out" \
    'ok   mixed/test_none: 0 passed, 1 skipped'
like "the leftovers check ran and passed" "$out" 'ok   leftovers: 2 passed'

out=$(runner mixed bad)
rc=$?
is "a failure fails the run" "$rc" 1
is "closing line with a failure" "$(printf '%s\n' "$out" | tail -1)" \
    "5 passed, 1 failed, 2 skipped"
like "the failing file is named" "$out" \
    'FAIL bad/test_bad: 1 passed, 1 failed, 0 skipped'

out=$(runner litter)
rc=$?
LEFT=$(ls -d /tmp/lg-run-test-litter.* 2>/dev/null)
is "a file left in /tmp fails the run" "$rc" 1
like "the leftovers check names it" "$out" \
    'not ok 1 - the suites left in /tmp: /tmp/lg-run-test-litter\.'
is "closing line with a leftover" "$(printf '%s\n' "$out" | tail -1)" \
    "2 passed, 1 failed, 0 skipped"

out=$(runner binary)
rc=$?
is "a log with a NUL byte: its failure after the byte fails the run" "$rc" 1
is "and every line is counted" "$(printf '%s\n' "$out" | tail -1)" \
    "4 passed, 1 failed, 0 skipped"

done_testing
