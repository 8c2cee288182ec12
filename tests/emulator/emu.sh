#!/bin/sh
# Starts, stops and reports on the vendor CLI emulator (lgemu) for the tests.
#
#   emu.sh start [fleet.conf]   host keys, default fleet (unless given), start,
#                               wait until every port listens, write emu.env
#   emu.sh stop                 stop it (SIGTERM) and remove the run directory
#   emu.sh status               running or not, with the control "stats" line
#   emu.sh ctl COMMAND...       one control-socket command (see README.md)
#
# Environment: LG_EMU_DIR (run directory, default /run/lorgnette-emu),
# LG_BUILD (where lgemu is; else build/san, then build/plain),
# LG_EMU_SSH_BASE / LG_EMU_TELNET_BASE (default 2201 / 2301).
# The run directory holds emu.env (sourceable: names, ports, credentials,
# platforms, known_hosts path, audit directory), fleet.conf, host keys,
# known_hosts, audit/<router>.log, lgemu.ctl, lgemu.pid and lgemu.log.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${LG_EMU_DIR:-/run/lorgnette-emu}
SSH_BASE=${LG_EMU_SSH_BASE:-2201}
TEL_BASE=${LG_EMU_TELNET_BASE:-2301}
USER_NAME=lg
USER_PASS=lg-secret
ENABLE_PASS=lg-enable

find_lgemu() {
	for b in ${LG_BUILD:+"$LG_BUILD"} build/san build/plain; do
		case $b in /*) p=$b/lgemu ;; *) p=$TOP/$b/lgemu ;; esac
		if [ -x "$p" ]; then echo "$p"; return 0; fi
	done
	echo "emu.sh: lgemu not built (make emulator)" >&2
	return 1
}

# name platform faults: one router of the default fleet per line.
FLEET="
ios1 ios
xr1 iosxr
nxos1 nxos
junos1 junos
eos1 eos
slow1 ios slow_output=\"48/20\";
drop1 ios drop_after_commands=3;
dropmid1 ios drop_mid_output=true;
hang1 ios hang_on=\"show bgp ipv4 unicast 1.0.4\";
huge1 ios huge_output_mb=20;
banner1 ios prompt_in_banner=true;
ansi1 ios ansi_noise=true;stray_cr=true;
slowlogin1 ios slow_login_ms=1500;
delay1 ios response_delay_ms=200;
jbanner1 junos prompt_in_banner=true;
"

write_fleet() {
	i=0
	{
		echo "# Default emulator fleet, written by emu.sh."
		echo "emulator: {"
		echo "  fixtures = \"$TOP/tests/emulator/fixtures\";"
		echo "  audit = \"$DIR/audit\";"
		echo "  control = \"$DIR/lgemu.ctl\";"
		echo "  host_keys = [ \"$DIR/ssh_host_ed25519_key\", \"$DIR/ssh_host_rsa_key\" ];"
		echo "};"
		echo "routers = ("
		echo "$FLEET" | while read -r name plat faults; do
			[ -n "$name" ] || continue
			[ $i -gt 0 ] && echo ","
			echo "  { name = \"$name\"; platform = \"$plat\"; hostname = \"$name\";"
			echo "    listen = \"127.0.0.1\"; ssh_port = $((SSH_BASE + i)); telnet_port = $((TEL_BASE + i));"
			echo "    username = \"$USER_NAME\"; password = \"$USER_PASS\"; enable_password = \"$ENABLE_PASS\";"
			echo "    faults = { $(echo "$faults" | sed 's/;\([a-z]\)/; \1/g') }; }"
			i=$((i + 1))
		done
		echo ");"
	} >"$DIR/fleet.conf"
}

# Lists "name platform ssh telnet hostname" for each router of a fleet file.
routers_of() {
	tr -d '\n' <"$1" | sed 's/}[[:space:]]*[,)]/}\n/g' | grep 'name *=' |
	    sed -n 's/.*name *= *"\([^"]*\)".*platform *= *"\([^"]*\)".*/\1 \2/p' |
	    while read -r name plat; do
		blk=$(tr -d '\n' <"$1" | sed 's/}[[:space:]]*[,)]/}\n/g' | grep "name *= *\"$name\"")
		ssh=$(echo "$blk" | sed -n 's/.*ssh_port *= *\([0-9]*\).*/\1/p')
		tel=$(echo "$blk" | sed -n 's/.*telnet_port *= *\([0-9]*\).*/\1/p')
		host=$(echo "$blk" | sed -n 's/.*hostname *= *"\([^"]*\)".*/\1/p')
		echo "$name $plat ${ssh:-0} ${tel:-0} ${host:-$name}"
	done
}

write_env() {
	conf=$1
	pub_ed=$(cut -d' ' -f1,2 "$DIR/ssh_host_ed25519_key.pub")
	pub_rsa=$(cut -d' ' -f1,2 "$DIR/ssh_host_rsa_key.pub")
	: >"$DIR/known_hosts"
	names=""
	{
		echo "# Written by emu.sh start; source it."
		echo "LG_EMU_DIR='$DIR'"
		echo "LG_EMU_PID='$(cat "$DIR/lgemu.pid")'"
		echo "LG_EMU_BIN='$LGEMU'"
		echo "LG_EMU_CTL='$DIR/lgemu.ctl'"
		echo "LG_EMU_AUDIT='$DIR/audit'"
		echo "LG_EMU_KNOWN_HOSTS='$DIR/known_hosts'"
		echo "LG_EMU_FLEET='$conf'"
		echo "LG_EMU_USER='$USER_NAME'"
		echo "LG_EMU_PASS='$USER_PASS'"
		echo "LG_EMU_ENABLE='$ENABLE_PASS'"
		routers_of "$conf" | while read -r name plat ssh tel host; do
			echo "LG_EMU_${name}_PLATFORM='$plat'"
			echo "LG_EMU_${name}_SSH='$ssh'"
			echo "LG_EMU_${name}_TELNET='$tel'"
			echo "LG_EMU_${name}_HOSTNAME='$host'"
			if [ "$ssh" != 0 ]; then
				echo "[127.0.0.1]:$ssh $pub_ed" >>"$DIR/known_hosts"
				echo "[127.0.0.1]:$ssh $pub_rsa" >>"$DIR/known_hosts"
			fi
		done
		echo "LG_EMU_ROUTERS='$(routers_of "$conf" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')'"
	} >"$DIR/emu.env"
}

running() {
	[ -f "$DIR/lgemu.pid" ] && kill -0 "$(cat "$DIR/lgemu.pid")" 2>/dev/null
}

do_stop() {
	if running; then
		pid=$(cat "$DIR/lgemu.pid")
		kill -TERM "$pid"
		n=0
		while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do
			sleep 0.1; n=$((n + 1))
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	fi
	case $DIR in /run/*|/tmp/*) rm -rf "$DIR" ;; *) rm -f "$DIR/emu.env" ;; esac
}

do_start() {
	LGEMU=$(find_lgemu) || exit 1
	running && do_stop
	mkdir -p "$DIR/audit" || exit 1
	chmod 700 "$DIR"
	for t in ed25519 rsa; do
		[ -f "$DIR/ssh_host_${t}_key" ] ||
		    ssh-keygen -q -t $t -N '' -f "$DIR/ssh_host_${t}_key" || exit 1
	done
	conf=${1:-}
	if [ -z "$conf" ]; then
		write_fleet
		conf=$DIR/fleet.conf
	fi
	"$LGEMU" -d -f "$conf" -p "$DIR/lgemu.pid" -c "$DIR/lgemu.ctl" \
	    -a "$DIR/audit" >"$DIR/lgemu.log" 2>&1 </dev/null &
	n=0
	# The control socket answers only once every port listens.
	until "$LGEMU" -C "$DIR/lgemu.ctl" stats >/dev/null 2>&1; do
		n=$((n + 1))
		if [ $n -gt 300 ] || ! kill -0 $! 2>/dev/null; then
			echo "emu.sh: lgemu did not start:" >&2
			tail -20 "$DIR/lgemu.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	write_env "$conf"
	echo "emu.sh: lgemu running (pid $(cat "$DIR/lgemu.pid")), env in $DIR/emu.env"
}

case ${1:-} in
start) shift; do_start "$@" ;;
stop) do_stop ;;
status)
	if running; then
		LGEMU=$(find_lgemu) || exit 1
		echo "running pid $(cat "$DIR/lgemu.pid"): $("$LGEMU" -C "$DIR/lgemu.ctl" stats)"
	else
		echo "not running"; exit 1
	fi ;;
ctl)
	shift
	LGEMU=$(find_lgemu) || exit 1
	exec "$LGEMU" -C "$DIR/lgemu.ctl" "$@" ;;
*) echo "usage: emu.sh start [fleet.conf] | stop | status | ctl COMMAND..." >&2; exit 2 ;;
esac
