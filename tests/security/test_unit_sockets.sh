#!/bin/sh
# The Unix sockets lgwebd can reach under its systemd unit (issue 24 item
# 8).  Its seccomp filter allows connect() and Landlock does not cover
# pathname sockets, so the unit's TemporaryFileSystem= and
# BindReadOnlyPaths= lines decide.  No systemd is needed: the lines are
# read from conf/systemd/lgwebd.service and applied the way systemd
# applies them (bind what is kept aside, mount the tmpfs, bind it back
# read-only) in a private mount namespace, over a private /run that holds
# a broker socket directory, a syslog socket and a decoy socket standing
# for D-Bus and the like.  A probe then connects to each.

. "$(dirname "$0")/../lib/tap.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
UNIT=$LG_TOP/conf/systemd/lgwebd.service

[ "$(id -u)" -eq 0 ] || skip_all "mount namespaces need root"
command -v unshare >/dev/null || skip_all "unshare not installed (util-linux)"
command -v python3 >/dev/null || skip_all "python3 not installed"

tmpfs=$(sed -n 's/^TemporaryFileSystem=//p' "$UNIT")
binds=$(sed -n 's/^BindReadOnlyPaths=//p' "$UNIT")
is "lgwebd.service mounts an empty read-only /run" "$tmpfs" "/run:ro"
like "and binds the broker's socket directory back" "$binds" '(^| )/run/lorgnette( |$)'

W=$(mktemp -d /tmp/lg-unitsock.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM

# The probe: each path, "ok" when connect() succeeds, else the errno name.
cat >"$W/probe.py" <<'PY'
import errno, socket, sys
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(p)
        print(p, "ok")
    except OSError as e:
        print(p, errno.errorcode.get(e.errno, e.errno))
    finally:
        s.close()
PY
# Listens on each path given until killed.
cat >"$W/listen.py" <<'PY'
import os, signal, socket, sys, time
ss = []
for p in sys.argv[1:]:
    os.makedirs(os.path.dirname(p), exist_ok=True)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(p)
    os.chmod(p, 0o666)
    s.listen(16)
    ss.append(s)
open(sys.argv[1] + ".ready", "w").close()
signal.pause()
PY

# Everything below runs in a private mount namespace with its own /run:
# the host's /run is never touched.  The unit's view is a second,
# nested namespace built from its two lines.
cat >"$W/inside.sh" <<EOF
set -e
mount --make-rprivate /
mount -t tmpfs tmpfs /run
python3 "$W/listen.py" /run/lorgnette/broker.sock \
    /run/systemd/journal/dev-log /run/dbus/system_bus_socket &
L=\$!
while [ ! -e /run/lorgnette/broker.sock.ready ]; do sleep 0.05; done
echo "== host view"
python3 "$W/probe.py" /run/lorgnette/broker.sock \
    /run/systemd/journal/dev-log /run/dbus/system_bus_socket
echo "== unit view"
unshare -m sh -c '
	set -e
	mkdir -p "$W/keep"
	n=0
	for b in $binds; do
		src=\${b#-}
		[ -e "\$src" ] || { [ "\$src" != "\$b" ] && continue; exit 3; }
		n=\$((n + 1))
		if [ -d "\$src" ]; then mkdir "$W/keep/\$n"; else touch "$W/keep/\$n"; fi
		mount --bind "\$src" "$W/keep/\$n"
	done
	mount -t tmpfs -o mode=0755 tmpfs "${tmpfs%%:*}"
	n=0
	for b in $binds; do
		src=\${b#-}
		[ -e "$W/keep/\$((n + 1))" ] || continue
		n=\$((n + 1))
		if [ -d "$W/keep/\$n" ]; then mkdir -p "\$src"; else
			mkdir -p "\$(dirname "\$src")"; touch "\$src"; fi
		mount --bind "$W/keep/\$n" "\$src"
		mount -o remount,bind,ro "\$src"
	done
	case "$tmpfs" in *:ro) mount -o remount,ro "${tmpfs%%:*}" ;; esac
	python3 "$W/probe.py" /run/lorgnette/broker.sock \
	    /run/systemd/journal/dev-log /run/dbus/system_bus_socket
	touch /run/lorgnette/x 2>/dev/null && echo "/run/lorgnette writable" || true
'
kill \$L
EOF
out=$(unshare -m sh "$W/inside.sh" 2>&1)
printf '%s\n' "$out" | sed 's/^/# /'
host=$(printf '%s\n' "$out" | sed -n '/^== host view/,/^== unit view/p')
unit=$(printf '%s\n' "$out" | sed -n '/^== unit view/,$p')
like "outside the unit's view the decoy answers (the probe works)" "$host" \
    '/run/dbus/system_bus_socket ok'
like "lgwebd reaches the broker's socket through the read-only bind" "$unit" \
    '/run/lorgnette/broker.sock ok'
like "and syslog (/dev/log)" "$unit" '/run/systemd/journal/dev-log ok'
like "but no other runtime socket" "$unit" '/run/dbus/system_bus_socket ENOENT'
unlike "and cannot create anything in /run/lorgnette" "$unit" 'writable'

done_testing
