#!/bin/sh
# lgbrokerd under sustained faults: a thousand queries to emulated routers
# that drop mid-output, drop between commands, flood past the output cap,
# refuse the password or hang, mixed with healthy ones.  Afterwards the
# broker holds no more descriptors than before, still answers, and exits
# cleanly with LeakSanitizer quiet.  Then the broker is stopped while lgctl
# waits on a hung query: lgctl must say so at once, and a new broker must
# serve again.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done

bk_init faults
PORTS=$(bk_free_base 100) || skip_all "no free ports"
bk_emu_up "$PORTS" 50

bk_emu_credentials \
    'wrong = { username = "'"$LG_EMU_USER"'"; password = "not-the-password"; };'
cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"

# router NAME EMU-ROUTER TRANSPORT [CREDENTIAL]
ROUTERS=
router() {
	eval "port=\$LG_EMU_${2}_$(echo "$3" | tr a-z A-Z)"
	ROUTERS="$ROUTERS${ROUTERS:+,}
  { name = \"$1\"; driver = \"cisco-ios\"; transport = \"$3\";
    host = \"127.0.0.1\"; port = $port; credential = \"${4:-emu}\"; }"
}
router good-ssh ios1 ssh
router good-tel ios1 telnet
router dropmid-ssh dropmid1 ssh
router dropmid-tel dropmid1 telnet
router drop-tel drop1 telnet
router huge-ssh huge1 ssh
router hang-ssh hang1 ssh
router badauth-tel ios1 telnet wrong

cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  connect_timeout = 5;
  queue = 64;
  output_cap = 65536;
  deadlines = { bgp_route = 2; };
  breaker_failures = 3;
  breaker_probe = 1;
};
routers = ($ROUTERS
);
CONF

LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault huge1 huge_on \
    "show bgp ipv4 unicast" >/dev/null
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "healthy routers get a warm session" bk_wait_up -t 40 good-ssh good-tel
fds_start=$(ls "/proc/$BK_PID/fd" | wc -l)

# --- a thousand faulted queries ----------------------------------------------
# Ten queries per lgctl run (each router twice but the healthy ones, plus
# the hung router once), a hundred runs.
LIST=dropmid-ssh,dropmid-tel,drop-tel,huge-ssh,badauth-tel
LIST=$LIST,$LIST
queries=0
answered=0
faulted=0
i=0
while [ $i -lt 100 ]; do
	list=$LIST
	[ $((i % 10)) = 0 ] && list=good-tel,dropmid-ssh,drop-tel,huge-ssh,badauth-tel,hang-ssh,dropmid-tel,good-ssh,drop-tel,huge-ssh
	out=$(bk_ctl -j query "$list" bgp_route "1.0.$((i % 250)).0/24" 2>&1)
	n=$(printf '%s\n' "$out" | grep -c '"router":')
	f=$(printf '%s\n' "$out" | grep -c '"status": "error"\|"truncated": true')
	queries=$((queries + 10))
	answered=$((answered + n))
	faulted=$((faulted + f))
	i=$((i + 1))
done
is "every one of the $queries queries was answered" "$answered" "$queries"
# drop1 answers between its drops, so not every query is faulted; without
# the faults almost none would be.
if [ "$faulted" -ge 700 ]; then
	pass "$faulted of them hit a fault (an error, or output truncated)"
else
	fail "most of them hit a fault (an error, or output truncated)" \
	    "got $faulted"
fi
out=$(bk_ctl -j query good-ssh,good-tel bgp_route 1.0.4.0/24 2>&1)
is "the healthy routers still answer" "$(printf '%s\n' "$out" |
    grep -c '"status": "ok"')" 2
like "with the real route" "$out" 'BGP routing table entry for 1\.0\.4\.0/24'
sleep 1
fds_end=$(ls "/proc/$BK_PID/fd" | wc -l)
if [ "$fds_end" -le $((fds_start + 8)) ]; then
	pass "no descriptor leaked ($fds_start open before, $fds_end after)"
else
	fail "no descriptor leaked" "$fds_start before, $fds_end after" \
	    "$(ls -l "/proc/$BK_PID/fd")"
fi
out=$(bk_ctl status 2>&1)
like "status still reports every router" "$out" 'badauth-tel'

# --- the broker goes away while lgctl waits ------------------------------------
bk_ctl query hang-ssh bgp_route 1.0.4.0/24 >"$BK/waiting.out" 2>&1 &
WAITER=$!
sleep 0.5
t0=$(date +%s)
bk_stop
wait "$WAITER"
rc=$?
t1=$(date +%s)
is "lgctl waiting on the broker exits 3 when it goes away" "$rc" 3
like "and says why" "$(cat "$BK/waiting.out")" \
    'closed the connection before the answer ended'
if [ $((t1 - t0)) -le 5 ]; then
	pass "at once ($((t1 - t0)) s)"
else
	fail "at once" "$((t1 - t0)) s"
fi
if bk_start; then pass "a new lgbrokerd starts"; else fail "a new lgbrokerd starts" "$(bk_log)"; fi
ok "and brings the healthy routers up again" bk_wait_up -t 40 good-ssh good-tel
like "and answers" "$(bk_ctl query good-tel bgp_route 1.0.4.0/24 2>&1)" \
    'BGP routing table entry for 1\.0\.4\.0/24'
bk_stop
done_testing
