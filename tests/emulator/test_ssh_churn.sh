#!/bin/sh
# One emulator process, many SSH sessions coming and going at once: a
# long-lived interactive session on ios1 runs a BGP lookup over and over
# while OpenSSH clients keep connecting to nxos1 (and to ios1 itself) and
# hanging up right after the key exchange (they refuse the host key).  No
# other session's disconnect may end the long-lived one, and every lookup
# must be answered in full.
#
# Environment: LG_BUILD (default build/san), LG_CHURN_SECS (how long the
# long-lived session runs, default 20), LG_CHURN_CLIENTS (churning client
# loops, default 6), LG_EMU_SSH_BASE and LG_EMU_TELNET_BASE (default:
# picked from the process id).

set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

for t in expect sshpass ssh ssh-keygen; do
	command -v $t >/dev/null 2>&1 || skip_all "$t not installed (make deps)"
done

export LG_BUILD=${LG_BUILD:-build/san}
[ -x "$LG_BUILD/lgemu" ] || skip_all "$LG_BUILD/lgemu not built"
SECS=${LG_CHURN_SECS:-20}
CLIENTS=${LG_CHURN_CLIENTS:-6}
WORK=$(mktemp -d /tmp/lgemu-churn.XXXXXX)
export LG_EMU_DIR=$WORK/run
# 60 ports below the ephemeral range, none of them listening yet.
pick_base() {
	b=$((21000 + ($$ % 150) * 60))
	while ss -ltnH 2>/dev/null | awk '{ print $4 }' | sed 's/.*://' |
	    awk -v b=$b '$1 >= b && $1 < b + 60 { f = 1 } END { exit !f }'; do
		b=$((b + 60))
		[ $b -lt 32000 ] || b=21000
	done
	echo $b
}
export LG_EMU_SSH_BASE=${LG_EMU_SSH_BASE:-$(pick_base)}
export LG_EMU_TELNET_BASE=${LG_EMU_TELNET_BASE:-$((LG_EMU_SSH_BASE + 30))}
EMU="sh tests/emulator/emu.sh"
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	$EMU stop >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if ! out=$($EMU start 2>&1); then
	fail "emu.sh start" "$out"
	done_testing
	exit 1
fi
pass "emu.sh start: every port listens"
. "$LG_EMU_DIR/emu.env"
export LG_EMU_USER LG_EMU_PASS LG_EMU_KNOWN_HOSTS

# One client that gets as far as the host key, refuses it and hangs up.
churn() {
	port=$1
	while [ ! -f "$WORK/stop" ]; do
		ssh -n -o StrictHostKeyChecking=yes \
		    -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null \
		    -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=QUIET \
		    -p "$port" lg@127.0.0.1 true >/dev/null 2>&1
	done
}

# The long-lived session: logs in once, then asks the same question until
# the time is up.  Prints "queries N answered N" and, when the session
# ends under it, "dropped after N".
cat >"$WORK/loop.exp" <<'EOF'
log_user 0
set secs [lindex $argv 0]
set port [lindex $argv 1]
set timeout 15
spawn sshpass -p $env(LG_EMU_PASS) ssh -tt -p $port \
    -o UserKnownHostsFile=$env(LG_EMU_KNOWN_HOSTS) -o StrictHostKeyChecking=yes \
    -o PubkeyAuthentication=no -o PreferredAuthentications=password \
    -o LogLevel=ERROR $env(LG_EMU_USER)@127.0.0.1
expect {
	-re {ios1[>#]} {}
	timeout { puts "login timed out"; exit 1 }
	eof { puts "login failed"; exit 1 }
}
send "terminal length 0\r"
expect -re {ios1[>#]}
set q 0
set a 0
set end [expr {[clock milliseconds] + $secs * 1000}]
while {[clock milliseconds] < $end} {
	incr q
	send "show bgp ipv4 unicast 1.0.4.0/24\r"
	expect {
		-re {64510 65010[^\r\n]*\r\n(.*\r\n)*ios1[>#]} { incr a }
		timeout { puts "queries $q answered $a"; puts "timeout on query $q"; exit 1 }
		eof { puts "queries $q answered $a"; puts "dropped after $a"; exit 1 }
	}
}
puts "queries $q answered $a"
send "exit\r"
expect eof
exit 0
EOF

i=0
while [ $i -lt "$CLIENTS" ]; do
	# Two churners in three on nxos1, the rest on ios1 itself.
	if [ $((i % 3)) -eq 2 ]; then
		churn "$LG_EMU_ios1_SSH" &
	else
		churn "$LG_EMU_nxos1_SSH" &
	fi
	PIDS="$PIDS $!"
	i=$((i + 1))
done

out=$(expect "$WORK/loop.exp" "$SECS" "$LG_EMU_ios1_SSH" 2>&1)
rc=$?
touch "$WORK/stop"
for p in $PIDS; do
	wait "$p" 2>/dev/null
done
PIDS=""
echo "# $out" | head -3
churned=$(grep -c 'disconnect' "$LG_EMU_AUDIT/nxos1.log" 2>/dev/null)
is "the long-lived ios1 session outlives $churned nxos1 disconnects" "$rc" 0
unlike "no query left unanswered or cut" "$out" 'dropped|timeout|failed'
like "the long-lived session ran queries" "$out" '^queries [1-9][0-9]* answered'
q=$(echo "$out" | sed -n 's/^queries \([0-9]*\) answered.*/\1/p')
a=$(echo "$out" | sed -n 's/^queries [0-9]* answered \([0-9]*\).*/\1/p')
is "every query answered" "${a:-none}" "${q:-0}"
ok "lgemu still running" kill -0 "$LG_EMU_PID"
# Ended by SIGTERM, it frees every session: the sanitized build would
# report a leak or a use after free here.
kill -TERM "$LG_EMU_PID"
n=0
while kill -0 "$LG_EMU_PID" 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
nok "lgemu exits on SIGTERM" kill -0 "$LG_EMU_PID"
if grep -q 'Sanitizer\|runtime error' "$LG_EMU_DIR/lgemu.log"; then
	fail "lgemu log free of sanitizer reports" \
	    "$(grep -A20 'Sanitizer\|runtime error' "$LG_EMU_DIR/lgemu.log")"
else
	pass "lgemu log free of sanitizer reports"
fi

done_testing
