#!/bin/sh
# The integration lab, driven with standard clients: OpenSSH's ssh (key,
# password through SSH_ASKPASS, and an interactive session on a pty),
# the telnet client on FRR's vty, and the routers' own CLIs.  Every
# assertion is about a real answer: the upstream's well-known routes with
# their paths and communities on every router, full tables, ping replies
# and traceroute hops.  Finally "lab.sh down" must leave nothing behind
# (skipped with LG_KEEP=1, which keeps the lab for later suites).

cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

LAB=tests/lab/lab.sh
PTY="python3 tests/lab/ptyexpect.py"

if [ "$(id -u)" -ne 0 ]; then
	skip_all "the lab needs root (network namespaces)"
fi

t0=$(date +%s)
if ! out=$(sh "$LAB" up 2>&1); then
	fail "lab.sh up brings the lab up" "$out"
	done_testing
	exit 1
fi
pass "lab.sh up brings the lab up ($(($(date +%s) - t0))s)"
ENV=$(sh "$LAB" env)
. "$ENV"
printf '%s\n' "$out" | sed 's/^/# /'

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

SSHOPTS="-o UserKnownHostsFile=$LAB_KNOWN_HOSTS -o GlobalKnownHostsFile=/dev/null
 -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -o LogLevel=ERROR"

# rssh ROUTER_ADDRESS COMMAND: key login, no terminal, no questions.
rssh() {
	# shellcheck disable=SC2086
	ssh $SSHOPTS -o BatchMode=yes -i "$LAB_KEY" -o IdentitiesOnly=yes \
	    "$LAB_USER@$1" "$2" 2>&1
}

# pssh ROUTER_ADDRESS COMMAND: password login through SSH_ASKPASS.
printf '#!/bin/sh\necho "%s"\n' "$LAB_PASSWORD" >"$TMP/askpass"
printf '#!/bin/sh\necho wrong-password\n' >"$TMP/askpass-wrong"
chmod 0700 "$TMP/askpass" "$TMP/askpass-wrong"
pssh() {
	# shellcheck disable=SC2086
	SSH_ASKPASS=${ASKPASS:-$TMP/askpass} SSH_ASKPASS_REQUIRE=force \
	    ssh $SSHOPTS -o PubkeyAuthentication=no \
	    -o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 \
	    "$LAB_USER@$1" "$2" 2>&1 </dev/null
}

var() { eval "echo \"\${LAB_$(echo "$1" | tr a-z A-Z)_$2}\""; }

# ---- host keys ---------------------------------------------------------

for r in $LAB_ROUTERS; do
	for a in "$(var "$r" MGMT4)" "$(var "$r" MGMT6)"; do
		scanned=$(ssh-keyscan -T 5 "$a" 2>/dev/null | awk '{ print $2, $3 }' | sort)
		known=$(ssh-keygen -F "$a" -f "$LAB_KNOWN_HOSTS" |
		    awk '!/^#/ { print $2, $3 }' | sort)
		if [ -n "$scanned" ] && [ "$scanned" = "$known" ]; then
			pass "$r: host keys on $a match lab.env's known_hosts"
		else
			fail "$r: host keys on $a match lab.env's known_hosts" \
			    "scanned: $scanned" "known: $known"
		fi
	done
done

# Another router's keys under r1's address: a strict client must refuse.
awk -v a="$LAB_R1_MGMT4" -v b="$LAB_R2_MGMT4," \
    'index($1, b) == 1 { $1 = a; print }' "$LAB_KNOWN_HOSTS" >"$TMP/wrong_hosts"
ok "r2's host keys are known" test -s "$TMP/wrong_hosts"
# shellcheck disable=SC2086
nok "r1: a client knowing other keys for its address refuses it" \
    ssh -o UserKnownHostsFile="$TMP/wrong_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -i "$LAB_KEY" \
    "$LAB_USER@$LAB_R1_MGMT4" "show version"

# ---- routes on every router, over ssh with the key ---------------------

route_cmd() {	# route_cmd KIND FAMILY
	if [ "$1" = frr ]; then
		[ "$2" = 4 ] && echo "show bgp ipv4 unicast $LAB_ROUTE4" ||
		    echo "show bgp ipv6 unicast $LAB_ROUTE6"
	else
		[ "$2" = 4 ] && echo "show route for $LAB_ROUTE4_ADDR all" ||
		    echo "show route for $LAB_ROUTE6_ADDR all"
	fi
}

for r in $LAB_ROUTERS; do
	kind=$(var "$r" KIND)
	for f in 4 6; do
		addr=$(var "$r" "MGMT$f")
		out=$(rssh "$addr" "$(route_cmd "$kind" "$f")")
		eval "prefix=\$LAB_ROUTE$f path=\$LAB_ROUTE${f}_PATH"
		like "$r (key, IPv$f mgmt): $prefix arrives with its AS path" \
		    "$out" "$path"
		if [ "$kind" = frr ]; then
			like "$r: $prefix carries community $LAB_COMMUNITY" \
			    "$out" "Community: .*$LAB_COMMUNITY"
			like "$r: $prefix carries large community $LAB_LARGE_COMMUNITY" \
			    "$out" "Large Community: .*$LAB_LARGE_COMMUNITY"
		else
			like "$r: $prefix carries community $LAB_COMMUNITY" \
			    "$out" "BGP.community: .*\\($(echo "$LAB_COMMUNITY" | tr : ,)\\)"
			like "$r: $prefix carries large community $LAB_LARGE_COMMUNITY" \
			    "$out" "BGP.large_community: .*\\($(echo "$LAB_LARGE_COMMUNITY" | sed 's/:/, /g')\\)"
		fi
	done
done

# ---- full tables ---------------------------------------------------------

count_frr() {	# count_frr ADDRESS AFI PEER
	rssh "$1" "show bgp $2 unicast summary json" | python3 -c '
import json, sys
try:
    print(json.load(sys.stdin)["peers"][sys.argv[1]]["pfxRcd"])
except Exception as e:
    print("unparsable: %s" % e)' "$3"
}

count_bird() {	# count_bird ADDRESS PROTOCOL
	rssh "$1" "show protocols all $2" | awk '$1 == "Routes:" { print $2 }'
}

for r in $LAB_ROUTERS; do
	addr=$(var "$r" MGMT4)
	if [ "$(var "$r" KIND)" = frr ]; then
		n4=$(count_frr "$addr" ipv4 "$(var "$r" UPSTREAM4)")
		n6=$(count_frr "$addr" ipv6 "$(var "$r" UPSTREAM6)")
	else
		n4=$(count_bird "$addr" up4)
		n6=$(count_bird "$addr" up6)
	fi
	echo "# $r: $n4 IPv4 and $n6 IPv6 prefixes received"
	ok "$r: at least 50000 IPv4 prefixes ($n4)" test "${n4:-0}" -ge 50000
	ok "$r: at least 10000 IPv6 prefixes ($n6)" test "${n6:-0}" -ge 10000
	is "$r: the whole IPv4 table" "$n4" "$LAB_PREFIXES4"
	is "$r: the whole IPv6 table" "$n6" "$LAB_PREFIXES6"
done

# ---- the table's landmarks, as the looking glass will query them -------

out=$(rssh "$LAB_R1_MGMT4" "show bgp ipv4 unicast community $LAB_COMMUNITY")
like "r1: community $LAB_COMMUNITY selects $LAB_ROUTE4" "$out" "$(echo "$LAB_ROUTE4" | sed 's/\./\\./g')"
unlike "r1: ... and not $LAB_ROUTE4_B" "$out" "$(echo "$LAB_ROUTE4_B" | sed 's/\./\\./g')"
out=$(rssh "$LAB_R2_MGMT4" "show bgp ipv6 unicast large-community $LAB_LARGE_COMMUNITY")
like "r2: large community $LAB_LARGE_COMMUNITY selects $LAB_ROUTE6" "$out" "$LAB_ROUTE6"
out=$(rssh "$LAB_R1_MGMT4" "show bgp ipv4 unicast regexp _${LAB_ASPATH_AS}_")
like "r1: AS-path regexp _${LAB_ASPATH_AS}_ selects $LAB_ROUTE4" "$out" "$(echo "$LAB_ROUTE4" | sed 's/\./\\./g')"
like "r1: ... and says how many" "$out" "Displayed +1 routes"
out=$(rssh "$LAB_R3_MGMT4" "show route where ($(echo "$LAB_COMMUNITY" | tr : ,)) ~ bgp_community")
like "r3: a community filter selects $LAB_ROUTE4" "$out" "$(echo "$LAB_ROUTE4" | sed 's/\./\\./g')"
like "r3: ... and $LAB_ROUTE6" "$out" "$LAB_ROUTE6"
out=$(rssh "$LAB_R3_MGMT4" "configure")
like "r3: birdc is restricted to show commands" "$out" "Access denied"

# ---- the lab disagrees with itself (gentable.py SPLIT) --------------------

best_path() {	# best_path ROUTER PREFIX: the AS path of its best route
	if [ "$(var "$1" KIND)" = frr ]; then
		rssh "$(var "$1" MGMT4)" "show bgp ipv4 unicast $2 json" | python3 -c '
import json, sys
try:
    for p in json.load(sys.stdin)["paths"]:
        if p.get("bestpath", {}).get("overall"):
            print(p["aspath"]["string"])
except Exception as e:
    print("unparsable: %s" % e)'
	else
		rssh "$(var "$1" MGMT4)" "show route for $2 all" |
		    awk '$1 == "BGP.as_path:" { $1 = ""; print substr($0, 2); exit }'
	fi
}

ok "lab.env has the split prefixes' facts" test -n "$LAB_SPLIT4" -a \
    -n "$LAB_SPLIT4_ALT_PATH" -a -n "$LAB_SPLIT4_ALT_ROUTERS" -a \
    -n "$LAB_SPLIT4_MORE_ALT" -a -n "$LAB_SPLIT4_MORE_ALT_ROUTERS"
for r in $LAB_ROUTERS; do
	case " $LAB_SPLIT4_ALT_ROUTERS " in
	*" $r "*) want=$LAB_SPLIT4_ALT_PATH via="the second upstream" ;;
	*) want=$LAB_SPLIT4_PATH via="the first upstream" ;;
	esac
	is "$r: best path to $LAB_SPLIT4 through $via" "$(best_path "$r" "$LAB_SPLIT4")" "$want"
	case " $LAB_SPLIT4_MORE_ALT_ROUTERS " in
	*" $r "*) want=$LAB_SPLIT4_MORE_ALT ;;
	*) want=$LAB_SPLIT4_COVER ;;
	esac
	if [ "$(var "$r" KIND)" = frr ]; then
		out=$(rssh "$(var "$r" MGMT4)" "show bgp ipv4 unicast $LAB_SPLIT4_MORE_ALT_ADDR")
	else
		out=$(rssh "$(var "$r" MGMT4)" "show route for $LAB_SPLIT4_MORE_ALT_ADDR")
	fi
	like "$r: longest match for $LAB_SPLIT4_MORE_ALT_ADDR is $want" "$out" \
	    "$(echo "$want" | sed 's/\./\\./g')"
done

# ---- password login ------------------------------------------------------

for r in $LAB_ROUTERS; do
	addr=$(var "$r" MGMT4)
	if [ "$(var "$r" KIND)" = frr ]; then
		out=$(pssh "$addr" "show bgp ipv4 unicast $LAB_ROUTE4_B")
	else
		out=$(pssh "$addr" "show route for $LAB_ROUTE4_B_ADDR all")
	fi
	like "$r (password): $LAB_ROUTE4_B with its prepended path" "$out" \
	    "$LAB_ROUTE4_B_PATH"
	out=$(ASKPASS=$TMP/askpass-wrong pssh "$addr" "show version")
	like "$r: a wrong password is refused" "$out" "Permission denied"
done
# shellcheck disable=SC2086
nok "r1: an unknown key is refused" ssh $SSHOPTS -o BatchMode=yes \
    -o IdentitiesOnly=yes -i /dev/null "$LAB_USER@$LAB_R1_MGMT4" "show version"

# ---- interactive sessions on a pty ---------------------------------------

cat >"$TMP/frr.pty" <<EOF
expect password:
sendline $LAB_PASSWORD
expect ^r1# \$
sendline terminal length 0
expect ^r1# \$
sendline show bgp ipv6 unicast $LAB_ROUTE6
expect Large Community: $LAB_LARGE_COMMUNITY
expect ^r1# \$
sendline ping $LAB_PING4
expect 5 packets transmitted, 5 received
expect ^r1# \$
sendline traceroute $LAB_TRACE4
expect  2  $LAB_TRACE4
expect ^r1# \$
sendline exit
eof
EOF
# shellcheck disable=SC2086
ok "r1: interactive ssh session with a password lands in vtysh" \
    $PTY -t 30 "$TMP/frr.pty" -- ssh $SSHOPTS -tt -o PubkeyAuthentication=no \
    "$LAB_USER@$LAB_R1_MGMT6"

cat >"$TMP/bird.pty" <<EOF
expect password:
sendline $LAB_PASSWORD
expect bird> 
sendline show route for $LAB_ROUTE6_ADDR all
expect BGP.as_path: $LAB_ROUTE6_PATH
expect bird> 
sendline quit
eof
EOF
# shellcheck disable=SC2086
ok "r3: interactive ssh session with a password lands in birdc" \
    $PTY -t 30 "$TMP/bird.pty" -- ssh $SSHOPTS -tt -o PubkeyAuthentication=no \
    "$LAB_USER@$LAB_R3_MGMT4"

# ---- ping and traceroute through vtysh -------------------------------------

for r in $LAB_ROUTERS; do
	[ "$(var "$r" KIND)" = frr ] || continue
	addr=$(var "$r" MGMT4)
	out=$(rssh "$addr" "ping $LAB_PING4")
	like "$r: vtysh ping $LAB_PING4 gets replies" "$out" \
	    "64 bytes from $LAB_PING4"
	out=$(rssh "$addr" "ping ipv6 $LAB_PING6")
	like "$r: vtysh ping ipv6 $LAB_PING6 gets replies" "$out" \
	    "64 bytes from $LAB_PING6"
	out=$(rssh "$addr" "traceroute $LAB_TRACE4")
	like "$r: vtysh traceroute shows the upstream as hop 1" "$out" \
	    "^ 1  $(var "$r" UPSTREAM4) "
	like "$r: ... and $LAB_TRACE4 as hop 2" "$out" "^ 2  $LAB_TRACE4 "
	out=$(rssh "$addr" "traceroute ipv6 $LAB_TRACE6")
	like "$r: vtysh traceroute ipv6 reaches $LAB_TRACE6 in 2 hops" "$out" \
	    "^ 2  $LAB_TRACE6 "
done
out=$(ip netns exec "$LAB_R3_NS" traceroute -n -w 2 "$LAB_TRACE4" 2>&1)
like "r3: its kernel forwards along the BGP routes BIRD installed" "$out" \
    "^ 2  $LAB_TRACE4 "
out=$(rssh "$LAB_R3_MGMT4" "ping $LAB_PING4")
like "r3: birdc has no ping (documented in README.md)" "$out" "No such command"

# ---- telnet on FRR's vty ---------------------------------------------------

cat >"$TMP/bgpd.telnet" <<EOF
expect Password: 
sendline $LAB_VTY_PASSWORD
expect r1> 
sendline show bgp ipv4 unicast $LAB_ROUTE4
expect Community: $LAB_COMMUNITY
expect r1> 
sendline enable
expect Password: 
sendline $LAB_ENABLE_PASSWORD
expect r1# 
sendline terminal length 0
expect r1# 
sendline show bgp ipv4 unicast summary
expect $LAB_R1_UPSTREAM4 .* $LAB_PREFIXES4 
expect r1# 
sendline exit
eof
EOF
ok "r1: telnet to bgpd's vty with the password answers show bgp" \
    $PTY -t 20 "$TMP/bgpd.telnet" -- telnet "$LAB_R1_MGMT4" "$LAB_R1_TELNET_PORT"

cat >"$TMP/zebra.telnet" <<EOF
expect Password: 
sendline $LAB_VTY_PASSWORD
expect r2> 
sendline show ip route $LAB_ROUTE4_ADDR
expect Known via "bgp"
expect r2> 
sendline exit
eof
EOF
ok "r2: telnet to zebra's vty answers show ip route" \
    $PTY -t 20 "$TMP/zebra.telnet" -- telnet "$LAB_R2_MGMT4" "$LAB_R2_ZEBRA_PORT"

cat >"$TMP/badpw.telnet" <<EOF
expect Password: 
sendline wrong-password
expect Password: 
sendline wrong-password
expect Password: 
sendline wrong-password
expect Bad passwords, too many failures
eof
EOF
ok "r2: the vty turns away a wrong password" \
    $PTY -t 20 "$TMP/badpw.telnet" -- telnet "$LAB_R2_MGMT4" "$LAB_R2_TELNET_PORT"

# ---- command logs ------------------------------------------------------------
#
# Each router's command log (LAB_Rn_CMDLOG, several files) holds what its
# CLIs were given: the login session's record (ssh, with or without a
# command) and the daemons' own logs (FRR's "log commands", BIRD's "debug
# commands 2").  Each check types a command carrying a number of its own.

U=$(date +%s%N | cut -c10-13)
cmdlog_has() {	# cmdlog_has ROUTER TEXT [N]: only the Nth file (1 = session)
	# shellcheck disable=SC2046
	set -- "$1" "$2" "${3:-0}" $(var "$1" CMDLOG)
	if [ "$3" = 0 ]; then
		f=$(shift 3; echo "$@")
	else
		eval "f=\${$(($3 + 3))}"
	fi
	# shellcheck disable=SC2086
	cat $f 2>/dev/null | tr '\r' '\n' | grep -qF -- "$2"
}

for r in $LAB_ROUTERS; do
	files=$(var "$r" CMDLOG)
	n=0
	for f in $files; do
		[ -f "$f" ] && n=$((n + 1))
	done
	ok "$r: lab.env names its command log files, all present ($files)" \
	    test -n "$files" -a "$n" -eq "$(echo "$files" | wc -w)"
done

c1="show bgp ipv4 unicast community 65000:1$U"
rssh "$LAB_R1_MGMT4" "$c1" >/dev/null
ok "r1: a command given on the ssh command line is in the session record" \
    cmdlog_has r1 "$c1" 1
ok "r1: ... and in bgpd's log (log commands, relayed by vtysh)" \
    cmdlog_has r1 "@# $c1" 2
c2="show bgp ipv4 unicast community 65000:2$U"
cat >"$TMP/log.pty" <<EOF
expect password:
sendline $LAB_PASSWORD
expect ^r1# \$
sendline $c2
expect ^r1# \$
sendline exit
eof
EOF
# shellcheck disable=SC2086
$PTY -t 30 "$TMP/log.pty" -- ssh $SSHOPTS -tt -o PubkeyAuthentication=no \
    "$LAB_USER@$LAB_R1_MGMT4" >/dev/null 2>&1
ok "r1: a line typed in an interactive ssh session is in the session record" \
    cmdlog_has r1 "$c2" 1
ok "r1: ... and in bgpd's log" cmdlog_has r1 "@# $c2" 2
c3="show bgp ipv4 unicast community 65000:3$U"
cat >"$TMP/log.telnet" <<EOF
expect Password: 
sendline $LAB_VTY_PASSWORD
expect r1> 
sendline $c3
expect r1> 
sendline exit
eof
EOF
$PTY -t 20 "$TMP/log.telnet" -- telnet "$LAB_R1_MGMT4" "$LAB_R1_TELNET_PORT" \
    >/dev/null 2>&1
ok "r1: a line typed on bgpd's vty over telnet is in bgpd's log" \
    cmdlog_has r1 "> $c3" 2
nok "r1: ... and not in the ssh session record" cmdlog_has r1 "$c3" 1
c4="show bgp ipv4 unicast 1.0.4.0/24 LGCMD$U"
rssh "$LAB_R2_MGMT4" "$c4" >/dev/null
ok "r2: a line vtysh refuses is still in the session record" \
    cmdlog_has r2 "$c4" 1
nok "r2: ... and not in bgpd's log (vtysh did not relay it)" \
    cmdlog_has r2 "$c4" 2
c5="show route where (65000,5$U) ~ bgp_community"
rssh "$LAB_R3_MGMT4" "$c5" >/dev/null
ok "r3: a command given on the ssh command line is in the session record" \
    cmdlog_has r3 "$c5" 1
ok "r3: ... and in BIRD's log (debug commands 2)" \
    cmdlog_has r3 "CLI: $c5" 2
c6="show route for 1.0.4.$((1$U % 200)) all"
cat >"$TMP/logb.pty" <<EOF
expect password:
sendline $LAB_PASSWORD
expect bird> 
sendline $c6
expect bird> 
sendline quit
eof
EOF
# shellcheck disable=SC2086
$PTY -t 30 "$TMP/logb.pty" -- ssh $SSHOPTS -tt -o PubkeyAuthentication=no \
    "$LAB_USER@$LAB_R3_MGMT4" >/dev/null 2>&1
ok "r3: a line typed in an interactive ssh session is in the session record" \
    cmdlog_has r3 "$c6" 1
ok "r3: ... and in BIRD's log" cmdlog_has r3 "CLI: $c6" 2

# ---- idempotence, status, teardown -------------------------------------------

t1=$(date +%s)
out=$(sh "$LAB" up 2>&1)
like "lab.sh up on a healthy lab says so" "$out" "already up and healthy"
ok "... within 45 seconds" test $(($(date +%s) - t1)) -le 45
ok "lab.sh status reports a healthy lab" sh "$LAB" status

if [ "${LG_KEEP:-0}" = 1 ]; then
	echo "# LG_KEEP=1: the lab stays up"
	done_testing
	exit
fi

ok "lab.sh down" sh "$LAB" down
is "no lab namespace is left" "$(ip netns list | grep '^lg-')" ""
nok "no management bridge is left" ip link show lgmgmt0
nok "no run directory is left" test -e "$LAB_DIR"
nok "no lab user is left" getent passwd "$LAB_USER"
is "no lab daemon is left" \
    "$(ps -eo args | grep -E "^(/usr/lib/frr/(zebra|bgpd)|bird|/usr/sbin/sshd) .*$LAB_DIR" | grep -v grep)" ""
ok "lab.sh down again is harmless" sh "$LAB" down
done_testing
