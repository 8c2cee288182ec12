#!/bin/sh
# The installed tree run the way the systemd units run it: make install,
# then lgbrokerd as user lgbroker and lgwebd as user lgweb (setpriv, as
# User= does), in the foreground as ExecStart= has them, with the starting
# configuration pointed at the vendor CLI emulator.  Checks that the
# socket modes and groups let lgweb reach the broker and nobody else reach
# the admin socket, that the ExecReload command (lgctl reload as lgbroker)
# works and refuses a broken configuration, and that queries flow end to
# end into both logs.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

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
B=$(ops_free_base 40)
export LG_EMU_DIR=$T/emu LG_EMU_SSH_BASE=$B LG_EMU_TELNET_BASE=$((B + 20))

cleanup() {
	for f in "$RUN/lgwebd.pid" "$RUN/lgbrokerd.pid"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	pkill -f "$ETC/lorgnette.conf" 2>/dev/null
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
# As the units run them: in the foreground (-d), as their users.
as lgbroker "$P/usr/sbin/lgbrokerd" -d -f "$conf" >"$T/broker.log" 2>&1 &
echo $! >"$RUN/lgbrokerd.pid"
i=0
until [ -S "$RUN/admin.sock" ] || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ok "lgbrokerd runs as lgbroker and binds its sockets" \
    test -S "$RUN/broker.sock" -a -S "$RUN/admin.sock"
is "broker.sock: lgbroker, group lgweb, 0660" \
    "$(stat -c '%U %G %a' "$RUN/broker.sock")" "lgbroker lgweb 660"
is "admin.sock: lgbroker, 0600" \
    "$(stat -c '%U %a' "$RUN/admin.sock")" "lgbroker 600"

out=$(as lgweb "$P/usr/sbin/lgwebd" -n -f "$conf" 2>&1)
is "ExecStartPre: lgwebd -n as lgweb" "$out" "configuration OK"
as lgweb "$P/usr/sbin/lgwebd" -d -f "$conf" >"$T/web.log" 2>&1 &
echo $! >"$RUN/lgwebd.pid"
i=0
until curl -fs -o /dev/null "$URL/healthz" || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if curl -fs -o /dev/null "$URL/healthz"; then
	pass "lgwebd (as lgweb) reaches the broker through group lgweb"
else
	fail "lgwebd (as lgweb) reaches the broker through group lgweb" \
	    "$(cat "$T/web.log")" "$(cat "$T/broker.log")"
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
