#!/bin/sh
# The Lorgnette integration lab: real routers in network namespaces.
#
#   sh tests/lab/lab.sh up       build it (or say it is healthy), check
#                                every step, write $LG_LAB_DIR/lab.env
#   sh tests/lab/lab.sh status   what runs, sessions, prefix counts, RSS
#   sh tests/lab/lab.sh down     remove everything up created
#   sh tests/lab/lab.sh env      print the path of lab.env
#
# Topology (README.md has the full picture):
#
#   root ns: bridge lgmgmt0 198.18.0.1/24 2001:2:0:ff::1/64
#     |-- lg-r1  FRR (zebra, bgpd) AS 64601, sshd, bgpd/zebra vty
#     |-- lg-r2  FRR (zebra, bgpd) AS 64602, sshd, bgpd/zebra vty
#     `-- lg-r3  BIRD 2            AS 64603, sshd
#   lg-up   BIRD 2 AS 64500, linked to each router (198.19.N.0/30,
#           2001:2:0:N::/64) and to lg-far, originates the generated table
#   lg-far  a plain host behind the upstream, a traceroute destination
#
# Environment: LG_LAB_DIR (run directory, default /run/lorgnette-lab),
# LG_LAB_V4 / LG_LAB_V6 (table size, default 50000 / 10000),
# LG_LAB_TIMEOUT (seconds allowed for BGP to converge, default 300).
# Needs root.  Everything generated (configs, keys, logs, sockets, pid
# files) lives in the run directory; nothing is written to the tree.

# Variables like NAME, ASN or MGMT4 look unused: render() reads them.
# shellcheck disable=SC2034
set -u
umask 022

LAB_TOP=$(cd "$(dirname "$0")" && pwd)
# Nothing (daemons included) should sit in a directory "down" removes.
cd / || exit 1
TPL=$LAB_TOP/templates
D=${LG_LAB_DIR:-/run/lorgnette-lab}
V4=${LG_LAB_V4:-50000}
V6=${LG_LAB_V6:-10000}
CONVERGE=${LG_LAB_TIMEOUT:-300}
LAB_USER=lglab
LAB_GECOS="Lorgnette lab router login"
BRIDGE=lgmgmt0
UP_ASN=64500
ALT_ASN=64510	# the second upstream (gentable.py SECOND_ASN)
UP_ID=198.18.1.1
UP_LO6=2001:2:0:fe::1
FAR_NET4=198.18.2.0/30
FAR_NET6=2001:2:0:fd::/64
FAR4=198.18.2.2
FAR6=2001:2:0:fd::2
MGMT_GW4=198.18.0.1
MGMT_GW6=2001:2:0:ff::1
BGPD_PORT=2605
ZEBRA_PORT=2601
NAMESPACES="lg-r1 lg-r2 lg-r3 lg-up lg-far"

# One row per lab router: name, kind, ASN, index.  The index picks the
# management address (198.18.0.1N) and the upstream link (198.19.N.0/30).
ROUTER_TABLE='
r1 frr  64601 1
r2 frr  64602 2
r3 bird 64603 3
'
ROUTERS=$(printf '%s\n' "$ROUTER_TABLE" | awk 'NF { print $1 }')

say() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: FAILED: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# router_info NAME: sets the R_* variables describing one router.
router_info() {
	# shellcheck disable=SC2046
	set -- $(printf '%s\n' "$ROUTER_TABLE" | awk -v n="$1" '$1 == n')
	[ $# -eq 4 ] || die "unknown router $1"
	R_NAME=$1 R_KIND=$2 R_ASN=$3 R_N=$4
	R_NS=lg-$1
	R_DIR=$D/$1
	R_MGMT4=198.18.0.1$R_N
	R_MGMT6=2001:2:0:ff::1$R_N
	R_LINK4=198.19.$R_N.0/30
	R_LINK6=2001:2:0:$R_N::/64
	R_UP4=198.19.$R_N.1
	R_ME4=198.19.$R_N.2
	R_UP6=2001:2:0:$R_N::1
	R_ME6=2001:2:0:$R_N::2
	# The second upstream's session runs on the same link, 198.19.N.4/30.
	R_ALT_UP4=198.19.$R_N.5
	R_ALT_ME4=198.19.$R_N.6
	# The router's command log: what its ssh sessions were given (the
	# login session records it), and what its daemons were given.
	R_SESSLOG=$R_DIR/session.log
	if [ "$R_KIND" = frr ]; then
		R_CMDLOG="$R_SESSLOG $R_DIR/frr/bgpd.log $R_DIR/frr/zebra.log"
	else
		R_CMDLOG="$R_SESSLOG $R_DIR/bird/commands.log"
	fi
}

# render TEMPLATE OUTPUT: copies a template, replacing @KEY@ with the
# value of shell variable KEY for every key the template uses.
render() {
	_sed=""
	for _k in $(grep -o '@[A-Z0-9_]*@' "$1" | sort -u | tr -d @); do
		eval "_v=\${$_k?template $1 uses unset $_k}"
		_sed="$_sed s|@$_k@|$_v|g;"
	done
	sed "$_sed" "$1" >"$2" || die "cannot write $2"
}

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every half
# second until it succeeds; dies naming DESCRIPTION on timeout.
wait_for() {
	_limit=$1 _desc=$2
	shift 2
	_start=$(date +%s)
	until "$@" >/dev/null 2>&1; do
		if [ $(($(date +%s) - _start)) -ge "$_limit" ]; then
			"$@" 2>&1 | tail -5 | sed 's/^/lab:   /' >&2
			die "timed out after ${_limit}s waiting for $_desc"
		fi
		sleep 0.5
	done
}

# Daemons start through nsx, which keeps the lab's lock (fd 9) and a
# caller's (flock(1) passes its lock as fd 3) out of them.
nsx() {
	_ns=$1; shift
	ip netns exec "$_ns" "$@" 3<&- 4<&- 5<&- 6<&- 7<&- 8<&- 9<&-
}
must() { "$@" || die "command failed: $*"; }

vtysh_r() { vtysh --vty_socket "$D/$1/frr/vty" --config_dir "$D/$1/frr" -c "$2"; }
birdc_r() { birdc -s "$D/$1/bird/bird.ctl" "$2"; }

# pid_alive PIDFILE: true when the process in PIDFILE runs and is one of
# the lab's daemons (zombies and reused pids of other programs do not
# count).
pid_alive() {
	[ -s "$1" ] || return 1
	_pid=$(head -1 "$1")
	case $(readlink "/proc/$_pid/exe" 2>/dev/null) in
	/usr/lib/frr/zebra|/usr/lib/frr/bgpd|/usr/sbin/bird|/usr/sbin/sshd) ;;
	*)	return 1 ;;
	esac
	_state=$(awk '{ print $3 }' "/proc/$_pid/stat" 2>/dev/null)
	[ -n "$_state" ] && [ "$_state" != Z ]
}

daemon_pidfiles() {
	echo "$D/up/bird.pid"
	for r in $ROUTERS; do
		router_info "$r"
		if [ "$R_KIND" = frr ]; then
			echo "$R_DIR/frr/zebra.pid" "$R_DIR/frr/bgpd.pid"
		else
			echo "$R_DIR/bird/bird.pid"
		fi
		echo "$R_DIR/ssh/sshd.pid"
	done
}

# ---- BGP state -------------------------------------------------------

# peer_state ROUTER FAMILY: prints "STATE COUNT" for the router's session
# to the upstream in FAMILY (4 or 6), or with FAMILY "alt4" to the second
# upstream.
peer_state() {
	router_info "$1"
	if [ "$R_KIND" = frr ]; then
		case $2 in
		4) _afi=ipv4 _peer=$R_UP4 ;;
		6) _afi=ipv6 _peer=$R_UP6 ;;
		*) _afi=ipv4 _peer=$R_ALT_UP4 ;;
		esac
		vtysh_r "$1" "show bgp $_afi unicast summary json" 2>/dev/null |
		    python3 -c '
import json, sys
try:
    p = json.load(sys.stdin)["peers"][sys.argv[1]]
    print(p.get("state", "?"), p.get("pfxRcd", 0))
except Exception:
    print("Unknown 0")' "$_peer"
	else
		case $2 in alt*) _p=$2 ;; *) _p=up$2 ;; esac
		birdc_r "$1" "show protocols all $_p" 2>/dev/null | awk '
		    $1 == "BGP" && $2 == "state:" { st = $3 }
		    $1 == "Routes:" { n = $2 }
		    END { print (st ? st : "Unknown"), (n ? n : 0) }'
	fi
}

expected_count() {
	[ "$1" = 4 ] && n=$TABLE_V4 || n=$TABLE_V6
	# The table, the upstream's address and the far link, and the
	# links of the other routers.
	echo $((n + 2 + $(echo "$ROUTERS" | wc -w) - 1))
}

# split_count ROUTER: the prefixes the second upstream sends it (the
# LAB_*_ALT_ROUTERS facts of gentable.py).
split_count() {
	set | awk -F= -v r="$1" '/^LAB_.*_ALT_ROUTERS=/ {
	    gsub(/\047/, "", $2); n += ($2 ~ ("(^| )" r "( |$)")) } END { print n + 0 }'
}

# split_converged ROUTER: its session to the second upstream is up and
# has what that one sends it.
split_converged() {
	set -- $(peer_state "$1" alt4) "$1"
	[ "$1" = Established ] && [ "$2" -ge "$(split_count "$3")" ]
}

# converged ROUTER FAMILY: the session is up, has the whole table, and
# the kernel forwards along it (to a table route and to the far host).
converged() {
	set -- $(peer_state "$1" "$2") "$2" "$1"
	[ "$1" = Established ] && [ "$2" -ge "$(expected_count "$3")" ] ||
	    return 1
	router_info "$4"
	if [ "$3" = 4 ]; then
		set -- 4 "$LAB_ROUTE4" "$FAR_NET4"
	else
		set -- 6 "$LAB_ROUTE6" "$FAR_NET6"
	fi
	[ -n "$(nsx "$R_NS" ip "-$1" route show "$2")" ] &&
	    [ -n "$(nsx "$R_NS" ip "-$1" route show "$3")" ]
}

# ---- health ----------------------------------------------------------

# The lab's sources; a lab built from other sources is rebuilt.
stamp() {
	cat "$LAB_TOP/lab.sh" "$LAB_TOP/gentable.py" "$TPL"/* | cksum |
	    awk '{ print $1 }'
}

healthy() {
	[ -s "$D/lab.env" ] || return 1
	[ "$(cat "$D/stamp" 2>/dev/null)" = "$(stamp)" ] || return 1
	. "$D/lab.env"
	for f in $(daemon_pidfiles); do
		pid_alive "$f" || return 1
	done
	for r in $ROUTERS; do
		converged "$r" 4 && converged "$r" 6 && split_converged "$r" ||
		    return 1
	done
	for r in $ROUTERS; do
		router_info "$r"
		ssh-keyscan -T 3 "$R_MGMT4" 2>/dev/null | grep -q ssh-ed25519 ||
		    return 1
	done
}

# ---- building blocks of "up" ----------------------------------------

setup_user() {
	if getent passwd "$LAB_USER" >/dev/null; then
		[ "$(getent passwd "$LAB_USER" | cut -d: -f5)" = "$LAB_GECOS" ] ||
		    die "a user $LAB_USER exists that the lab did not create"
		usermod -d "$D/home" -s /bin/sh -G frrvty "$LAB_USER" ||
		    die "usermod $LAB_USER"
	else
		useradd -r -U -M -d "$D/home" -s /bin/sh -G frrvty \
		    -c "$LAB_GECOS" "$LAB_USER" || die "useradd $LAB_USER"
	fi
	mkdir -p "$D/home"
	chown "$LAB_USER:$LAB_USER" "$D/home"
	chmod 0700 "$D/home"
	printf '%s:%s\n' "$LAB_USER" "$LAB_PASSWORD" | chpasswd ||
	    die "chpasswd $LAB_USER"
}

new_secret() {
	tr -dc 'A-Za-z0-9' </dev/urandom | head -c 16
}

setup_keys() {
	mkdir -p "$D/client" "$D/ssh"
	chmod 0700 "$D/client"
	ssh-keygen -q -t ed25519 -N '' -C "lorgnette-lab-client" \
	    -f "$D/client/id_ed25519" || die "ssh-keygen client key"
	cp "$D/client/id_ed25519.pub" "$D/ssh/authorized_keys"
	chmod 0644 "$D/ssh/authorized_keys"
	: >"$D/ssh/known_hosts"
	for r in $ROUTERS; do
		router_info "$r"
		mkdir -p "$R_DIR/ssh"
		for t in ed25519 ecdsa rsa; do
			ssh-keygen -q -t "$t" -N '' -C "$r" \
			    -f "$R_DIR/ssh/ssh_host_${t}_key" ||
			    die "ssh-keygen $t host key for $r"
			awk -v h="$R_MGMT4,$R_MGMT6" '{ print h, $1, $2 }' \
			    "$R_DIR/ssh/ssh_host_${t}_key.pub" \
			    >>"$D/ssh/known_hosts"
		done
	done
}

# Bounded ping and traceroute for vtysh (see cli-frr.sh).
setup_bin() {
	mkdir -p "$D/bin/net"
	printf '#!/bin/sh\nexec /usr/bin/ping -4 -c 5 -w 10 "$@"\n' \
	    >"$D/bin/net/ping"
	printf '#!/bin/sh\nexec /usr/bin/ping -6 -c 5 -w 10 "$@"\n' \
	    >"$D/bin/net/ping6"
	printf '#!/bin/sh\nexec /usr/bin/traceroute -4 -n -w 2 -q 3 -m 15 "$@"\n' \
	    >"$D/bin/net/traceroute"
	printf '#!/bin/sh\nexec /usr/bin/traceroute -6 -n -w 2 -q 3 -m 15 "$@"\n' \
	    >"$D/bin/net/traceroute6"
	chmod 0755 "$D/bin/net/"*
}

ns_create() {
	ip netns add "$1" || die "ip netns add $1"
	nsx "$1" ip link set lo up
	nsx "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	    net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 >/dev/null ||
	    die "sysctl in $1"
}

setup_network() {
	for ns in $NAMESPACES; do
		ns_create "$ns"
	done
	ip link add "$BRIDGE" type bridge || die "bridge $BRIDGE"
	must ip addr add "$MGMT_GW4/24" dev "$BRIDGE"
	must ip addr add "$MGMT_GW6/64" dev "$BRIDGE" nodad
	must ip link set "$BRIDGE" up
	for r in $ROUTERS; do
		router_info "$r"
		ip link add "lgm-$r" type veth peer name mgmt0 netns "$R_NS" ||
		    die "management veth for $r"
		must ip link set "lgm-$r" master "$BRIDGE" up
		must nsx "$R_NS" ip addr add "$R_MGMT4/24" dev mgmt0
		must nsx "$R_NS" ip addr add "$R_MGMT6/64" dev mgmt0 nodad
		must nsx "$R_NS" ip link set mgmt0 up
		ip link add "$r" netns lg-up type veth peer name up0 \
		    netns "$R_NS" || die "upstream link for $r"
		must nsx lg-up ip addr add "$R_UP4/30" dev "$r"
		must nsx lg-up ip addr add "$R_UP6/64" dev "$r" nodad
		must nsx lg-up ip addr add "$R_ALT_UP4/30" dev "$r"
		must nsx lg-up ip link set "$r" up
		must nsx "$R_NS" ip addr add "$R_ME4/30" dev up0
		must nsx "$R_NS" ip addr add "$R_ME6/64" dev up0 nodad
		must nsx "$R_NS" ip addr add "$R_ALT_ME4/30" dev up0
		must nsx "$R_NS" ip link set up0 up
	done
	must nsx lg-up ip addr add "$UP_ID/32" dev lo
	must nsx lg-up ip addr add "$UP_LO6/128" dev lo
	ip link add far netns lg-up type veth peer name up0 netns lg-far ||
	    die "far link"
	must nsx lg-up ip addr add 198.18.2.1/30 dev far
	must nsx lg-up ip addr add 2001:2:0:fd::1/64 dev far nodad
	must nsx lg-up ip link set far up
	must nsx lg-far ip addr add "$FAR4/30" dev up0
	must nsx lg-far ip addr add "$FAR6/64" dev up0 nodad
	must nsx lg-far ip link set up0 up
	must nsx lg-far ip route add default via 198.18.2.1
	must nsx lg-far ip -6 route add default via 2001:2:0:fd::1
}

start_upstream() {
	DIR=$D/up
	mkdir -p "$DIR"
	python3 "$LAB_TOP/gentable.py" --v4 "$V4" --v6 "$V6" \
	    --out "$DIR/table.conf" --alt-out "$DIR/alt.conf" \
	    >"$DIR/facts.env" || die "table generation"
	. "$DIR/facts.env"
	render "$TPL/bird-upstream.conf" "$DIR/bird.conf"
	for r in $ROUTERS; do
		router_info "$r"
		NAME=$R_NAME ASN=$R_ASN UP4=$R_UP4 UP6=$R_UP6 ME4=$R_ME4 \
		    ME6=$R_ME6 LINK4=$R_LINK4 LINK6=$R_LINK6 N=$R_N \
		    ALT_UP4=$R_ALT_UP4 ALT_ME4=$R_ALT_ME4
		render "$TPL/bird-upstream-peer.conf" "$DIR/peer-$r.conf"
		cat "$DIR/peer-$r.conf" >>"$DIR/bird.conf"
	done
	bird -p -c "$DIR/bird.conf" || die "upstream BIRD config check"
	nsx lg-up bird -c "$DIR/bird.conf" -s "$DIR/bird.ctl" \
	    -P "$DIR/bird.pid" || die "start upstream BIRD"
}

start_frr() {
	DIR=$R_DIR/frr
	mkdir -p "$DIR/vty"
	NAME=$R_NAME MGMT4=$R_MGMT4 ASN=$R_ASN UP4=$R_UP4 UP6=$R_UP6
	ALT_UP4=$R_ALT_UP4
	render "$TPL/zebra.conf" "$DIR/zebra.conf"
	render "$TPL/bgpd.conf" "$DIR/bgpd.conf"
	# vtysh takes its prompt from here, not from the daemons.
	printf 'hostname %s\n' "$R_NAME" >"$DIR/vtysh.conf"
	chown -R frr:frr "$DIR"
	chmod 0640 "$DIR/zebra.conf" "$DIR/bgpd.conf"
	chmod 0644 "$DIR/vtysh.conf"
	_common="--vty_socket $DIR/vty -z $DIR/vty/zserv.api -u frr -g frr"
	# shellcheck disable=SC2086
	nsx "$R_NS" /usr/lib/frr/zebra -d $_common -s 90000000 \
	    -f "$DIR/zebra.conf" -i "$DIR/zebra.pid" \
	    -A "$R_MGMT4" -P "$ZEBRA_PORT" --log "file:$DIR/zebra.log" \
	    2>"$DIR/zebra.stderr" ||
	    die "start zebra on $R_NAME"
	wait_for 20 "zebra on $R_NAME" test -S "$DIR/vty/zserv.api"
	# shellcheck disable=SC2086
	nsx "$R_NS" /usr/lib/frr/bgpd -d $_common \
	    -f "$DIR/bgpd.conf" -i "$DIR/bgpd.pid" \
	    -A "$R_MGMT4" -P "$BGPD_PORT" --log "file:$DIR/bgpd.log" ||
	    die "start bgpd on $R_NAME"
	wait_for 20 "bgpd vty on $R_NAME" test -S "$DIR/vty/bgpd.vty"
}

start_bird() {
	DIR=$R_DIR/bird
	mkdir -p "$DIR"
	NAME=$R_NAME MGMT4=$R_MGMT4 ASN=$R_ASN UP4=$R_UP4 UP6=$R_UP6 \
	    ME4=$R_ME4 ME6=$R_ME6 ALT_UP4=$R_ALT_UP4 ALT_ME4=$R_ALT_ME4
	render "$TPL/bird-router.conf" "$DIR/bird.conf"
	bird -p -c "$DIR/bird.conf" || die "BIRD config check on $R_NAME"
	nsx "$R_NS" bird -c "$DIR/bird.conf" -s "$DIR/bird.ctl" \
	    -P "$DIR/bird.pid" || die "start BIRD on $R_NAME"
	wait_for 20 "BIRD socket on $R_NAME" test -S "$DIR/bird.ctl"
	# birdc needs write access to the socket; BIRD 2.0 leaves it to us.
	chgrp "$LAB_USER" "$DIR/bird.ctl" && chmod 0660 "$DIR/bird.ctl" ||
	    die "BIRD socket permissions on $R_NAME"
}

start_sshd() {
	DIR=$R_DIR/ssh SSHDIR=$D/ssh BIN=$D/bin USER=$LAB_USER
	NAME=$R_NAME MGMT4=$R_MGMT4 MGMT6=$R_MGMT6 SESSLOG=$R_SESSLOG
	# Written by the login session, which runs as the lab user.
	: >"$SESSLOG" && chown "$LAB_USER" "$SESSLOG" &&
	    chmod 0600 "$SESSLOG" || die "session log of $R_NAME"
	if [ "$R_KIND" = frr ]; then
		VTY=$R_DIR/frr/vty ETC=$R_DIR/frr
		render "$TPL/cli-frr.sh" "$BIN/cli-$R_NAME"
	else
		SOCK=$R_DIR/bird/bird.ctl
		render "$TPL/cli-bird.sh" "$BIN/cli-$R_NAME"
	fi
	chmod 0755 "$BIN/cli-$R_NAME"
	render "$TPL/sshd_config" "$DIR/sshd_config"
	/usr/sbin/sshd -t -f "$DIR/sshd_config" ||
	    die "sshd config check on $R_NAME"
	nsx "$R_NS" /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log" ||
	    die "start sshd on $R_NAME"
}

# check_login: a key login to the router answers in its CLI.
check_login() {
	[ "$R_KIND" = frr ] && set -- "show version" FRRouting ||
	    set -- "show status" "BIRD 2"
	_out=$(ssh -o UserKnownHostsFile="$D/ssh/known_hosts" \
	    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes \
	    -o BatchMode=yes -o ConnectTimeout=10 -o IdentitiesOnly=yes \
	    -i "$D/client/id_ed25519" "$LAB_USER@$R_MGMT4" "$1" 2>&1)
	case $_out in
	*"$2"*) ;;
	*)	printf '%s\n' "$_out" | tail -5 | sed 's/^/lab:   /' >&2
		die "ssh $LAB_USER@$R_MGMT4 '$1' did not answer from the CLI" ;;
	esac
}

write_env() {
	_e=$D/lab.env.new
	{
		echo "# Lorgnette lab facts (generated by tests/lab/lab.sh up)."
		echo "LAB_DIR='$D'"
		echo "LAB_ROUTERS='$(echo $ROUTERS)'"
		echo "LAB_USER='$LAB_USER'"
		echo "LAB_PASSWORD='$LAB_PASSWORD'"
		echo "LAB_VTY_PASSWORD='$VTY_PASSWORD'"
		echo "LAB_ENABLE_PASSWORD='$ENABLE_PASSWORD'"
		echo "LAB_KEY='$D/client/id_ed25519'"
		echo "LAB_KNOWN_HOSTS='$D/ssh/known_hosts'"
		echo "LAB_UPSTREAM_ASN=$UP_ASN"
		echo "LAB_PING4=$UP_ID"
		echo "LAB_PING6=$UP_LO6"
		echo "LAB_TRACE4=$FAR4"
		echo "LAB_TRACE6=$FAR6"
		cat "$D/up/facts.env"
		echo "TABLE_V4=$TABLE_V4"
		echo "TABLE_V6=$TABLE_V6"
		echo "LAB_PREFIXES4=$(expected_count 4)"
		echo "LAB_PREFIXES6=$(expected_count 6)"
		for r in $ROUTERS; do
			router_info "$r"
			R=$(echo "$r" | tr a-z A-Z)
			echo "LAB_${R}_KIND=$R_KIND"
			echo "LAB_${R}_ASN=$R_ASN"
			echo "LAB_${R}_NS=$R_NS"
			echo "LAB_${R}_MGMT4=$R_MGMT4"
			echo "LAB_${R}_MGMT6=$R_MGMT6"
			echo "LAB_${R}_SSH_PORT=22"
			if [ "$R_KIND" = frr ]; then
				echo "LAB_${R}_TELNET_PORT=$BGPD_PORT"
				echo "LAB_${R}_ZEBRA_PORT=$ZEBRA_PORT"
			else
				echo "LAB_${R}_TELNET_PORT="
				echo "LAB_${R}_ZEBRA_PORT="
			fi
			echo "LAB_${R}_UPSTREAM4=$R_UP4"
			echo "LAB_${R}_UPSTREAM6=$R_UP6"
			echo "LAB_${R}_SECOND_UPSTREAM4=$R_ALT_UP4"
			echo "LAB_${R}_SECOND_PREFIXES4=$(split_count "$r")"
			echo "LAB_${R}_LINK4=$R_ME4"
			echo "LAB_${R}_LINK6=$R_ME6"
			echo "LAB_${R}_CMDLOG='$R_CMDLOG'"
		done
	} >"$_e" || die "cannot write lab.env"
	chmod 0600 "$_e"
	mv "$_e" "$D/lab.env"
}

summary() {
	. "$D/lab.env"
	echo "Lorgnette lab is up (facts in $D/lab.env)"
	printf '  %-4s %-5s %-6s %-13s %-18s %-4s %-7s %s\n' \
	    router kind asn mgmt4 mgmt6 ssh telnet prefixes
	for r in $ROUTERS; do
		router_info "$r"
		set -- $(peer_state "$r" 4) $(peer_state "$r" 6)
		[ "$R_KIND" = frr ] && _tel=$BGPD_PORT || _tel=-
		printf '  %-4s %-5s %-6s %-13s %-18s %-4s %-7s v4 %s v6 %s\n' \
		    "$r" "$R_KIND" "$R_ASN" "$R_MGMT4" "$R_MGMT6" 22 "$_tel" \
		    "$2" "$4"
	done
	echo "  ssh user $LAB_USER, password $LAB_PASSWORD, key $LAB_KEY"
	echo "  known_hosts $LAB_KNOWN_HOSTS"
	echo "  FRR vty (telnet $BGPD_PORT bgpd, $ZEBRA_PORT zebra):" \
	    "password $LAB_VTY_PASSWORD, enable $LAB_ENABLE_PASSWORD"
	echo "  routes: $LAB_ROUTE4 $LAB_ROUTE6 (community $LAB_COMMUNITY," \
	    "large $LAB_LARGE_COMMUNITY, path via AS $LAB_ASPATH_AS)"
	echo "  ping $LAB_PING4 / $LAB_PING6, traceroute $LAB_TRACE4 / $LAB_TRACE6"
}

cmd_up() {
	t0=$(now)
	if healthy; then
		say "already up and healthy ($D/lab.env)"
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || die "needs root"
	for b in /usr/lib/frr/zebra /usr/lib/frr/bgpd /usr/bin/vtysh \
	    /usr/sbin/bird /usr/sbin/birdc /usr/sbin/sshd /usr/bin/ssh-keygen \
	    /usr/bin/traceroute /usr/bin/ping /usr/bin/script; do
		[ -x "$b" ] || die "$b is missing (sh tests/deps.sh)"
	done
	if [ -e "$D" ] || ip netns list | grep -q '^lg-' ||
	    ip link show "$BRIDGE" >/dev/null 2>&1; then
		say "found a stale or unhealthy lab, removing it"
		cmd_down >/dev/null
	fi
	mkdir -p "$D" || die "cannot create $D"
	chmod 0755 "$D"
	if [ ! -d /run/sshd ]; then
		mkdir -p /run/sshd && chmod 0755 /run/sshd
		: >"$D/.made-run-sshd"
	fi
	LAB_PASSWORD=$(new_secret)
	VTY_PASSWORD=$(new_secret)
	ENABLE_PASSWORD=$(new_secret)
	setup_user
	setup_keys
	setup_bin
	say "keys and user ready ($(elapsed "$t0")s)"
	setup_network
	say "namespaces and links ready ($(elapsed "$t0")s)"
	start_upstream
	for r in $ROUTERS; do
		router_info "$r"
		"start_$R_KIND"
		start_sshd
	done
	say "daemons started ($(elapsed "$t0")s)"
	for r in $ROUTERS; do
		router_info "$r"
		wait_for 30 "sshd on $r ($R_MGMT4 port 22)" sh -c \
		    "ssh-keyscan -T 2 $R_MGMT4 | grep -q ssh-ed25519"
		wait_for 30 "sshd on $r ($R_MGMT6 port 22)" sh -c \
		    "ssh-keyscan -T 2 $R_MGMT6 | grep -q ssh-ed25519"
		if [ "$R_KIND" = frr ]; then
			wait_for 10 "bgpd vty on $r ($R_MGMT4 port $BGPD_PORT)" \
			    sh -c "ip netns exec $R_NS ss -Hltn | grep -q '$R_MGMT4:$BGPD_PORT '"
		fi
	done
	for r in $ROUTERS; do
		for f in 4 6; do
			wait_for "$CONVERGE" \
			    "$r IPv$f session Established with $(expected_count $f) prefixes" \
			    converged "$r" "$f"
		done
		wait_for "$CONVERGE" \
		    "$r session to the second upstream with $(split_count "$r") prefixes" \
		    split_converged "$r"
		say "$r converged ($(elapsed "$t0")s)"
	done
	for r in $ROUTERS; do
		router_info "$r"
		check_login
	done
	say "ssh key logins land in the router CLIs ($(elapsed "$t0")s)"
	write_env
	say "bring-up took $(elapsed "$t0")s"
	elapsed "$t0" >"$D/bringup-seconds"
	stamp >"$D/stamp"
	summary
}

# kill_pidfile FILE: ends the daemon in FILE if it is still one of ours.
kill_pidfile() {
	pid_alive "$1" && kill "$(head -1 "$1")"
}

cmd_down() {
	if [ -d "$D" ]; then
		for f in $(daemon_pidfiles); do
			kill_pidfile "$f"
		done
	fi
	for ns in $NAMESPACES; do
		ip netns list | grep -q "^$ns\\b" || continue
		# Every process in a lab namespace was started by the lab.
		_pids=$(ip netns pids "$ns")
		[ -n "$_pids" ] && kill $_pids 2>/dev/null
		_i=0
		while [ -n "$(ip netns pids "$ns")" ] && [ $_i -lt 20 ]; do
			sleep 0.25
			_i=$((_i + 1))
		done
		_pids=$(ip netns pids "$ns")
		[ -n "$_pids" ] && kill -9 $_pids 2>/dev/null
		ip netns del "$ns"
	done
	# The management veths go with their namespaces; the bridge stays.
	for l in "$BRIDGE" $(printf 'lgm-%s\n' $ROUTERS); do
		ip link del "$l" 2>/dev/null
	done
	if getent passwd "$LAB_USER" >/dev/null &&
	    [ "$(getent passwd "$LAB_USER" | cut -d: -f5)" = "$LAB_GECOS" ]; then
		userdel "$LAB_USER" 2>/dev/null
		getent group "$LAB_USER" >/dev/null && groupdel "$LAB_USER"
	fi
	if [ -e "$D/.made-run-sshd" ]; then
		rmdir /run/sshd 2>/dev/null
	fi
	rm -rf "$D"
	say "down"
}

cmd_status() {
	if ! [ -s "$D/lab.env" ]; then
		say "not up (no $D/lab.env)"
		ip netns list | grep '^lg-' | sed 's/^/lab: stray namespace /'
		return 1
	fi
	. "$D/lab.env"
	echo "run directory $D, bring-up $(cat "$D/bringup-seconds" 2>/dev/null)s"
	for f in $(daemon_pidfiles); do
		if pid_alive "$f"; then
			_pid=$(head -1 "$f")
			printf '  %-40s pid %-7s rss %s KiB\n' "${f#"$D"/}" "$_pid" \
			    "$(awk '/^VmRSS/ { print $2 }' "/proc/$_pid/status")"
		else
			printf '  %-40s NOT RUNNING\n' "${f#"$D"/}"
		fi
	done
	for r in $ROUTERS; do
		printf '  %s: IPv4 %s, IPv6 %s (expected %s / %s)\n' "$r" \
		    "$(peer_state "$r" 4)" "$(peer_state "$r" 6)" \
		    "$LAB_PREFIXES4" "$LAB_PREFIXES6"
	done
	healthy && say healthy || { say "NOT healthy"; return 1; }
}

case ${1:-} in
up|down|status)
	# One lab command at a time: several test suites may share the lab.
	# The lock is on the run directory's parent, which outlives the lab
	# and is not replaced when the sources are edited.
	mkdir -p "$(dirname "$D")"
	exec 9<"$(dirname "$D")"
	flock -w 900 9 || die "another lab.sh holds the lock"
	"cmd_$1"
	;;
env)
	echo "$D/lab.env"
	;;
*)
	echo "usage: lab.sh up|down|status|env" >&2
	exit 2
	;;
esac
