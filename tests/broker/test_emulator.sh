#!/bin/sh
# lgbrokerd against the vendor CLI emulator (tests/emulator): every
# platform over SSH and telnet, prompt-like banners, ANSI noise, slow
# logins, the pager when setup cannot disable it, each fault with its
# error and the pool's recovery, coalescing and the queue, host key
# refusals, reload and a clean shutdown.  The emulator's audit log proves
# what the broker actually sent.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ -f "$LG_TOP/tests/emulator/emu.sh" ] || skip_all "no emulator"

bk_init emu
PORTS=$(bk_free_base 100) || skip_all "no free ports"
bk_emu_up "$PORTS" 50
pass "emulator starts"

emu_ctl() {
	LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl "$@"
}

# A driver directory with one more table: cisco-ios without its setup
# commands, so the emulator's pager stays on and must be answered.
mkdir -p "$BK/drivers"
cp "$LG_TOP"/drivers/*.conf "$BK/drivers/"
sed -e 's/^name = "cisco-ios";/name = "cisco-ios-pager";/' \
    -e '/^setup = /d' "$LG_TOP/drivers/cisco-ios.conf" \
    >"$BK/drivers/cisco-ios-pager.conf"
# And one that counts "not in table" as an error pattern.
sed -e 's/^name = "cisco-ios";/name = "cisco-ios-strict";/' \
    -e 's/^errors = \[/errors = [ "(?m)^% Network not in table",/' \
    "$LG_TOP/drivers/cisco-ios.conf" >"$BK/drivers/cisco-ios-strict.conf"

# Known hosts: the emulator's, less nxos1's SSH key (unknown) and with a
# foreign key for eos1 (changed).
ssh-keygen -q -t ed25519 -N '' -f "$BK/other_key" >/dev/null
eval "nx=\$LG_EMU_nxos1_SSH eos=\$LG_EMU_eos1_SSH"
grep -v "^\[127.0.0.1\]:$nx \|^\[127.0.0.1\]:$eos " "$LG_EMU_KNOWN_HOSTS" \
    >"$BK/known_hosts"
echo "[127.0.0.1]:$eos $(cut -d' ' -f1-2 "$BK/other_key.pub")" \
    >>"$BK/known_hosts"

bk_emu_credentials \
    'wrong = { username = "'"$LG_EMU_USER"'"; password = "not-the-password"; };'

# router NAME EMU-ROUTER DRIVER TRANSPORT [CREDENTIAL]
ROUTERS=
router() {
	eval "port=\$LG_EMU_${2}_$(echo "$4" | tr a-z A-Z)"
	ROUTERS="$ROUTERS${ROUTERS:+,}
  { name = \"$1\"; driver = \"$3\"; transport = \"$4\"; host = \"127.0.0.1\";
    port = $port; credential = \"${5:-emu}\"; sessions = 1; }"
}
router ios-ssh ios1 cisco-ios ssh
router ios-tel ios1 cisco-ios telnet
router xr-ssh xr1 cisco-iosxr ssh
router xr-tel xr1 cisco-iosxr telnet
router nxos-tel nxos1 cisco-nxos telnet
router junos-ssh junos1 juniper-junos ssh
router junos-tel junos1 juniper-junos telnet
router eos-tel eos1 arista-eos telnet
router banner-tel banner1 cisco-ios telnet
router jbanner-ssh jbanner1 juniper-junos ssh
router ansi-ssh ansi1 cisco-ios ssh
router slowlogin-tel slowlogin1 cisco-ios telnet
router slow-ssh slow1 cisco-ios ssh
router pager-ssh ios1 cisco-ios-pager ssh
router dropmid-ssh dropmid1 cisco-ios ssh
router hang-ssh hang1 cisco-ios ssh
router drop-tel drop1 cisco-ios telnet
router strict-ssh ios1 cisco-ios-strict ssh
router huge-ssh huge1 cisco-ios ssh
router nxos-ssh nxos1 cisco-nxos ssh
router eos-ssh eos1 arista-eos ssh
router badauth-tel ios1 cisco-ios telnet wrong

write_conf() {
	cat >"$BK/lorgnette.conf" <<CONF
broker: {
  socket = "$BK/broker.sock";
  admin_socket = "$BK/admin.sock";
  drivers = "$BK/drivers";
  credentials = "credentials.conf";
  known_hosts = "known_hosts";
  connect_timeout = 5;
  queue = 2;
  output_cap = 1048576;
  deadlines = { bgp_route = $(bk_secs 4); };
  breaker_failures = 2;
  breaker_probe = 2;
  audit_log = "$BK/audit.json";
};
routers = ($1
);
CONF
}
write_conf "$ROUTERS"

out=$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)
is "lgbrokerd -n accepts the generated configuration" "$out" \
    "configuration OK"
chmod 644 "$BK/credentials.conf"
out=$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)
rc=$?
is "lgbrokerd -n refuses a credentials file others can read" "$rc" 1
like "and names the file" "$out" 'credentials.conf'
chmod 600 "$BK/credentials.conf"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
GOOD="ios-ssh ios-tel xr-ssh xr-tel nxos-tel junos-ssh junos-tel eos-tel
    banner-tel jbanner-ssh ansi-ssh slowlogin-tel slow-ssh pager-ssh"
# shellcheck disable=SC2086
ok "every reachable router gets a warm session" bk_wait_up -t 40 $GOOD

fds_start=$(ls "/proc/$BK_PID/fd" | wc -l)

# --- every platform and transport -------------------------------------
ref_ios=$(bk_ctl query ios-ssh bgp_route 1.0.4.0/24 2>&1)
like "IOS over SSH answers bgp_route" "$ref_ios" 'BGP routing table entry for 1\.0\.4\.0/24'
for r in ios-tel banner-tel ansi-ssh slowlogin-tel slow-ssh pager-ssh; do
	got=$(bk_ctl query "$r" bgp_route 1.0.4.0/24 2>&1)
	is "$r: same text as a clean IOS session" "$got" "$ref_ios"
done
for r in xr-ssh xr-tel nxos-tel junos-ssh junos-tel eos-tel jbanner-ssh; do
	got=$(bk_ctl query "$r" bgp_route 1.0.4.0/24 2>&1)
	like "$r answers bgp_route" "$got" '1\.0\.4\.0(/24)?'
	unlike "$r: no prompt, echo or pager left" "$got" \
	    'show (bgp|route|ip)|^[-A-Za-z0-9_.:/@]+[#>] *$|--More--|---\(more'
done
all=$(bk_ctl query ios-ssh,xr-ssh,junos-tel,eos-tel,pager-ssh bgp_summary 2>&1)
if printf '%s' "$all" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
	fail "no control byte but newline and tab reaches the client"
else
	pass "no control byte but newline and tab reaches the client"
fi
like "bgp_summary for both families runs two commands" \
    "$(grep -c 'show bgp ipv[46] unicast summary' "$LG_EMU_AUDIT/ios1.log")" '^[1-9]'

TAB=$(printf '\t')
pager=$(grep -c "${TAB}line${TAB}terminal length 0" "$LG_EMU_AUDIT/ios1.log")
like "the IOS emulator saw the setup command" "$pager" '^[1-9]'

# --- streaming: traceroute hop by hop ----------------------------------
bk_ctl query ios-ssh traceroute 8.8.8.8 >"$BK/trace.out" 2>&1 &
tpid=$!
first= i=0
while kill -0 "$tpid" 2>/dev/null && [ $i -lt $((600 * BK_SLOW)) ]; do
	if [ -z "$first" ] && grep -q '^ *1 ' "$BK/trace.out"; then
		first=$i
	fi
	sleep 0.05
	i=$((i + 1))
done
wait "$tpid"
like "traceroute completes" "$(cat "$BK/trace.out")" '^ *[2-9] '
if [ -n "$first" ] && [ "$first" -lt "$((i - 2))" ]; then
	pass "traceroute streams: hop 1 at $((first * 50)) ms, end at $((i * 50)) ms"
else
	fail "traceroute streams hop by hop" "first=$first end=$i"
fi

# --- a driver error pattern --------------------------------------------
bk_ctl query strict-ssh bgp_route 1.2.3.0/24 >"$BK/strict.out" 2>"$BK/strict.err"
like "an error pattern ends the result with command_failed" \
    "$(cat "$BK/strict.err")" 'command_failed'
like "and the router's text is still relayed" "$(cat "$BK/strict.out")" \
    '% Network not in table'
out=$(bk_ctl query strict-ssh bgp_route 1.0.4.0/24 2>&1)
is "the session is reused after a failed command" "$out" "$ref_ios"

# --- errors before running --------------------------------------------
out=$(bk_ctl query nosuch bgp_route 1.0.4.0/24 2>&1)
like "unknown router" "$out" 'unknown_router'
out=$(bk_ctl query ios-ssh bgp_route 10.1.2.0/24 2>&1)
like "forbidden target is denied by the broker's own check" "$out" 'denied'
out=$(bk_ctl query ios-ssh ping 'a;b' 2>&1)
like "hostile target is refused" "$out" 'bad_query'
out=$(bk_ctl query ios-ssh ping localhost 2>&1)
like "a hostname resolving to a forbidden address is refused" "$out" 'denied'

# --- faults -------------------------------------------------------------
out=$(bk_ctl query hang-ssh bgp_route 1.0.4.0/24 2>&1)
like "hanging command ends in timeout" "$out" 'timeout'
ok "hang: the pool reconnects" bk_wait_up -t 20 hang-ssh
out=$(bk_ctl query hang-ssh bgp_route 1.0.0.0/24 2>&1)
unlike "hang: the next query works" "$out" 'timeout|unreachable'

out=$(bk_ctl query dropmid-ssh bgp_route 1.0.4.0/24 2>&1)
like "connection dropped mid-output: unreachable" "$out" 'router_unreachable'
ok "dropmid: the pool reconnects" bk_wait_up -t 20 dropmid-ssh

# drop1 closes every session at its first command after setup.
for i in 1 2; do
	out=$(bk_ctl query drop-tel bgp_route 1.0.4.0/24 2>&1)
	like "dropped at the command ($i): unreachable" "$out" 'router_unreachable'
	ok "drop: a fresh session is opened ($i)" bk_wait_up -t 20 drop-tel
done
unlike "sessions lost after login do not open the breaker" "$(bk_ctl status)" 'drop-tel +down'

emu_ctl fault huge1 huge_on "show bgp ipv4 unicast 1.0.4" >/dev/null
bk_ctl query huge-ssh bgp_route 1.0.4.0/24 >"$BK/huge.out" 2>"$BK/huge.err"
like "a flood is truncated at output_cap" "$(cat "$BK/huge.err")" 'truncated'
size=$(wc -c <"$BK/huge.out")
if [ "$size" -le 1048576 ] && [ "$size" -gt 900000 ]; then
	pass "truncated output is at most the cap ($size bytes)"
else
	fail "truncated output is at most the cap" "size $size"
fi
emu_ctl clear huge1 >/dev/null
ok "huge: the pool reconnects" bk_wait_up -t 20 huge-ssh

emu_ctl kill ios1 >/dev/null
sleep 0.5
ok "sessions killed while idle: the pool reconnects" bk_wait_up -t 20 ios-ssh ios-tel pager-ssh
out=$(bk_ctl query ios-tel bgp_route 1.0.4.0/24 2>&1)
is "and answers as before" "$out" "$ref_ios"

# --- refusals: host keys and credentials --------------------------------
sleep 3
log=$(bk_log)
like "changed host key is refused with a clear log line" "$log" \
    'router eos-ssh: host key mismatch'
like "unknown host key is refused and says how to pin it" "$log" \
    'router nxos-ssh: unknown host key; pin it with lgctl hostkey nxos-ssh'
like "wrong password is an authentication failure" "$log" \
    'router badauth-tel: login failed'
out=$(bk_ctl query eos-ssh bgp_route 1.0.4.0/24 2>&1)
like "a router with a refused key fails fast" "$out" 'router_down|hostkey'
like "the breaker opens after breaker_failures" "$(bk_ctl status)" \
    'eos-ssh +down'
out=$(bk_ctl hostkey nxos-ssh 2>&1)
like "hostkey shows the key presented" "$out" 'SHA256:'
like "hostkey gives a known_hosts line" "$out" "\[127.0.0.1\]:$nx ssh-"

# --- coalescing and the queue ------------------------------------------
emu_ctl fault slow1 response_delay_ms 1500 >/dev/null
pids=
before=$(grep -c "line${TAB}show bgp ipv4 unicast 1.0.8.0/24" "$LG_EMU_AUDIT/slow1.log")
pids=
for i in 1 2 3 4; do
	bk_ctl query slow-ssh bgp_route 1.0.8.0/24 >"$BK/co.$i" 2>&1 &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
after=$(grep -c "line${TAB}show bgp ipv4 unicast 1.0.8.0/24" "$LG_EMU_AUDIT/slow1.log")
is "four identical queries ran one router command" "$((after - before))" 1
is "every waiter got the whole answer" "$(cat "$BK/co.2")" "$(cat "$BK/co.1")"
is "every waiter got the whole answer (4)" "$(cat "$BK/co.4")" "$(cat "$BK/co.1")"
pids=
for t in 1.0.9.0/24 1.0.10.0/24 1.0.11.0/24 1.0.12.0/24; do
	bk_ctl query slow-ssh bgp_route "$t" >"$BK/q.${t%/24}" 2>&1 &
	pids="$pids $!"
	sleep 0.1
done
# shellcheck disable=SC2086
wait $pids
like "a full queue answers busy" "$(cat "$BK"/q.*)" 'busy'
emu_ctl clear slow1 >/dev/null

# --- reload ---------------------------------------------------------------
write_conf "$(printf '%s\n' "$ROUTERS" | sed -e 's/credential = "wrong"/credential = "emu"/' -e 's/^  { name = "badauth-tel";.*/  { name = "ios-extra"; driver = "cisco-ios"; transport = "telnet"; host = "127.0.0.1";/')"
out=$(bk_ctl reload 2>&1)
like "reload reports what changed" "$out" 'reloaded: 22 routers \(1 added, 1 removed, 0 changed\)'
ok "the added router comes up" bk_wait_up -t 20 ios-extra
unlike "the removed router is gone" "$(bk_ctl routers)" 'badauth-tel'
out=$(bk_ctl query ios-ssh bgp_route 1.0.4.0/24 2>&1)
is "unchanged routers keep answering" "$out" "$ref_ios"
echo 'routers = ( { name = "x"; } );' >"$BK/lorgnette.conf"
out=$(bk_ctl reload 2>&1)
like "a broken config is refused with file:line" "$out" 'lorgnette.conf:[0-9]+'
out=$(bk_ctl query ios-ssh bgp_route 1.0.4.0/24 2>&1)
is "the old config stays in force" "$out" "$ref_ios"

write_conf "$ROUTERS"
kill -HUP "$BK_PID"
bk_wait_log 2 'reloaded: 22 routers (1 added, 1 removed, 0 changed)'
is "SIGHUP reloads too" "$(grep -c 'reloaded: 22 routers (1 added, 1 removed, 0 changed)' "$BK/broker.log")" 2

like "audit log has one JSON line per query" \
    "$(tail -n 1 "$BK/audit.json")" '"router":"ios-ssh","type":"bgp_route"'

# Dozens of sessions were closed by now (faults, refused keys probed
# every 2 s, recycling, reload): none may have kept its descriptor.
bk_wait_up -t 20 ios-ssh ios-tel pager-ssh hang-ssh huge-ssh dropmid-ssh
fds_end=$(ls "/proc/$BK_PID/fd" | wc -l)
if [ "$fds_end" -le $((fds_start + 4)) ]; then
	pass "no descriptor leaks ($fds_start open at start, $fds_end now)"
else
	fail "no descriptor leaks" "$fds_start at start, $fds_end now" \
	    "$(ls -l "/proc/$BK_PID/fd" | tail -20)"
fi

bk_stop
done_testing
