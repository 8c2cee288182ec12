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
export LG_EMU_SSH_BASE=${LG_EMU_SSH_BASE:-$((30000 + ($$ % 400) * 50))}
export LG_EMU_TELNET_BASE=${LG_EMU_TELNET_BASE:-$((LG_EMU_SSH_BASE + 25))}
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
		P_BGP_FMT2="^1\.0\.4\.0/24 +\*\[BGP/170\]"
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
