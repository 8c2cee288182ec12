#!/bin/sh
# The installed tree run the way the systemd units run it: make install,
# then lgbrokerd as user lgbroker and lgwebd as user lgweb (setpriv, as
# User= does), with the units' own ExecStart= command lines, with the starting
# configuration pointed at the vendor CLI emulator.  Checks that the
# socket modes and groups let lgweb reach the broker and nobody else reach
# the admin socket, that the ExecReload command (lgctl reload as lgbroker)
# works and refuses a broken configuration, and that queries flow end to
# end into both logs.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$LG_TOP" || exit 1

[ "$(id -u)" -eq 0 ] || skip_all "needs root (users, setpriv)"
for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "build/plain/$b" ] || skip_all "build/plain/$b not built (make)"
done
for c in setpriv curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

T=$(mktemp -d /tmp/lg-prod.XXXXXX)
chmod 0755 "$T"
P=$T/prefix
ETC=$P/etc/lorgnette
RUN=$T/run
B=$(bk_free_base 40)
export LG_EMU_DIR=$T/emu LG_EMU_SSH_BASE=$B LG_EMU_TELNET_BASE=$((B + 20))

cleanup() {
	for f in "$RUN/lgwebd.pid" "$RUN/lgbrokerd.pid"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	pkill -f "$ETC/lorgnette.conf" 2>/dev/null
	[ -s "$T/listeners.pid" ] && kill $(cat "$T/listeners.pid") 2>/dev/null
	LG_BUILD=build/plain sh tests/emulator/emu.sh stop >/dev/null 2>&1
	sleep 0.5
	rm -rf "$T"
}
trap cleanup EXIT

ok "make install PREFIX=... SYSCONFDIR=..." \
    make --no-print-directory -s install PREFIX="$P/usr" SYSCONFDIR="$P/etc"
ok "the emulator starts" env LG_BUILD=build/plain sh tests/emulator/emu.sh start
. "$LG_EMU_DIR/emu.env"

# What systemd would create: RuntimeDirectory=lorgnette (lgbroker, 0755)
# and the two LogsDirectory= (one per user, 0750).
install -d -o lgbroker -g lgbroker -m 0755 "$RUN"
install -d -o lgbroker -g lgbroker -m 0750 "$T/log/broker"
install -d -o lgweb -g lgweb -m 0750 "$T/log/web"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT

# The starting configuration, edited as an operator would: sockets and
# logs in the test's directories, one router (the emulated IOS), its
# login and its host keys.
conf=$ETC/lorgnette.conf
python3 - "$conf" "$RUN" "$T/log" "$PORT" "$LG_EMU_ios1_SSH" <<'EOF'
import re, sys
path, run, log, port, emu = sys.argv[1:]
s = open(path).read()
s = s.replace('"/run/lorgnette/', '"%s/' % run)
s = s.replace('"/var/log/lorgnette/', '"%s/' % log)
s = re.sub(r'listen  = \[.*?\];', 'listen = [ "127.0.0.1:%s" ];' % port, s)
s = re.sub(r'\nrouters = \(.*', '''
routers = (
  { name = "edge1"; location = "Frankfurt"; group = "Europe";
    driver = "cisco-ios"; host = "127.0.0.1"; port = %s;
    credential = "core"; sessions = 1; }
);
''' % emu, s, flags=re.S)
open(path, "w").write(s)
EOF
cat >"$ETC/credentials.conf" <<EOF
credentials = {
  core = { username = "$LG_EMU_USER"; password = "$LG_EMU_PASS";
           enable = "$LG_EMU_ENABLE"; };
};
EOF
cp "$LG_EMU_KNOWN_HOSTS" "$ETC/known_hosts"
is "the credentials file is still lgbroker's, mode 0600" \
    "$(stat -c '%U %a' "$ETC/credentials.conf")" "lgbroker 600"

as() { _u=$1; shift; setpriv --reuid="$_u" --regid="$_u" --init-groups "$@"; }

out=$(as lgbroker "$P/usr/sbin/lgbrokerd" -n -f "$conf" 2>&1)
is "ExecStartPre: lgbrokerd -n as lgbroker" "$out" "configuration OK"
# As the units run them: their ExecStart= command line, as their users.
unit_cmd() {
	sed -n 's/^ExecStart=//p' "$P/usr/lib/systemd/system/$1.service"
}
unit_type() {
	sed -n 's/^Type=//p' "$P/usr/lib/systemd/system/$1.service"
}
# notify_listen UNIT: a datagram socket for UNIT's sd_notify messages,
# each written to $T/UNIT.notify.log as a line.
notify_listen() {
	python3 -u -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a") as log:
    while True:
        for m in s.recv(4096).decode(errors="replace").split("\n"):
            print(m, file=log, flush=True)
' "$RUN/$1.notify" "$T/$1.notify.log" &
	echo $! >>"$T/listeners.pid"
	i=0
	until [ -S "$RUN/$1.notify" ] || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# start UNIT USER: runs ExecStart= as USER; a forking daemon's parent
# must exit 0, a foreground one keeps running.
start() {
	_cmd=$(unit_cmd "$1")
	[ "$_cmd" = "$(echo "$_cmd" | sed "s|$conf||")" ] &&
	    fail "$1.service ExecStart names the installed configuration"
	if [ "$(unit_type "$1")" = forking ]; then
		# shellcheck disable=SC2086
		as "$2" $_cmd >"$T/$1.out" 2>&1
		is "$1 (Type=forking) as $2: the parent exits 0" "$?" 0
		pgrep -f "^$_cmd\$" | head -1 >"$RUN/$1.pid"
	elif [ "$(unit_type "$1")" = notify ]; then
		# As systemd does: NOTIFY_SOCKET set, the started process is the
		# daemon and says READY=1 on that socket.  setpriv and env exec,
		# so $! is the daemon (the shell function as() would fork).
		notify_listen "$1"
		# shellcheck disable=SC2086
		setpriv --reuid="$2" --regid="$2" --init-groups \
		    env NOTIFY_SOCKET="$RUN/$1.notify" $_cmd \
		    >"$T/$1.out" 2>&1 &
		echo $! >"$RUN/$1.pid"
		i=0
		until grep -q '^READY=1' "$T/$1.notify.log" 2>/dev/null ||
		    [ $i -ge 200 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		ok "$1 (Type=notify) says READY=1" \
		    grep -q '^READY=1' "$T/$1.notify.log"
	else
		# shellcheck disable=SC2086
		setpriv --reuid="$2" --regid="$2" --init-groups $_cmd \
		    >"$T/$1.out" 2>&1 &
		echo $! >"$RUN/$1.pid"
		sleep 0.5
	fi
	ok "$1 runs as $2" sh -c "[ \"\$(stat -c %U /proc/$(cat "$RUN/$1.pid"))\" = $2 ]"
}
start lgbrokerd lgbroker
if [ "$(unit_type lgbrokerd)" = forking ]; then
	ok "its sockets exist when the parent has exited (readiness)" \
	    test -S "$RUN/broker.sock" -a -S "$RUN/admin.sock"
else
	i=0
	until [ -S "$RUN/admin.sock" ] || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ok "lgbrokerd binds its sockets" \
	    test -S "$RUN/broker.sock" -a -S "$RUN/admin.sock"
fi
is "broker.sock: lgbroker, group lgweb, 0660" \
    "$(stat -c '%U %G %a' "$RUN/broker.sock")" "lgbroker lgweb 660"
is "admin.sock: lgbroker, 0600" \
    "$(stat -c '%U %a' "$RUN/admin.sock")" "lgbroker 600"

out=$(as lgweb "$P/usr/sbin/lgwebd" -n -f "$conf" 2>&1)
is "ExecStartPre: lgwebd -n as lgweb" "$out" "configuration OK"
start lgwebd lgweb
i=0
until curl -fs -o /dev/null "$URL/healthz" || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if curl -fs -o /dev/null "$URL/healthz"; then
	pass "lgwebd (as lgweb) reaches the broker through group lgweb"
else
	fail "lgwebd (as lgweb) reaches the broker through group lgweb" \
	    "$(cat "$T/lgwebd.out")" "$(cat "$T/lgbrokerd.out")"
fi
i=0
until curl -fs "$URL/api/v1/routers" | grep -q '"state":"up"' || [ $i -ge 150 ]; do
	sleep 0.2
	i=$((i + 1))
done
out=$(curl -s "$URL/api/v1/query?router=edge1&type=bgp_route&target=1.0.4.0/24")
like "a query flows through both daemons to the router" "$out" \
    '"status":"ok"'
like "and answers with the route" "$out" 'BGP routing table entry for 1\.0\.4\.0/24'
sleep 0.3
like "lgbroker wrote the audit log in its logs directory" \
    "$(stat -c %U "$T/log/broker/audit.log" 2>&1):$(cat "$T/log/broker/audit.log" 2>&1)" \
    '^lgbroker:.*"router":"edge1"'
like "lgweb wrote the access log in its logs directory" \
    "$(stat -c %U "$T/log/web/access.log" 2>&1):$(cat "$T/log/web/access.log" 2>&1)" \
    '^lgweb:.*"router":"edge1"'

# ExecReload=lgctl -f CONF reload, run as the unit's user.
out=$(as lgbroker "$P/usr/sbin/lgctl" -f "$conf" reload 2>&1)
is "ExecReload (lgctl reload as lgbroker) works" "$out" \
    "reloaded: 1 routers (0 added, 0 removed, 0 changed)"
out=$(as lgweb "$P/usr/sbin/lgctl" -f "$conf" status 2>&1)
rc=$?
is "lgweb cannot use the admin socket (exit 3)" "$rc" 3
cp "$conf" "$T/good.conf"
echo 'routers = ();' >>"$conf"
out=$(as lgbroker "$P/usr/sbin/lgctl" -f "$conf" reload 2>&1)
rc=$?
like "ExecReload with a broken configuration fails (systemctl reload fails)" "$rc" '^[13]$'
like "naming file:line" "$out" "lorgnette\\.conf:[0-9]+:"
cp "$T/good.conf" "$conf"
out=$(curl -s "$URL/api/v1/query?router=edge1&type=bgp_route&target=1.0.4.0/24")
like "the old configuration stays in force" "$out" 'BGP routing table entry'

# A router added, then both units' ExecReload: lgctl reload as lgbroker,
# SIGHUP to lgwebd (as root, like systemd's kill).
sed "s|^routers = (|routers = (\\
  { name = \"edge2\"; driver = \"cisco-iosxr\"; host = \"127.0.0.1\";\\
    port = $LG_EMU_xr1_SSH; credential = \"core\"; sessions = 1; },|" \
    "$T/good.conf" >"$conf"
out=$(as lgbroker "$P/usr/sbin/lgctl" -f "$conf" reload 2>&1)
is "lgbrokerd's ExecReload adds the router" "$out" \
    "reloaded: 2 routers (1 added, 0 removed, 0 changed)"
kill -HUP "$(cat "$RUN/lgwebd.pid")"
i=0
until curl -s "$URL/api/v1/query?router=edge2&type=bgp_route&target=1.0.4.0/24" |
    grep -q '"status":"ok"' || [ $i -ge 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
like "after lgwebd's ExecReload (SIGHUP) it serves the new router" \
    "$(curl -s "$URL/api/v1/query?router=edge2&type=bgp_route&target=1.0.4.0/24")" \
    '"router":"edge2".*"status":"ok"'

for d in lgwebd lgbrokerd; do
	pid=$(cat "$RUN/$d.pid")
	kill -TERM "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	nok "$d stops on SIGTERM" kill -0 "$pid"
done
ok "make uninstall" make --no-print-directory -s uninstall \
    PREFIX="$P/usr" SYSCONFDIR="$P/etc"
done_testing
