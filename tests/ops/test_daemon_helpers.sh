#!/bin/sh
# tests/lib/daemon.sh, which the suites that run the daemons share: the
# stop check passes only for an exit status 0 on SIGTERM, and a process
# that ignores SIGTERM costs a failed check and a SIGKILL after the time
# given, never a hung suite; the wait gives up after its time; the log
# check finds a sanitizer report (and the caller's own pattern).  Each
# helper runs in a shell of its own, whose TAP lines are checked.

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d /tmp/lg-daemon-helpers.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT

# helper SCRIPT: SCRIPT run after tap.sh and daemon.sh, in its own sh.
helper() {
	sh -c ". '$LG_TOP/tests/lib/tap.sh'; . '$LG_TOP/tests/lib/daemon.sh'; $1" 2>&1
}

out=$(helper 'sh -c "trap \"exit 0\" TERM; while :; do sleep 0.1; done" &
sleep 0.3; dm_stop $! "stops"')
is "dm_stop: exit 0 on SIGTERM passes" "$out" "ok 1 - stops"

out=$(helper 'sh -c "trap \"exit 3\" TERM; while :; do sleep 0.1; done" &
sleep 0.3; dm_stop $! "stops"')
like "dm_stop: another exit status fails" "$out" '^not ok 1 - stops'
like "... and says which" "$out" 'exit status 3'

t0=$(date +%s)
out=$(helper 'sh -c "trap \"\" TERM; while :; do sleep 0.1; done" &
p=$!; sleep 0.3; dm_stop $p "stops" 2
kill -0 $p 2>/dev/null && echo "# still there"')
t=$(($(date +%s) - t0))
like "dm_stop: a process that ignores SIGTERM fails the check" "$out" \
    '^not ok 1 - stops'
like "... saying it still ran after the time given" "$out" \
    'still running 2 s after SIGTERM'
unlike "... and is killed" "$out" 'still there'
ok "... without waiting much longer than that ($t s)" test "$t" -lt 30

out=$(helper ': >"'"$T"'/flag"; (sleep 0.5; rm "'"$T"'/flag") &
dm_wait 20 test ! -e "'"$T"'/flag" && echo waited')
is "dm_wait: returns once the command succeeds" "$out" waited
t0=$(date +%s)
out=$(helper 'dm_wait 1 false || echo "gave up"')
t=$(($(date +%s) - t0))
is "dm_wait: gives up when its time is over" "$out" "gave up"
ok "... in about that time ($t s)" test "$t" -lt 10

printf 'started\n' >"$T/clean.log"
printf 'x\n==1==ERROR: AddressSanitizer: heap-use-after-free\n' >"$T/asan.log"
printf 'a.c:3:5: runtime error: signed integer overflow\n' >"$T/ubsan.log"
printf 'sandbox: forbidden syscall 41\n' >"$T/sandbox.log"
is "dm_clean: a clean log passes" \
    "$(helper "dm_clean log '$T/clean.log'")" "ok 1 - log"
like "dm_clean: an AddressSanitizer report fails" \
    "$(helper "dm_clean log '$T/asan.log'")" '^not ok 1 - log'
like "dm_clean: a UBSan report fails" \
    "$(helper "dm_clean log '$T/ubsan.log'")" '^not ok 1 - log'
is "dm_clean: other words pass" \
    "$(helper "dm_clean log '$T/sandbox.log'")" "ok 1 - log"
like "dm_clean: unless the caller names them" \
    "$(helper "dm_clean log '$T/sandbox.log' 'sandbox: forbidden'")" \
    '^not ok 1 - log'

done_testing
