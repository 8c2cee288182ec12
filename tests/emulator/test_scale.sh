#!/bin/sh
# Scale mode of the emulator: one lgemu serving 1,000 routers (SSH and
# telnet on distinct loopback ports), with 1,000 telnet sessions logged in
# and 100 SSH sessions open at once.  Reports the resident memory at each
# step and checks it stays modest.  Memory is measured on build/plain when
# it exists (the sanitizers' shadow memory says nothing about lgemu).
#
# Environment: LG_SCALE_BUILD (default build/plain, else LG_BUILD),
# LG_SCALE_ROUTERS (default 1000), LG_SCALE_SSH (default 100).

set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

for t in sshpass ssh ssh-keygen python3 ss; do
	command -v $t >/dev/null 2>&1 || skip_all "$t not installed (make deps)"
done
B=${LG_SCALE_BUILD:-build/plain}
[ -x "$B/lgemu" ] || B=${LG_BUILD:-build/san}
[ -x "$B/lgemu" ] || skip_all "lgemu not built"
LGEMU=$B/lgemu
N=${LG_SCALE_ROUTERS:-1000}
NSSH=${LG_SCALE_SSH:-100}
WORK=$(mktemp -d /tmp/lgemu-scale.XXXXXX)
PID=
HOLD=

cleanup() {
	[ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# 2 x N free ports below the ephemeral range.
base=10000
while ss -ltnH | awk '{ print $4 }' | sed 's/.*://' |
    awk -v b=$base -v n=$((2 * N)) '$1 >= b && $1 < b + n { f = 1 } END { exit !f }'; do
	base=$((base + 2 * N))
	[ $((base + 2 * N)) -lt 32768 ] || skip_all "no free port range"
done

ssh-keygen -q -t ed25519 -N '' -f "$WORK/key" || exit 1
"$LGEMU" -d --scale "$N" --platform ios --base-port $base --telnet \
    -k "$WORK/key" -F tests/emulator/fixtures -c "$WORK/ctl" \
    -p "$WORK/pid" >"$WORK/log" 2>&1 &
PID=$!
n=0
until "$LGEMU" -C "$WORK/ctl" stats >/dev/null 2>&1; do
	n=$((n + 1))
	if [ $n -gt 300 ] || ! kill -0 $PID 2>/dev/null; then
		fail "lgemu --scale $N starts" "$(cat "$WORK/log")"
		done_testing
		exit 1
	fi
	sleep 0.1
done
pass "lgemu --scale $N starts ($LGEMU, ports $base..$((base + 2 * N - 1)))"

listening=$(ss -ltnH | awk '{ print $4 }' | sed 's/.*://' |
    awk -v b=$base -v n=$((2 * N)) '$1 >= b && $1 < b + n' | wc -l)
is "every router listens on SSH and telnet" "$listening" $((2 * N))

rss() {
	ps -o rss= -p "$PID" | tr -d ' '
}
sessions() {
	"$LGEMU" -C "$WORK/ctl" stats | sed -n 's/.*sessions=\([0-9]*\).*/\1/p'
}
rss0=$(rss)
echo "# RSS with $N routers listening: $rss0 KiB"

out=$(sshpass -p lg ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o PubkeyAuthentication=no -o LogLevel=ERROR -p $((base + N - 1)) \
    lg@127.0.0.1 "show bgp ipv4 unicast 1.0.4.0/24" 2>&1)
like "the last router answers a BGP lookup" "$out" \
    "^BGP routing table entry for 1\.0\.4\.0/24"

python3 tests/emulator/hold_telnet.py 127.0.0.1 $((base + N)) "$N" lg lg 60 \
    >"$WORK/hold" 2>&1 &
HOLD=$!
n=0
until grep -q '^ready' "$WORK/hold" || [ $n -gt 600 ] ||
    ! kill -0 $HOLD 2>/dev/null; do
	sleep 0.1; n=$((n + 1))
done
is "$N telnet sessions logged in at once" "$(cat "$WORK/hold")" "ready $N"
rss1=$(rss)
per_tel=$(( (rss1 - rss0) * 1024 / N ))
echo "# RSS with $N telnet sessions: $rss1 KiB (+$per_tel bytes per session)"

# The clients hold their sessions until stdin ends; batches of 100 keep
# the handshakes from starving the machine.
hold=$((40 + NSSH / 25))
i=0
while [ $i -lt "$NSSH" ]; do
	sleep $hold | sshpass -p lg ssh -tt -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no \
	    -o LogLevel=ERROR -p $((base + i)) lg@127.0.0.1 >/dev/null 2>&1 &
	i=$((i + 1))
	[ $((i % 100)) -eq 0 ] && sleep 1
done
want=$((N + NSSH))
n=0
while [ "$(sessions)" -lt $want ] && [ $n -lt $((hold * 10)) ]; do
	sleep 0.1; n=$((n + 1))
done
is "$NSSH SSH sessions open beside them" "$(sessions)" $want
sleep 1
rss2=$(rss)
per_ssh=$(( (rss2 - rss1) * 1024 / NSSH ))
echo "# RSS with $N telnet + $NSSH SSH sessions: $rss2 KiB (+$per_ssh bytes per SSH session)"
echo "# per router (listening, no session): $((rss0 * 1024 / N)) bytes"

ok "memory at $N routers listening is modest (< 64 MiB)" [ "$rss0" -lt 65536 ]
ok "a telnet session costs under 64 KiB" [ "$per_tel" -lt 65536 ]
ok "an SSH session costs under 256 KiB" [ "$per_ssh" -lt 262144 ]

kill -TERM "$PID"
n=0
while kill -0 "$PID" 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
ok "SIGTERM with $want sessions open: exits" [ $n -lt 300 ]
unlike "no sanitizer report" "$(cat "$WORK/log")" "Sanitizer|runtime error"
PID=
done_testing
