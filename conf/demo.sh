#!/bin/sh
# make demo: a running looking glass from a fresh checkout, in the
# foreground, until Ctrl-C.
#
#   1. installs the dependencies (tests/deps.sh) and builds (make);
#   2. brings up the lab (tests/lab/lab.sh: real FRR and BIRD routers in
#      network namespaces, with a generated Internet-like table) and a
#      private vendor CLI emulator (tests/emulator/emu.sh: IOS, IOS-XR,
#      NX-OS, Junos and EOS over SSH and telnet);
#   3. writes a configuration from conf/demo/*.in into the run directory
#      and starts lgbrokerd and lgwebd from the build directory;
#   4. prints the URL and a few queries to try, then waits;
#   5. on Ctrl-C (SIGINT) or SIGTERM stops both daemons and the emulator,
#      takes the lab down if it brought it up, and removes the run
#      directory.
#
# Re-running it is safe: leftovers of a demo that was killed are cleaned
# up first.  A lab that was already up before the demo started (another
# user's tests) is used and left running.
#
# Environment:
#   LG_DEMO_LISTEN    listen addresses, space separated
#                     (default "127.0.0.1:8080 [::1]:8080")
#   LG_DEMO_DIR       run directory (default /run/lorgnette-demo)
#   LG_DEMO_EMU_PORT  first emulator port (default 3801; 10 ports used)
#   LG_DEMO_RTR_PORT  the RTR cache's port (default 3323; its metrics on
#                     the next one)
#   LG_DEMO_NOBUILD=1 skip `make deps` and `make` (the build must exist)
#   LG_DEMO_BUILD     run the programs from this build directory instead
#                     of build/plain (with LG_DEMO_NOBUILD=1)

set -u
umask 022

TOP=$(cd "$(dirname "$0")/.." && pwd)
TPL=$TOP/conf/demo
RUN=${LG_DEMO_DIR:-/run/lorgnette-demo}
LISTEN=${LG_DEMO_LISTEN:-127.0.0.1:8080 [::1]:8080}
EMU_PORT=${LG_DEMO_EMU_PORT:-3801}
RTR_PORT=${LG_DEMO_RTR_PORT:-3323}
BUILD=${LG_DEMO_BUILD:-build/plain}
case $BUILD in /*) BIN=$BUILD ;; *) BIN=$TOP/$BUILD ;; esac
EMU_DIR=$RUN/emu
LAB_ENV=${LG_LAB_DIR:-/run/lorgnette-lab}/lab.env

BROKER_PID=
WEB_PID=
RTR_PID=
STOPPING=0

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: FAILED: %s\n' "$*" >&2; teardown; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

lab() { sh "$TOP/tests/lab/lab.sh" "$@"; }
emu() { LG_EMU_DIR=$EMU_DIR LG_BUILD=$BUILD sh "$TOP/tests/emulator/emu.sh" "$@"; }
lgctl() { "$BIN/lgctl" -s "$RUN/admin.sock" -t 30 "$@"; }

# render TEMPLATE OUTPUT: copies a template, replacing @KEY@ with the
# value of shell variable KEY for every key the template uses.
render() {
	_sed=""
	for _k in $(grep -o '@[A-Z0-9_]*@' "$1" | sort -u | tr -d @); do
		eval "_v=\${$_k?template $1 uses unset $_k}"
		_v=$(printf '%s' "$_v" | sed 's/[|&\\]/\\&/g')
		_sed="$_sed s|@$_k@|$_v|g;"
	done
	sed "$_sed" "$1" >"$2" || die "cannot write $2"
}

# stop_pid PID NAME: SIGTERM, then SIGKILL after 10 seconds.
stop_pid() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		say "$2 did not stop, killing it"
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	return 0
}

# stale_pid FILE WORD: the pid in FILE if that process still runs and
# its command line contains WORD.
stale_pid() {
	[ -s "$1" ] || return 1
	_pid=$(cat "$1")
	[ -r "/proc/$_pid/cmdline" ] || return 1
	tr '\0' ' ' <"/proc/$_pid/cmdline" | grep -q -- "$2" || return 1
	echo "$_pid"
}

# Removes what a demo that did not end cleanly left behind.
clean_stale() {
	[ -d "$RUN" ] || return 0
	if _p=$(stale_pid "$RUN/demo.pid" demo.sh) && [ "$_p" != $$ ]; then
		printf 'demo: another demo is running (pid %s); stop it first\n' \
		    "$_p" >&2
		exit 1
	fi
	say "cleaning up a previous demo in $RUN"
	for _d in lgwebd lgbrokerd; do
		_p=$(stale_pid "$RUN/$_d.pid" "$RUN/lorgnette.conf") &&
		    stop_pid "$_p" "$_d"
	done
	_p=$(stale_pid "$RUN/stayrtr.pid" "$RUN/vrps.json") &&
	    stop_pid "$_p" stayrtr
	emu stop >/dev/null 2>&1
	if [ -e "$RUN/lab-started" ]; then
		LAB_MINE=1
	fi
	rm -rf "$RUN"
}

teardown() {
	[ "$STOPPING" = 1 ] && return
	STOPPING=1
	trap '' INT TERM
	say "stopping"
	stop_pid "$WEB_PID" lgwebd
	stop_pid "$BROKER_PID" lgbrokerd
	stop_pid "$RTR_PID" stayrtr
	emu stop >/dev/null 2>&1
	if [ "${LAB_MINE:-0}" = 1 ]; then
		say "taking the lab down"
		lab down >/dev/null 2>&1 || say "lab.sh down failed"
	elif [ -n "${LAB_MINE:-}" ]; then
		say "leaving the lab up: it was running before the demo"
	fi
	rm -rf "$RUN"
	say "stopped"
}

build() {
	if [ "${LG_DEMO_NOBUILD:-0}" = 1 ]; then
		say "LG_DEMO_NOBUILD=1: using the build in $BIN"
	else
		say "installing dependencies (make deps)"
		make -C "$TOP" --no-print-directory deps || die "make deps"
		say "building (make)"
		make -C "$TOP" --no-print-directory -j"$(nproc)" \
		    progs emulator >"$RUN.build.log" 2>&1 || {
			tail -30 "$RUN.build.log" >&2
			rm -f "$RUN.build.log"
			die "make failed"
		}
		rm -f "$RUN.build.log"
	fi
	for _b in lgbrokerd lgwebd lgctl lgemu; do
		[ -x "$BIN/$_b" ] || die "$BIN/$_b is not built"
	done
}

start_lab() {
	# A lab that is healthy before we start belongs to someone else,
	# unless a previous demo brought it up.
	if [ -z "${LAB_MINE:-}" ]; then
		if lab status >/dev/null 2>&1; then LAB_MINE=0; else LAB_MINE=1; fi
	fi
	[ "$LAB_MINE" = 1 ] && : >"$RUN/lab-started"
	say "bringing up the lab (FRR and BIRD routers, generated table)"
	lab up >"$RUN/lab.log" 2>&1 || {
		tail -20 "$RUN/lab.log" >&2
		die "the lab did not come up"
	}
	[ -s "$LAB_ENV" ] || die "no $LAB_ENV"
	# shellcheck disable=SC1090
	. "$LAB_ENV"
}

# An RTR cache for RPKI origin validation: Debian's stayrtr serving VRPs
# written for the lab's table (tests/broker/lab_rpki.py: a sample of its
# prefixes valid, invalid by origin, invalid by max length, not-found),
# plus the routes to try: 1.0.4.0/24 and 2a00:1450::/32 valid, 9.9.9.0/24
# invalid (its VRP allows a /16 only), 2600:1f00::/32 not-found.
start_rtr() {
	command -v stayrtr >/dev/null 2>&1 || die "stayrtr is not installed (make deps)"
	python3 "$TOP/tests/broker/lab_rpki.py" \
	    --table "$LAB_DIR/up/table.conf" vrps 1 "$RUN/vrps.json" \
	    --extra "1.0.4.0/24,24,65020" --extra "9.9.0.0/16,16,65050" \
	    --extra "2a00:1450::/32,32,65030" || die "cannot write the VRPs"
	say "starting an RTR cache (stayrtr) on 127.0.0.1:$RTR_PORT"
	stayrtr -bind "127.0.0.1:$RTR_PORT" \
	    -metrics.addr "127.0.0.1:$((RTR_PORT + 1))" \
	    -cache "$RUN/vrps.json" -checktime=false >"$RUN/stayrtr.log" 2>&1 &
	RTR_PID=$!
	echo "$RTR_PID" >"$RUN/stayrtr.pid"
}

# Ten consecutive ports from EMU_PORT: SSH then telnet per platform.
start_emulator() {
	_p=$EMU_PORT
	for _v in XR JUNOS IOS EOS NXOS; do
		eval "${_v}_SSH=$_p ${_v}_TEL=$((_p + 1))"
		_p=$((_p + 2))
	done
	EMU_USER=lg
	EMU_PASS=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	EMU_ENABLE=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	mkdir -p "$EMU_DIR" && chmod 0700 "$EMU_DIR"
	render "$TPL/fleet.conf.in" "$EMU_DIR/fleet.conf"
	say "starting the vendor CLI emulator"
	emu start "$EMU_DIR/fleet.conf" >"$RUN/emu.log" 2>&1 || {
		cat "$RUN/emu.log" >&2
		die "the emulator did not start"
	}
}

write_config() {
	LISTEN_LIST=""
	for _l in $LISTEN; do
		LISTEN_LIST="$LISTEN_LIST${LISTEN_LIST:+, }\"$_l\""
	done
	R1_MGMT4=$LAB_R1_MGMT4 R1_TELNET=$LAB_R1_TELNET_PORT
	R2_MGMT6=$LAB_R2_MGMT6 R3_MGMT4=$LAB_R3_MGMT4
	LISTEN=$LISTEN_LIST
	render "$TPL/lorgnette.conf.in" "$RUN/lorgnette.conf"
	(umask 077 && render "$TPL/credentials.conf.in" \
	    "$RUN/credentials.conf")
	chmod 0600 "$RUN/credentials.conf"
	cat "$LAB_KNOWN_HOSTS" "$EMU_DIR/known_hosts" >"$RUN/known_hosts" ||
	    die "known_hosts"
	"$BIN/lgbrokerd" -n -f "$RUN/lorgnette.conf" >"$RUN/check.log" 2>&1 || {
		cat "$RUN/check.log" >&2
		die "the generated configuration does not load"
	}
}

# wait_until SECONDS COMMAND...: retries COMMAND until it succeeds;
# returns 1 after SECONDS.
wait_until() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

alive() { kill -0 "$1" 2>/dev/null; }
web_up() { alive "$WEB_PID" && curl -fsS -o /dev/null "$URL/healthz"; }
# router_rows: the rows of lgctl status's router table, which ends at the
# first empty line (the RPKI caches' table follows it).
router_rows() {
	lgctl status 2>/dev/null | awk 'NR > 1 && NF == 0 { exit } NR > 1'
}
routers_up() {
	_rows=$(router_rows)
	[ -n "$_rows" ] && [ -z "$(printf '%s\n' "$_rows" | awk '$2 != "up"')" ]
}

start_daemons() {
	say "starting lgbrokerd"
	"$BIN/lgbrokerd" -d -f "$RUN/lorgnette.conf" >"$RUN/lgbrokerd.log" 2>&1 &
	BROKER_PID=$!
	echo "$BROKER_PID" >"$RUN/lgbrokerd.pid"
	if ! wait_until 10 test -S "$RUN/admin.sock" || ! alive "$BROKER_PID"; then
		cat "$RUN/lgbrokerd.log" >&2
		die "lgbrokerd did not start"
	fi
	say "starting lgwebd"
	"$BIN/lgwebd" -d -f "$RUN/lorgnette.conf" >"$RUN/lgwebd.log" 2>&1 &
	WEB_PID=$!
	echo "$WEB_PID" >"$RUN/lgwebd.pid"
	_first=${LISTEN_FIRST#\"}
	URL="http://${_first%\"}"
	if ! wait_until 10 web_up; then
		cat "$RUN/lgwebd.log" >&2
		die "lgwebd is not answering on $URL"
	fi
	say "waiting for every router's session"
	if ! wait_until 60 routers_up; then
		say "not every router is up yet:"
		router_rows | awk '$2 != "up"'
	fi
}

banner() {
	cat <<EOF

  Lorgnette looking glass demo is running (ready in ${1}s):

      $URL/

  Routers ($(lgctl routers | awk 'NR > 1' | wc -l)), sessions:
$(lgctl status | sed 's/^/      /')

  Try:
      $URL/?router=tyo1,tyo2,sin1,sin2&type=bgp_route&target=$LAB_SPLIT4
      (a comparison: sin1 alone sees $LAB_SPLIT4 through another upstream)
      curl '$URL/api/v1/routers'
      curl '$URL/api/v1/query?router=tyo1&type=bgp_route&target=$LAB_ROUTE4'
      curl '$URL/api/v1/query?router=sin2,fra1&type=bgp_route&target=$LAB_ROUTE6_ADDR'
      curl -N '$URL/api/v1/query/stream?router=tyo1&type=traceroute&target=$LAB_TRACE4'
      curl '$URL/.well-known/looking-glass/v1/show/bgp/summary?router=ams1'
      curl '$URL/metrics'
      $BIN/lgctl -s $RUN/admin.sock query tyo1,tyo2,sin1 bgp_route $LAB_ROUTE4
      $BIN/lgctl -s $RUN/admin.sock status
      curl -s '$URL/api/v1/query?router=tyo1&type=bgp_route&target=9.9.9.0/24' | grep -o '"rpki[^,]*,[^,]*'

  Configuration, credentials and logs (audit.log, access.log,
  lgbrokerd.log, lgwebd.log) are in $RUN.
  Press Ctrl-C to stop; everything is torn down.

EOF
}

main() {
	[ "$(id -u)" -eq 0 ] || {
		echo "demo: needs root (sudo make demo): it installs packages" \
		    "and creates network namespaces" >&2
		exit 1
	}
	t0=$(now)
	clean_stale
	mkdir -p "$(dirname "$RUN")"
	# Ctrl-C is how a demo ends: a clean teardown is a success.
	trap 'teardown; exit 0' INT
	trap 'teardown; exit 143' TERM
	build
	mkdir -p "$RUN" && chmod 0700 "$RUN"
	echo $$ >"$RUN/demo.pid"
	t1=$(now)
	start_lab
	start_rtr
	start_emulator
	write_config
	LISTEN_FIRST=$(echo "$LISTEN_LIST" | cut -d, -f1 | tr -d ' ')
	start_daemons
	banner "$(elapsed "$t1")"
	say "build took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s, start-up $(elapsed "$t1")s"
	while alive "$BROKER_PID" && alive "$WEB_PID"; do
		sleep 1
	done
	alive "$BROKER_PID" || { say "lgbrokerd exited:"; tail -5 "$RUN/lgbrokerd.log"; }
	alive "$WEB_PID" || { say "lgwebd exited:"; tail -5 "$RUN/lgwebd.log"; }
	teardown
	exit 1
}

main "$@"
