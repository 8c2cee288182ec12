#!/bin/sh
# Integration tests of the vendor CLI emulator (lgemu), driven only with
# standard clients: OpenSSH (ssh -tt through sshpass, and ssh exec), the
# telnet client, both scripted by expect (drive.exp), and lgemu's control
# socket.  For each platform and each transport: login (and a rejected
# login), banner, prompt, enable, the pager with paging on, its paging
# command, a BGP lookup in the platform's format, "not in table", the error
# for a bad command, and the audit log holding exactly the lines sent.
# Then every fault, switched per router in the fleet file or at run time.
#
# Environment: LG_BUILD (default build/san), LG_EMU_SSH_BASE and
# LG_EMU_TELNET_BASE (default: picked from the process id).

set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

for t in expect sshpass ssh telnet ssh-keygen; do
	command -v $t >/dev/null 2>&1 || skip_all "$t not installed (make deps)"
done

export LG_BUILD=${LG_BUILD:-build/san}
[ -x "$LG_BUILD/lgemu" ] || skip_all "$LG_BUILD/lgemu not built"
WORK=$(mktemp -d /tmp/lgemu-test.XXXXXX)
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
DRIVE=tests/emulator/drive.exp

cleanup() {
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

SSH_OPTS="-o UserKnownHostsFile=$LG_EMU_KNOWN_HOSTS -o StrictHostKeyChecking=yes
 -o PubkeyAuthentication=no -o PreferredAuthentications=password
 -o ConnectTimeout=10 -o LogLevel=ERROR"

# What each platform looks like; sets P_* for router $1 of platform $2.
plat_info() {
	r=$1
	P_ENABLE=0; P_BGP_FMT2=""; P_NOPAGE_REPLY=""
	case $2 in
	ios)
		P_PROMPT="$r>"; P_PRIV="$r#"; P_ENABLE=1
		P_LOGIN="Username: "; P_FAILED="% Login invalid"
		P_BGP="show bgp ipv4 unicast 1.0.4.0/24"
		P_BGP_FMT="^BGP routing table entry for 1\.0\.4\.0/24, version [0-9]+"
		P_BGP_FMT2="^  64510 65010"
		P_MISSING="show bgp ipv4 unicast 9.9.9.0/24"
		P_MISSING_FMT="^% Network not in table"
		P_TABLE="show ip bgp"; P_PAGER=" --More-- "
		P_NOPAGE="terminal length 0"
		P_BAD="show bgp ipv4 unicast bogus"
		P_BAD_FMT="^% Invalid input detected at '\^' marker\."
		P_BANNER="IOS-XE edge router" ;;
	iosxr)
		P_PROMPT="RP/0/RSP0/CPU0:$r#"; P_PRIV=$P_PROMPT
		P_LOGIN="Username: "; P_FAILED="% Authentication failed"
		P_BGP="show bgp ipv4 unicast 1.0.4.0/24"
		P_BGP_FMT="^BGP routing table entry for 1\.0\.4\.0/24$"
		P_BGP_FMT2="^  Path #1: Received by speaker 0"
		P_MISSING="show bgp ipv4 unicast 9.9.9.0/24"
		P_MISSING_FMT="^% Network not in table"
		P_TABLE="show bgp ipv4 unicast"; P_PAGER=" --More-- "
		P_NOPAGE="terminal length 0"
		P_BAD="show bgp ipv4 unicast bogus"
		P_BAD_FMT="^% Invalid input detected at '\^' marker\."
		P_BANNER="IOS XR peering router" ;;
	nxos)
		P_PROMPT="$r#"; P_PRIV=$P_PROMPT
		P_LOGIN="$r login: "; P_FAILED="Login incorrect"
		P_BGP="show bgp ipv4 unicast 1.0.4.0/24"
		P_BGP_FMT="^BGP routing table information for VRF default, address family IPv4 Unicast"
		P_BGP_FMT2="^  AS-Path: 64510 65010 , path sourced external to AS"
		P_MISSING="show bgp ipv4 unicast 9.9.9.0/24"
		P_MISSING_FMT="^% Network not in table"
		P_TABLE="show ip bgp"; P_PAGER="--More--"
		P_NOPAGE="terminal length 0"
		P_BAD="show bgp ipv4 unicast bogus"
		P_BAD_FMT="^% Invalid command at '\^' marker\."
		P_BANNER="Cisco Nexus Operating System" ;;
	junos)
		P_PROMPT="lg@$r> "; P_PRIV=$P_PROMPT
		P_LOGIN="login: "; P_FAILED="Login incorrect"
		P_BGP="show route protocol bgp table inet.0 1.0.4.0/24 detail"
		P_BGP_FMT="^inet\.0: [0-9]+ destinations, [0-9]+ routes"
		P_BGP_FMT2="^1\.0\.4\.0/24 \(2 entries, 1 announced\)"
		P_MISSING="show route protocol bgp table inet.0 9.9.9.0/24 detail"
		P_MISSING_FMT=""
		P_TABLE="show route protocol bgp"; P_PAGER="---(more)---"
		P_NOPAGE="set cli screen-length 0"
		P_NOPAGE_REPLY="^Screen length set to 0"
		P_BAD="show bogus"
		P_BAD_FMT="^syntax error, expecting <command>\."
		P_BANNER="--- JUNOS " ;;
	eos)
		P_PROMPT="$r>"; P_PRIV="$r#"; P_ENABLE=1
		P_LOGIN="Username: "; P_FAILED="% Authentication failed"
		P_BGP="show ip bgp 1.0.4.0/24"
		P_BGP_FMT="^BGP routing table information for VRF default"
		P_BGP_FMT2="^ Paths: 2 available"
		P_MISSING="show ip bgp 9.9.9.0/24"
		P_MISSING_FMT="^% Network not in table"
		P_TABLE="show ip bgp"; P_PAGER=" --More-- "
		P_NOPAGE="terminal length 0"
		P_NOPAGE_REPLY="^Pagination disabled\."
		P_BAD="show bogus"
		P_BAD_FMT="^% Invalid input \(at token 1: 'bogus'\)"
		P_BANNER="EOS route server edge" ;;
	esac
}

# A regex matching string $1 literally (for expect's -re).
re_quote() {
	printf '%s' "$1" | sed 's/[][\\.*^$(){}?+|/]/\\&/g'
}

# The transcript with CR removed and the pager's erase sequences dropped.
clean() {
	tr -d '\r' <"$1" | sed 's/\x08//g'
}

var() {
	eval "echo \${LG_EMU_$1_$2}"
}

# session ROUTER TRANSPORT: writes the steps, runs the client, checks.
session() {
	r=$1; tr=$2
	plat=$(var "$r" PLATFORM)
	plat_info "$r" "$plat"
	st=$WORK/$r.$tr.steps; log=$WORK/$r.$tr.log
	prompt=$(re_quote "$P_PROMPT"); priv=$(re_quote "$P_PRIV")
	pager=$(re_quote "$P_PAGER")
	: >"$st"
	sent=""
	if [ "$tr" = telnet ]; then
		login=$(re_quote "$P_LOGIN")
		printf 'expect %s$\nsend %s\\r\nexpect Password: ?$\n' \
		    "$login" "$LG_EMU_USER" >>"$st"
		printf 'send not-the-password\\r\nexpect %s\n' \
		    "$(re_quote "$P_FAILED")" >>"$st"
		printf 'expect %s$\nsend %s\\r\nexpect Password: ?$\n' \
		    "$login" "$LG_EMU_USER" >>"$st"
		printf 'send %s\\r\n' "$LG_EMU_PASS" >>"$st"
	fi
	printf 'expect %s$\n' "$prompt" >>"$st"
	if [ $P_ENABLE = 1 ]; then
		printf 'send enable\\r\nexpect Password: ?$\nsend %s\\r\nexpect %s$\n' \
		    "$LG_EMU_ENABLE" "$priv" >>"$st"
		sent="enable"
	fi
	for c in "$P_TABLE" PAGER "$P_NOPAGE" "$P_TABLE" "$P_BGP" \
	    "$P_MISSING" "$P_BAD"; do
		if [ "$c" = PAGER ]; then
			# Paging is on: two pages, then quit the pager.
			printf 'send  \nexpect %s$\nsend q\nexpect %s$\n' \
			    "$pager" "$priv" >>"$st"
			continue
		fi
		if [ "$c" = "$P_TABLE" ] && ! echo "$sent" | grep -q "$P_NOPAGE"; then
			printf 'send %s\\r\nexpect %s$\n' "$c" "$pager" >>"$st"
		else
			printf 'send %s\\r\nexpect \\n%s$\n' "$c" "$priv" >>"$st"
		fi
		sent="$sent
$c"
	done
	printf 'send exit\\r\neof\n' >>"$st"
	sent="$sent
exit"
	port=$(var "$r" "$(echo $tr | tr a-z A-Z)")
	if [ "$tr" = ssh ]; then
		# shellcheck disable=SC2086
		out=$(expect $DRIVE "$st" "$log" sshpass -p "$LG_EMU_PASS" ssh -tt \
		    $SSH_OPTS -p "$port" "$LG_EMU_USER@127.0.0.1" 2>&1)
	else
		out=$(expect $DRIVE "$st" "$log" telnet 127.0.0.1 "$port" 2>&1)
	fi
	rc=$?
	is "$r/$tr: session runs to the end ($plat)" "$rc" 0
	[ $rc = 0 ] || { fail "$r/$tr: transcript" "$out" "$(clean "$log" | tail -15)"; return; }
	t=$(clean "$log")
	like "$r/$tr: banner before the first prompt" "$t" "$P_BANNER"
	if [ "$tr" = telnet ]; then
		like "$r/$tr: wrong password rejected with the platform's message" \
		    "$t" "^$(re_quote "$P_FAILED")"
	fi
	like "$r/$tr: prompt form $P_PROMPT" "$t" "$(re_quote "$P_PROMPT")"
	[ $P_ENABLE = 1 ] && like "$r/$tr: enable gives $P_PRIV" "$t" \
	    "^$(re_quote "$P_PRIV")$(re_quote "$P_TABLE")"
	n=$(grep -oF -- "$P_PAGER" "$log" | wc -l)
	is "$r/$tr: pager '$P_PAGER' shown twice while paging is on" "$n" 2
	[ -n "$P_NOPAGE_REPLY" ] && like "$r/$tr: $P_NOPAGE confirmed" "$t" "$P_NOPAGE_REPLY"
	like "$r/$tr: BGP lookup in the platform's format" "$t" "$P_BGP_FMT"
	like "$r/$tr: BGP lookup shows the paths" "$t" "$P_BGP_FMT2"
	like "$r/$tr: command echoed after the prompt" "$t" \
	    "$(re_quote "$P_PRIV")$(re_quote "$P_BGP")$"
	after=$(echo "$t" | sed -n "/$(re_quote "$P_PRIV")$(re_quote "$P_MISSING")\$/,/$(re_quote "$P_PRIV")$(re_quote "$P_BAD")\$/p" | sed '1d;$d')
	if [ -n "$P_MISSING_FMT" ]; then
		like "$r/$tr: not in table" "$after" "$P_MISSING_FMT"
	else
		unlike "$r/$tr: not in table is an empty answer" "$after" "inet\.0|BGP"
	fi
	like "$r/$tr: error text for a bad command" "$t" "$P_BAD_FMT"
	got=$(awk -F'\t' -v tr="$tr" '$3 == tr && $5 == "line" { print $6 }' \
	    "$LG_EMU_AUDIT/$r.log")
	is "$r/$tr: audit log holds exactly the lines sent" "$got" \
	    "$(echo "$sent" | sed '/^$/d')"
	keys=$(awk -F'\t' -v tr="$tr" '$3 == tr && $5 == "key" { printf "%s,", $6 }' \
	    "$LG_EMU_AUDIT/$r.log")
	is "$r/$tr: audit log holds the pager keys" "$keys" " ,q,"
}

for r in ios1 xr1 nxos1 junos1 eos1; do
	for tr in ssh telnet; do
		session $r $tr
	done
done

# ---------------------------------------------------------------------------
# One command over "ssh host command" (exec), and timing helpers.

sshx() {
	p=$(var "$1" SSH); shift
	# shellcheck disable=SC2086
	sshpass -p "$LG_EMU_PASS" ssh $SSH_OPTS -p "$p" "$LG_EMU_USER@127.0.0.1" "$@"
}
ms() {
	date +%s%3N
}
# elapsed ROUTER COMMAND: milliseconds for one exec, output to $WORK/out.
elapsed() {
	t0=$(ms)
	sshx "$1" "$2" >"$WORK/out" 2>"$WORK/err"
	echo $(($(ms) - t0))
}
# interactive NAME ROUTER STEPS: an ssh -tt session driven by drive.exp.
interactive() {
	printf '%s\n' "$3" >"$WORK/$1.steps"
	p=$(var "$2" SSH)
	# shellcheck disable=SC2086
	expect $DRIVE "$WORK/$1.steps" "$WORK/$1.log" sshpass -p "$LG_EMU_PASS" \
	    ssh -tt $SSH_OPTS -p "$p" "$LG_EMU_USER@127.0.0.1" >"$WORK/$1.err" 2>&1
}

out=$(sshpass -p wrong-password ssh $SSH_OPTS -p "$LG_EMU_ios1_SSH" \
    "$LG_EMU_USER@127.0.0.1" "show clock" 2>&1)
like "ssh: a wrong password is refused" "$out" "Permission denied"
like "ssh: the refusal is in the audit log" \
    "$(grep -P '\tauth\t' "$LG_EMU_AUDIT/ios1.log")" "rejected>$"

# The quickest of three: one slow sample on a loaded machine must not
# raise the bar the delays below are measured against.
base=
for i in 1 2 3; do
	t=$(elapsed ios1 "show bgp ipv4 unicast 1.0.4.0/24")
	{ [ -z "$base" ] || [ "$t" -lt "$base" ]; } && base=$t
done
full=$(cat "$WORK/out")
like "exec: ssh host command answers" "$full" "^BGP routing table entry for 1\.0\.4\.0/24"

# Ping and traceroute come line by line over time.
t=$(elapsed ios1 "ping 1.0.4.1 repeat 5")
like "ping: IOS replies" "$(cat "$WORK/out")" "^!!!!!"
like "ping: IOS summary" "$(cat "$WORK/out")" \
    "^Success rate is 100 percent \(5/5\)"
ok "ping: five replies take at least 600 ms ($t ms)" [ "$t" -ge $((base + 600)) ]
sshx xr1 "traceroute ipv4 1.0.4.1 numeric timeout 2 probe 2" 2>/dev/null |
    while IFS= read -r l; do echo "$(ms) $l"; done >"$WORK/trace"
first=$(grep -m1 ' 1  80\.249' "$WORK/trace" | cut -d' ' -f1)
last=$(grep ' 4  1\.0\.4\.1 ' "$WORK/trace" | cut -d' ' -f1)
ok "traceroute: hops arrive over time (${first:-?} .. ${last:-?})" \
    [ -n "$first" ] && [ -n "$last" ] && [ $((last - first)) -ge 300 ]

# ---------------------------------------------------------------------------
# Faults, each on its own router of the default fleet.

t=$(elapsed slow1 "show bgp ipv4 unicast 1.0.4.0/24")
is "slow_output: same answer" "$(cat "$WORK/out")" "$full"
ok "slow_output: 48 bytes per 20 ms is slower ($t ms vs $base ms)" \
    [ "$t" -ge $((base + 200)) ]

t=$(elapsed delay1 "show bgp ipv4 unicast 1.0.4.0/24")
ok "response_delay_ms: 200 ms before the answer ($t ms vs $base ms)" \
    [ "$t" -ge $((base + 150)) ]

sshx dropmid1 "show bgp ipv4 unicast 1.0.4.0/24" >"$WORK/out" 2>/dev/null
rc=$?
part=$(cat "$WORK/out")
ok "drop_mid_output: the connection is cut (rc $rc)" [ $rc -ne 0 ]
ok "drop_mid_output: part of the answer came (${#part} of ${#full})" \
    [ ${#part} -gt 0 ] && [ ${#part} -lt ${#full} ]
is "drop_mid_output: what came is the start of the answer" \
    "$(printf '%s' "$full" | head -c ${#part})" "$part"

t0=$(ms)
sz=$(sshx huge1 "show ip bgp" 2>/dev/null | wc -c)
ok "huge_output_mb: 20 MiB full table ($sz bytes, $(($(ms) - t0)) ms)" \
    [ "$sz" -ge $((20 * 1024 * 1024)) ]

sshx ansi1 "show bgp ipv4 unicast 1.0.4.0/24" >"$WORK/out" 2>/dev/null
ok "ansi_noise: escapes in the output" grep -q "$(printf '\033')\[" "$WORK/out"
ok "stray_cr: CR CR LF line ends" \
    [ "$(od -An -c "$WORK/out" | tr -s ' ' | grep -c '\\r \\r \\n')" -gt 0 ]

interactive drop "drop1" "expect drop1>\$
send show clock\\r
expect \\ndrop1>\$
send show clock\\r
expect \\ndrop1>\$
send show clock\\r
expect \\ndrop1>\$
send show bgp ipv4 unicast 1.0.4.0/24\\r
eof"
is "drop_after_commands=3: the 4th command ends the session" "$?" 0
unlike "drop_after_commands: no answer to the 4th" "$(clean "$WORK/drop.log")" \
    "BGP routing table entry"
is "drop_after_commands: audit has the 4 lines" \
    "$(awk -F'\t' '$5 == "line"' "$LG_EMU_AUDIT/drop1.log" | wc -l)" 4

interactive hang "hang1" "expect hang1>\$
send show clock\\r
expect \\nhang1>\$
send show bgp ipv4 unicast 1.0.4.0/24\\r
absent hang1> 3"
is "hang_on: the command never returns (3 s without a prompt)" "$?" 0
like "hang_on: the hung line is in the audit log" \
    "$(grep -P '\tline\t' "$LG_EMU_AUDIT/hang1.log" | tail -1)" \
    "line	show bgp ipv4 unicast 1\.0\.4\.0/24$"

interactive banner "banner1" "expect banner1>\$
send exit\\r
eof"
t=$(clean "$WORK/banner.log")
like "prompt_in_banner: a prompt-like line in the banner" "$t" "^banner1#$"
like "prompt_in_banner: the banner goes on after it" "$t" \
    "^This is not the prompt\.$"
interactive jbanner "jbanner1" "expect lg@jbanner1> \$
send exit\\r
eof"
like "prompt_in_banner (Junos): prompt-like line" "$(clean "$WORK/jbanner.log")" \
    "^lg@jbanner1> $"

t0=$(ms)
interactive slowlogin "slowlogin1" "expect slowlogin1>\$
send exit\\r
eof"
t=$(($(ms) - t0))
ok "slow_login_ms: 1.5 s before the banner and prompt ($t ms)" [ $t -ge 1500 ]

# ---------------------------------------------------------------------------
# The control socket switches faults at run time.

out=$($EMU ctl fault ios1 drop_after_commands 1)
is "ctl: fault set" "$out" "ok 1"
like "ctl: show lists it" "$($EMU ctl show ios1)" "drop_after_commands=1"
interactive ctldrop "ios1" "expect ios1>\$
send show clock\\r
expect \\nios1>\$
send show clock\\r
eof"
is "ctl: the switched fault acts on the next session" "$?" 0
is "ctl: clear" "$($EMU ctl clear ios1)" "ok"
unlike "ctl: cleared" "$($EMU ctl show ios1)" "drop_after"
nok "ctl: unknown router refused" $EMU ctl fault nosuch stray_cr 1
nok "ctl: unknown fault refused" $EMU ctl fault ios1 no_such_fault 1
like "ctl: stats" "$($EMU ctl stats)" "^ok routers=15 sessions=[0-9]+ rss_kb=[0-9]+$"

# ---------------------------------------------------------------------------
# echo_off and prompt_in_output, seen through a raw socket: what the
# router sends after an empty line, and where a fake prompt stops.

raw_session() {
	timeout 20 python3 - "$LG_EMU_ios1_TELNET" "$LG_EMU_USER" \
	    "$LG_EMU_PASS" "$1" <<'PY'
import socket, sys, time
port, user, pw, line = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(10)
buf = b""
def until(want):
    global buf
    while want not in buf:
        d = s.recv(4096)
        if not d:
            sys.exit("closed waiting for %r" % want)
        buf += d
    buf = buf[buf.index(want) + len(want):]
def quiet(ms):
    global buf
    s.settimeout(ms / 1000)
    got = b""
    try:
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
    except socket.timeout:
        pass
    s.settimeout(10)
    return got
until(b"Username: ")
s.sendall(user.encode() + b"\r\n")
until(b"Password: ")
s.sendall(pw.encode() + b"\r\n")
until(b"ios1>")
quiet(300)
s.sendall(b"\r\n")
print("empty:", repr(quiet(500)))
s.sendall(line.encode() + b"\r\n")
print("first:", repr(quiet(300)))
print("then:", repr(quiet(1500)))
PY
}
$EMU ctl fault ios1 echo_off true >/dev/null
out=$(raw_session "show bgp ipv4 unicast 1.0.4.0/24")
like "echo_off: an empty line brings the prompt back on the same line" \
    "$out" "^empty: b'ios1>'\$"
like "echo_off: the command is not echoed" "$out" \
    "^first: b'BGP routing table entry"
$EMU ctl fault ios1 echo_off false >/dev/null
$EMU ctl fault ios1 prompt_in_output 600 >/dev/null
out=$(raw_session "show bgp ipv4 unicast 1.0.4.0/24")
like "prompt_in_output: the first line, then the prompt, then silence" \
    "$out" "^first: b'show bgp ipv4 unicast 1.0.4.0/24\\\\r\\\\nBGP routing table entry for 1.0.4.0/24, version [0-9]+\\\\r\\\\nios1>'\$"
like "prompt_in_output: the line ends and the answer goes on" "$out" \
    "^then: b'\\\\r\\\\nPaths: "
$EMU ctl clear ios1 >/dev/null

# ---------------------------------------------------------------------------
# SIGTERM with sessions open: a clean exit (no sanitizer or leak report).

sleep 20 | telnet 127.0.0.1 "$LG_EMU_ios1_TELNET" >/dev/null 2>&1 &
interactive_bg=$!
sleep 20 | sshpass -p "$LG_EMU_PASS" ssh -tt $SSH_OPTS -p "$LG_EMU_xr1_SSH" \
    "$LG_EMU_USER@127.0.0.1" >/dev/null 2>&1 &
sleep 2
kill -TERM "$LG_EMU_PID"
n=0
while kill -0 "$LG_EMU_PID" 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
ok "SIGTERM: lgemu exits" [ $n -lt 300 ]
log=$(cat "$LG_EMU_DIR/lgemu.log")
unlike "SIGTERM: no sanitizer report, no leak" "$log" "Sanitizer|runtime error"
like "SIGTERM: orderly shutdown logged" "$log" "shutting down"
kill "$interactive_bg" 2>/dev/null

done_testing
