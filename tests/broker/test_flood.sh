#!/bin/sh
# One client cannot take the broker for itself (issue 24.1).  Two fake
# telnet routers (fake_router.py): "slow" holds every answer back 2 s,
# "fast" answers at once.  flood.py sends 300,000 identical QUERY frames
# for "slow" on one connection while another connection times queries to
# "fast":
#   - every query id ends with exactly one RESULT_END (busy beyond the
#     per-connection and per-job caps), never a bare END;
#   - the probe to the other router keeps answering in about its normal
#     time (asserted with a wide margin: 20 times the normal median, at
#     least 1 s; tests/bench reports the real ratio);
#   - the broker's memory stays bounded (less than 96 MiB of growth);
#   - busy answers reach the audit log at most 20 a second, the rest
#     counted;
#   - a client that sends everything before it reads is slowed, not
#     closed;
#   - SIGTERM in the middle of a flood stops the broker at once.
# Then 1,030 idle connections on the public socket leave `lgctl status`
# working (the admin socket has its own limit), and a client that never
# says HELLO is closed after the HELLO timeout.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"

FLOOD="python3 $LG_TOP/tests/broker/flood.py"
N=${LG_FLOOD_FRAMES:-300000}
bk_init flood
PORT=$(bk_free_base 2) || skip_all "no free ports"
bk_fake_start --telnet "slow=$PORT:2000" \
    --telnet "fast=$((PORT + 1))" ||
    { fail "the fake routers start" "$(cat "$BK/fake.log")"; done_testing; exit 1; }
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  audit_log = "$BK/audit.log";
};
routers = (
  { name = "slow"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $PORT; credential = "c"; sessions = 1; },
  { name = "fast"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $((PORT + 1)); credential = "c"; sessions = 1; }
);
CONF

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$BK_PID/status" 2>/dev/null || echo 0; }
# median MS-LIST: the middle value of a comma-separated list.
median() { echo "$1" | tr , '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "routers up" bk_wait_up -t 30 slow fast

base=$($FLOOD probe "$BK/broker.sock" 20 fast 1.0.4.0/24 0.05)
base_med=$(median "${base#ms=}")
echo "# normal probe: median $base_med ms ($base)"
rss0=$(rss)

$FLOOD flood "$BK/broker.sock" "$N" slow 1.0.4.0/24 >"$BK/flood.out" 2>&1 &
FL=$!
sleep 0.5
during=$($FLOOD probe "$BK/broker.sock" 10 fast 1.0.4.0/24 0.05)
rss1=$(rss)
kill -0 $FL 2>/dev/null && flooding=1 || flooding=0
wait $FL
rss2=$(rss)
res=$(cat "$BK/flood.out")
echo "# flood: $res"
during_med=$(median "${during#ms=}")
echo "# probe during the flood: median $during_med ms ($during)"
echo "# broker RSS: $rss0 KiB before, $rss1 KiB during, $rss2 KiB after"
is "the flood was still running while the probe ran" "$flooding" 1
like "every query id ended with a RESULT_END" "$res" "ends=$N "
like "... queries past the caps were busy" "$res" 'busy=[1-9]'
like "... and no bare END" "$res" 'bare_end=0 closed=0'
limit=$(awk -v m="$base_med" 'BEGIN { l = 20 * m; print (l < 1000 ? 1000 : l) }')
ok "the probe to the other router answered in about its normal time ($during_med ms against $base_med ms, limit $limit ms)" \
    awk -v d="$during_med" -v l="$limit" -v a="$during" \
    'BEGIN { exit !(d > 0 && d <= l && a !~ /-1/) }'
peak=$rss1; [ "$rss2" -gt "$peak" ] && peak=$rss2
ok "the broker's memory stayed bounded (grew $(( (peak - rss0) / 1024 )) MiB, limit 96)" \
    test $((peak - rss0)) -lt $((96 * 1024))
# The audit trail of the flood: 20 busy lines a second at most, and the
# rest counted in one line a second.
audit=$(python3 - "$BK/audit.log" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
busy = [l for l in lines if l.get("status") == "busy"]
one = [l for l in busy if "unwritten" not in l]
print(len(one), sum(l.get("unwritten", 0) for l in busy))
EOF
)
busy=$(echo "$res" | sed -n 's/.*busy=\([0-9]*\).*/\1/p')
secs=$(echo "$res" | sed -n 's/.*seconds=\([0-9]*\).*/\1/p')
echo "# audit: busy lines written, counted: $audit (of $busy busy answers in $secs s)"
ok "busy answers are written at most 20 a second ($audit)" \
    test "${audit% *}" -le $((20 * (secs + 3)))
ok "... the others are counted, and the counts add up to at most the busy answers" \
    test "${audit#* }" -gt 0 -a $((${audit% *} + ${audit#* })) -le "$busy"
like "... and syslog says how many went unwritten" "$(bk_log)" \
    'query status=busy: [0-9]+ more in the last second, not written one by one'
ok "the flooded router still answers" sh -c "'$BK_BIN/lgctl' -s '$BK/admin.sock' -t 30 query slow bgp_route 1.0.4.0/24 | grep -q 'last line'"

# A client that sends all its frames before it reads a reply is held to
# its own pace (its requests wait while 4 MiB of replies do), not closed.
lazy=$($FLOOD flood "$BK/broker.sock" "$N" slow 1.0.4.0/24 5)
echo "# lazy reader: $lazy"
like "a client that reads its replies only after 5 s gets every one" \
    "$lazy" "ends=$N .*bare_end=0 closed=0"

# Idle clients on the public socket: the admin socket stays open.
$FLOOD idle "$BK/broker.sock" 1030 8 >"$BK/idle.out" 2>&1 &
ID=$!
i=0
until grep -q opened "$BK/idle.out" || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
bk_ctl status >"$BK/status" 2>&1
st=$?
wait $ID
echo "# idle: $(tr '\n' ' ' <"$BK/idle.out")"
is "lgctl status works with 1,030 idle clients on the public socket" "$st" 0
like "... and lists the routers" "$(cat "$BK/status")" 'fast +up'
like "the public socket refused the clients past its limit" "$(bk_log)" \
    'control socket: refused a client .*too many connections'

# A client that never says HELLO.
mute=$($FLOOD mute "$BK/broker.sock" 40)
like "a client that never says HELLO is closed" "$mute" 'closed_after=[0-9]'
like "... and the broker says why" "$(bk_log)" 'no HELLO within 10 s; closing'

# SIGTERM under a flood.
$FLOOD flood "$BK/broker.sock" "$N" slow 1.0.4.0/24 >/dev/null 2>&1 &
FL=$!
sleep 1
t0=$(date +%s)
kill -TERM "$BK_PID"
i=0
while kill -0 "$BK_PID" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
t1=$(date +%s)
if kill -0 "$BK_PID" 2>/dev/null; then
	fail "SIGTERM during a flood stops the broker" "still running after 30 s"
	kill -KILL "$BK_PID"
else
	pass "SIGTERM during a flood stops the broker ($((t1 - t0)) s)"
fi
wait "$BK_PID"
rc=$?
BK_PID=
is "... with status 0" "$rc" 0
kill $FL 2>/dev/null
wait $FL 2>/dev/null
unlike "no sanitizer report" "$(bk_log)" 'ERROR: (Address|Leak)Sanitizer|runtime error:'
done_testing
