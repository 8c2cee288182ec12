#!/bin/sh
# lgbrokerd against emulated routers that do not echo, and routers whose
# output holds a line that looks like their prompt.
#
# Echo: every platform of the emulator over telnet (and IOS over SSH)
# answers once with echo, then, with the echo_off fault (no telnet ECHO
# option, neither keys nor line ends echoed: after an empty line the
# prompts arrive back to back), a new broker must log in, set up and give
# the same answers; prompt-like banner lines (prompt_in_banner) are not
# taken for the prompt.
#
# Fake prompts: prompt_in_output prints the prompt after an answer's first
# line and stops before the line ends.  The answer must come whole, the
# prompt-like line in it, and the session must stay usable; a pause longer
# than the broker waits for its confirming newline ends the answer as
# truncated and recycles the session.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done

bk_init noecho
PORTS=$(bk_free_base 100) || skip_all "no free ports"
bk_emu_up "$PORTS" 50
pass "emulator starts"

emu_ctl() {
	LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl "$@" >/dev/null
}

bk_emu_credentials

# router NAME EMU-ROUTER DRIVER TRANSPORT
ROUTERS=
router() {
	eval "port=\$LG_EMU_${2}_$(echo "$4" | tr a-z A-Z)"
	ROUTERS="$ROUTERS${ROUTERS:+,}
  { name = \"$1\"; driver = \"$3\"; transport = \"$4\"; host = \"127.0.0.1\";
    port = $port; credential = \"emu\"; sessions = 1; }"
}
router ios-tel ios1 cisco-ios telnet
router ios-ssh ios1 cisco-ios ssh
router xr-tel xr1 cisco-iosxr telnet
router nxos-tel nxos1 cisco-nxos telnet
router junos-tel junos1 juniper-junos telnet
router eos-tel eos1 arista-eos telnet
router banner-tel banner1 cisco-ios telnet
router jbanner-tel jbanner1 juniper-junos telnet
ECHO_ROUTERS="ios-tel ios-ssh xr-tel nxos-tel junos-tel eos-tel banner-tel jbanner-tel"
router fake-tel delay1 cisco-ios telnet
router fake-ssh delay1 cisco-ios ssh
router fakenoecho-tel huge1 cisco-ios telnet
router fakelong-tel slowlogin1 cisco-ios telnet
FAKE_ROUTERS="fake-tel fake-ssh fakenoecho-tel fakelong-tel"

cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
  connect_timeout = 10;
  deadlines = { bgp_route = 30; };
};
routers = ($ROUTERS
);
CONF

# --- with echo: the reference answers ------------------------------------
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
# shellcheck disable=SC2086
ok "every router is up with echo" bk_wait_up -t 60 $ECHO_ROUTERS
for r in $ECHO_ROUTERS; do
	bk_ctl query "$r" bgp_route 1.0.4.0/24 >"$BK/ref.$r" 2>&1
done
like "IOS answers with echo" "$(cat "$BK/ref.ios-tel")" \
    'BGP routing table entry for 1\.0\.4\.0/24'
bk_stop

# --- without echo --------------------------------------------------------
for e in ios1 xr1 nxos1 junos1 eos1 banner1 jbanner1 huge1; do
	emu_ctl fault "$e" echo_off true
done
out=$(timeout 5 python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(0.5)
d = s.recv(65536)
print("will-sga" if b"\xff\xfb\x03" in d else "no-sga",
    "will-echo" if b"\xff\xfb\x01" in d else "no-echo")' "$LG_EMU_ios1_TELNET")
is "echo_off: the emulator offers SGA but not ECHO" "$out" "will-sga no-echo"

: >"$BK/broker.log"
if bk_start; then pass "lgbrokerd starts again"; else fail "lgbrokerd starts again" "$(bk_log)"; fi
# shellcheck disable=SC2086
ok "every router comes up without echo" bk_wait_up -t 60 $ECHO_ROUTERS
for r in $ECHO_ROUTERS; do
	got=$(bk_ctl query "$r" bgp_route 1.0.4.0/24 2>&1)
	is "$r without echo: the same answer as with echo" "$got" \
	    "$(cat "$BK/ref.$r")"
done
for r in ios-tel junos-tel; do
	got=$(bk_ctl query "$r" bgp_summary 2>&1)
	like "$r without echo: a second command on the session" "$got" \
	    '[Nn]eighbor|Peer'
done
# banner1's banner holds "banner1#", its prompt after login is "banner1>".
like "the prompt-like banner line was not taken for the prompt" \
    "$(bk_log)" 'router banner-tel: prompt "banner1>"'

# --- prompt-like lines inside the output -----------------------------------
emu_ctl fault delay1 prompt_in_output 400
emu_ctl fault huge1 prompt_in_output 400
emu_ctl fault slowlogin1 prompt_in_output 4500
# shellcheck disable=SC2086
ok "the fake-prompt routers are up" bk_wait_up -t 60 $FAKE_ROUTERS
ref=$(cat "$BK/ref.ios-tel")
for r in fake-tel fake-ssh fakenoecho-tel; do
	case $r in fakenoecho-tel) host=huge1 ;; *) host=delay1 ;; esac
	bk_ctl query "$r" bgp_route 1.0.4.0/24 >"$BK/fake.$r" 2>"$BK/fake.$r.err"
	got=$(cat "$BK/fake.$r")
	like "$r: the prompt-like line is in the answer" "$got" "^$host#\$"
	is "$r: the rest of the answer follows it" \
	    "$(grep -v "^$host#\$" "$BK/fake.$r")" "$ref"
	is "$r: reported complete, not truncated" "$(cat "$BK/fake.$r.err")" ""
	got=$(bk_ctl query "$r" bgp_route 1.0.4.0/24 2>&1)
	is "$r: the session answers the next query whole" \
	    "$(printf '%s\n' "$got" | grep -v "^$host#\$")" "$ref"
done
TAB=$(printf '\t')
like "the broker confirmed each end with an empty line" \
    "$(grep -c "${TAB}line${TAB}\$" "$LG_EMU_AUDIT/delay1.log")" '^[1-9]'

bk_ctl query fakelong-tel bgp_route 1.0.4.0/24 >"$BK/long.out" 2>"$BK/long.err"
like "a prompt-like line followed by a long pause: truncated, not complete" \
    "$(cat "$BK/long.err")" 'truncated'
like "and the output up to it is relayed" "$(cat "$BK/long.out")" \
    'BGP routing table entry'
ok "the session is recycled and the router comes back" \
    bk_wait_up -t 60 fakelong-tel
like "the broker says why" "$(bk_log)" \
    'router fakelong-tel: no prompt in answer to a newline'

bk_stop
done_testing
