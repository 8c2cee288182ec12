#!/bin/sh
# Scale (DESIGN.md section 9): one lgbrokerd holding 1,000 routers with a
# warm session each, over telnet and then over SSH, against the
# emulator, all up within 30 s, with the memory per warm session within
# 64 KiB (telnet) and 256 KiB (SSH), and still answering at once.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

# Memory is measured on the optimised build when there is one: with the
# sanitizers, their redzones, quarantine and shadow would be measured.
if [ -x "$LG_TOP/build/plain/lgbrokerd" ] && [ -x "$LG_TOP/build/plain/lgctl" ] &&
    [ -x "$LG_TOP/build/plain/lgemu" ]; then
	LG_BUILD=build/plain
	BK_BIN=$LG_TOP/build/plain
fi
for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
echo "# binaries from $BK_BIN"
SANITIZED=
grep -q __asan_init "$BK_BIN/lgbrokerd" 2>/dev/null && SANITIZED=1
[ "$(ulimit -n)" -ge 4096 ] || ulimit -n 8192 2>/dev/null ||
    skip_all "needs 4096 descriptors"

bk_init scale
PORTS=$(bk_free_base 100) || skip_all "no free ports"
bk_emu_up "$PORTS" 50

bk_emu_credentials

# n transport: n routers spread over the clean IOS-like platforms.
routers() {
	i=0
	while [ $i -lt "$1" ]; do
		case $((i % 5)) in
		0) e=ios1 d=cisco-ios ;; 1) e=xr1 d=cisco-iosxr ;;
		2) e=nxos1 d=cisco-nxos ;; 3) e=junos1 d=juniper-junos ;;
		4) e=eos1 d=arista-eos ;;
		esac
		eval "port=\$LG_EMU_${e}_$(echo "$2" | tr a-z A-Z)"
		[ $i -gt 0 ] && echo ","
		printf '  { name = "%s%d"; driver = "%s"; transport = "%s"; host = "127.0.0.1"; port = %s; credential = "emu"; sessions = 1; }' \
		    "$3" "$i" "$d" "$2" "$port"
		i=$((i + 1))
	done
}

conf() {
	cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
  connect_timeout = 30;
};
routers = (
$1
);
CONF
}

count_up() {
	bk_ctl status 2>/dev/null | awk '$2 == "up"' | wc -l
}

# run N TRANSPORT PREFIX: starts a broker (left running) with N routers
# and waits for them; sets UP, SECS and RSS (KiB).
run() {
	conf "$(routers "$1" "$2" "$3")"
	bk_start || return 1
	t0=$(date +%s)
	while [ "$(count_up)" -lt "$1" ] && [ $(( $(date +%s) - t0 )) -lt 60 ]; do
		sleep 0.5
	done
	SECS=$(( $(date +%s) - t0 ))
	UP=$(count_up)
	sleep 1
	RSS=$(awk '/^VmRSS/ { print $2 }' "/proc/$BK_PID/status")
}

# per TRANSPORT PREFIX LIMIT: memory of 1000 sessions less that of one.
per() {
	run 1 "$1" "$2"
	one=$RSS
	bk_stop
	run 1000 "$1" "$2"
	is "1000 $1 routers up" "$UP" 1000
	if [ "$SECS" -le 30 ]; then
		pass "$1: all up within 30 s ($SECS s)"
	else
		fail "$1: all up within 30 s" "$SECS s"
	fi
	b=$(( (RSS - one) * 1024 / 999 ))
	if [ -n "$SANITIZED" ]; then
		pass "$1: memory per session # SKIP sanitizer build ($b bytes measured)"
	elif [ "$b" -le "$3" ]; then
		pass "$1: $b bytes per warm session (RSS $one -> $RSS KiB)"
	else
		fail "$1: at most $3 bytes per warm session" "$b bytes ($one -> $RSS KiB)"
	fi
	out=$(bk_ctl query "${2}0,${2}500,${2}999" bgp_summary 2>&1)
	like "$1: still answering with 1000 sessions open" "$out" "${2}999\|"
	bk_stop
}

per telnet t 65536
per ssh s 262144

done_testing
