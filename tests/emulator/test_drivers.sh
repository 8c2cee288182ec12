#!/bin/sh
# Every command the platform drivers (drivers/*.conf) can send is one the
# emulator answers: each query template is filled with canonical values
# (as validation would produce them), run over "ssh router command" on the
# matching emulated router, and the answer must not be the platform's error
# text.

set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

for t in sshpass ssh ssh-keygen ss; do
	command -v $t >/dev/null 2>&1 || skip_all "$t not installed (make deps)"
done
ls drivers/*.conf >/dev/null 2>&1 || skip_all "no drivers yet"
export LG_BUILD=${LG_BUILD:-build/san}
[ -x "$LG_BUILD/lgemu" ] || skip_all "$LG_BUILD/lgemu not built"
WORK=$(mktemp -d /tmp/lgemu-drv.XXXXXX)
export LG_EMU_DIR=$WORK/run
b=$((21000 + ($$ % 150) * 60))
while ss -ltnH | awk '{ print $4 }' | sed 's/.*://' |
    awk -v b=$b '$1 >= b && $1 < b + 60 { f = 1 } END { exit !f }'; do
	b=$((b + 60)); [ $b -lt 32000 ] || b=21000
done
export LG_EMU_SSH_BASE=$b LG_EMU_TELNET_BASE=$((b + 30))
EMU="sh tests/emulator/emu.sh"
trap '$EMU stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT INT TERM
$EMU start >"$WORK/start" 2>&1 || { fail "emu.sh start" "$(cat "$WORK/start")"; done_testing; exit 1; }
. "$LG_EMU_DIR/emu.env"

SSH_OPTS="-o UserKnownHostsFile=$LG_EMU_KNOWN_HOSTS -o StrictHostKeyChecking=yes
 -o PubkeyAuthentication=no -o LogLevel=ERROR"
ERRORS="% Invalid|% Incomplete|% Ambiguous|syntax error|unknown command|is ambiguous"

# family<TAB>query<TAB>template for each template in the queries block.
templates() {
	awk '
	/^queries/ { inq = 1; next }
	inq && /^};/ { inq = 0 }
	!inq { next }
	/^\t[a-z_0-9]+ *= *[{"]/ {
		q = $1; sub(/ *=.*/, "", q); fam = "ipv4"
	}
	/^\t\t(ipv4|ipv6)[a-z_]* *=/ { fam = substr($1, 1, 4) }
	{
		line = $0
		gsub(/\\"/, "\001", line)
		while (match(line, /"[^"]*"/)) {
			t = substr(line, RSTART + 1, RLENGTH - 2)
			gsub("\001", "\"", t)
			print fam "\t" q "\t" t
			line = substr(line, RSTART + RLENGTH)
		}
	}' "$1"
}

fill() {
	if [ "$1" = ipv4 ]; then
		tgt=1.0.4.0/24 addr=1.0.4.1
	else
		tgt=2a00:1450::/32 addr=2a00:1450::1
	fi
	printf '%s\n' "$2" | sed -e "s|{target}|$tgt|g" -e "s|{address}|$addr|g" \
	    -e 's|{community}|64510:100|g' -e 's|{aspath}|_65010$|g' \
	    -e 's|{vrf}|blue|g' -e 's|{count}|5|g' \
	    -e 's|{source4}|80.249.208.1|g' -e 's|{source6}|2001:7f8:1::a506:4500:1|g'
}

for d in drivers/*.conf; do
	case $(basename "$d" .conf) in
	cisco-ios) r=ios1 ;;
	cisco-iosxr) r=xr1 ;;
	cisco-nxos) r=nxos1 ;;
	juniper-junos) r=junos1 ;;
	arista-eos) r=eos1 ;;
	*) continue ;;
	esac
	$EMU ctl fault $r pause_ms 0 >/dev/null
	port=$(eval echo "\$LG_EMU_${r}_SSH")
	templates "$d" >"$WORK/t"
	while IFS='	' read -r fam q tpl; do
		cmd=$(fill "$fam" "$tpl")
		# shellcheck disable=SC2086
		out=$(sshpass -p "$LG_EMU_PASS" ssh $SSH_OPTS -p "$port" \
		    "$LG_EMU_USER@127.0.0.1" "$cmd" </dev/null 2>&1)
		unlike "$r answers $q: $cmd" "$out" "$ERRORS"
		[ "$q" = bgp_neighbors ] && like "$r: $q shows the peer" "$out" \
		    "(BGP neighbor is |Peer: )(1\.0\.4\.1|2a00:1450::1)"
		case $q in
		bgp_neighbor_received|bgp_neighbor_advertised)
			like "$r: $q answers a table of routes" "$out" \
			    "[0-9]+\.[0-9]+\.[0-9]+\.0/24|2a[0-9a-f]{2}:[0-9a-f:]+/48"
			unlike "$r: $q is not the neighbor's state" "$out" \
			    "BGP neighbor is |Peer: "
			;;
		esac
	done <"$WORK/t"
done
done_testing
