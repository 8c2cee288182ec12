#!/bin/sh
# Privilege separation and the sandbox on the real daemons: lgbrokerd and
# lgwebd are started as root against the vendor CLI emulator and drop to
# lgbroker and lgweb.  Checked from outside: ids, groups and capabilities
# in /proc, seccomp mode 2 and no_new_privs, resource limits, socket modes
# and who may connect, that lgweb cannot read the credentials file, that
# no credential is in lgwebd's memory or environment (the same scan finds
# them in the broker, so it works), that Landlock holds on the live
# processes (a world-readable file outside their paths cannot be opened),
# that reload still reads replaced files, and, with gdb making a running
# daemon call mkdir(2), that a forbidden system call kills it, or in debug
# mode (LG_SANDBOX_DEBUG=1) is named in its log.  Last, both are started
# as their users already, as systemd's User= does, and must work the same.

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=$(cd "$(dirname "$0")/../.." && pwd)
LG_BUILD=${LG_BUILD:-build/san}
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac

[ "$(id -u)" -eq 0 ] || skip_all "needs root to start the daemons"
for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BIN/$b" ] || skip_all "$BIN/$b not built"
done
for c in curl setpriv useradd; do
	command -v $c >/dev/null 2>&1 || skip_all "$c not installed"
done
# The system's interpreter: the users below must be able to run it.
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "$PY not installed"

T=$(mktemp -d /tmp/lg-privsep.XXXXXX) || exit 1
chmod 755 "$T"
BPID= WPID=
# Two free runs of ports for the emulator, so that runs can overlap.
BASE=$($PY -c '
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    b = random.randrange(20000, 60000, 64)
    if all(free(p) for p in range(b, b + 48)):
        print(b)
        break
')
export LG_EMU_DIR=$T/emu LG_EMU_SSH_BASE=$BASE LG_EMU_TELNET_BASE=$((BASE + 32))

cleanup() {
	for p in $WPID $BPID; do
		kill -TERM "$p" 2>/dev/null && sleep 1 && kill -KILL "$p" 2>/dev/null
	done
	LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

# as USER COMMAND...: runs a command as USER with that user's groups only.
as() {
	u=$1; shift
	setpriv --reuid "$u" --regid "$(id -g "$u")" --init-groups -- "$@"
}

# --- users ---------------------------------------------------------------
ok "users.sh creates lgweb and lgbroker" sh "$LG_TOP/tests/security/users.sh"
ok "users.sh is idempotent" sh "$LG_TOP/tests/security/users.sh"
WEB_UID=$(id -u lgweb) WEB_GID=$(id -g lgweb) BRK_UID=$(id -u lgbroker)
BRK_GID=$(id -g lgbroker)

# --- emulator and configuration -----------------------------------------
if ! LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" start \
    >"$T/emu-start.log" 2>&1; then
	fail "emulator starts" "$(cat "$T/emu-start.log")"
	done_testing
	exit 1
fi
pass "emulator starts"
. "$T/emu/emu.env"

HTTP_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/etc" "$T/run" "$T/log" "$T/weblog" "$T/drivers-elsewhere"
cp -R "$LG_TOP/www" "$T/www"
cp "$LG_TOP"/drivers/*.conf "$T/drivers-elsewhere/"
cp "$LG_EMU_KNOWN_HOSTS" "$T/etc/known_hosts"
echo "world-readable, outside every sandbox path" >"$T/public.txt"
chmod -R a+rX "$T/www" "$T/drivers-elsewhere" "$T/public.txt" "$T/etc"
: >"$T/log/audit.log"
chown lgbroker:lgbroker "$T/log" "$T/log/audit.log"
: >"$T/weblog/access.log"
chown lgweb:lgweb "$T/weblog" "$T/weblog/access.log"

write_credentials() {
	cat >"$T/etc/credentials.new" <<EOF
credentials = {
  lgcred7k = { username = "$LG_EMU_USER"; password = "$LG_EMU_PASS";
          enable = "$LG_EMU_ENABLE"; };
};
EOF
	chmod 600 "$T/etc/credentials.new"
	chown lgbroker:lgbroker "$T/etc/credentials.new"
	# A new inode, as an editor or a configuration manager would make.
	mv "$T/etc/credentials.new" "$T/etc/credentials.conf"
}

# write_config DRIVERS [EXTRA-ROUTER-LINE]: rewritten in place, since
# lgwebd's sandbox holds the file itself (see sandbox_policy.c).
write_config() {
	cat >"$T/etc/lorgnette.new" <<EOF
broker: {
  socket = "$T/run/broker.sock"; admin_socket = "$T/run/admin.sock";
  socket_group = "lgweb"; user = "lgbroker";
  drivers = "$1"; credentials = "$T/etc/credentials.conf";
  known_hosts = "$T/etc/known_hosts"; audit_log = "$T/log/audit.log";
};
web: {
  listen = [ "127.0.0.1:$HTTP_PORT" ]; www = "$T/www"; user = "lgweb";
  access_log = "$T/weblog/access.log";
};
routers = (
  { name = "ios-ssh"; driver = "cisco-ios"; transport = "ssh";
    host = "127.0.0.1"; port = $LG_EMU_ios1_SSH; credential = "lgcred7k"; },
  { name = "ios-tel"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_ios1_TELNET; credential = "lgcred7k"; },
  { name = "junos-ssh"; driver = "juniper-junos"; transport = "ssh";
    host = "127.0.0.1"; port = $LG_EMU_junos1_SSH; credential = "lgcred7k"; },
  { name = "huge-tel"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_huge1_TELNET; credential = "lgcred7k"; }${2:-}
);
EOF
	cat "$T/etc/lorgnette.new" >"$T/etc/lorgnette.conf"
	chmod 644 "$T/etc/lorgnette.conf"
	rm -f "$T/etc/lorgnette.new"
}

write_credentials
write_config "$LG_TOP/drivers"

# The daemons get a clean environment: what is in it is what we put there.
start_broker() {
	env -i PATH=/usr/bin:/bin ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    "$@" "$BIN/lgbrokerd" -d -f "$T/etc/lorgnette.conf" \
	    >>"$T/broker.log" 2>&1 &
	BPID=$!
	i=0
	while [ ! -S "$T/run/admin.sock" ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ -S "$T/run/admin.sock" ]
}

start_web() {
	: >"$T/web.log"
	env -i PATH=/usr/bin:/bin ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
	    "$@" "$BIN/lgwebd" -d -f "$T/etc/lorgnette.conf" \
	    >>"$T/web.log" 2>&1 &
	WPID=$!
	i=0
	until curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" 2>/dev/null |
	    grep -q '"broker":"connected"'; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}

ctl() {
	"$BIN/lgctl" -s "$T/run/admin.sock" -t 30 "$@"
}

wait_up() {
	end=$(( $(date +%s) + 30 ))
	for r in "$@"; do
		until ctl status 2>/dev/null | awk -v r="$r" '$1 == r { print $2 }' |
		    grep -qx up; do
			[ "$(date +%s)" -ge "$end" ] && return 1
			sleep 0.2
		done
	done
}

api() {
	curl -s --max-time 60 "http://127.0.0.1:$HTTP_PORT$1"
}

# started: DESCRIPTION COMMAND...: like ok, but in this shell, so that
# the process ids the start functions set are kept.
started() {
	desc=$1; shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "$(tail -20 "$T/broker.log" "$T/web.log" 2>&1)"
	fi
}
started "lgbrokerd starts as root" start_broker
started "lgwebd starts as root and reaches the broker" start_web
ok "SSH and telnet sessions come up" wait_up ios-ssh ios-tel junos-ssh huge-tel

# --- identities, capabilities, seccomp, limits -------------------------
field() {
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' \
	    "/proc/$1/status"
}
tabs() {
	echo "$1 $1 $1 $1"
}
is "lgbrokerd runs as lgbroker (real, effective, saved, fs)" \
    "$(field "$BPID" Uid)" "$(tabs "$BRK_UID")"
is "lgbrokerd's groups are lgbroker's" "$(field "$BPID" Gid)" \
    "$(tabs "$BRK_GID")"
is "lgwebd runs as lgweb (real, effective, saved, fs)" \
    "$(field "$WPID" Uid)" "$(tabs "$WEB_UID")"
is "lgwebd's group is lgweb" "$(field "$WPID" Gid)" "$(tabs "$WEB_GID")"
is "lgwebd has no supplementary group but lgweb" \
    "$(field "$WPID" Groups)" "$WEB_GID"
for p in "lgbrokerd $BPID" "lgwebd $WPID"; do
	set -- $p
	is "$1 has no capability left" "$(field "$2" CapEff)" \
	    0000000000000000
	is "$1 has no permitted capability" "$(field "$2" CapPrm)" \
	    0000000000000000
	is "$1 is in seccomp filter mode" "$(field "$2" Seccomp)" 2
	is "$1 has no_new_privs" "$(field "$2" NoNewPrivs)" 1
	for t in $(ls "/proc/$2/task"); do
		[ "$(awk '$1 == "Seccomp:" { print $2 }' \
		    "/proc/$2/task/$t/status")" = 2 ] || echo "$t"
	done >"$T/unfiltered"
	is "every thread of $1 is filtered" "$(cat "$T/unfiltered")" ""
done

limit() {
	awk -v k="$2" 'index($0, k) == 1 {
	    sub(k, ""); split($0, f, " +"); print f[2], f[3] }' \
	    "/proc/$1/limits"
}
# The daemons ask for 1280 and 8192; without CAP_SYS_RESOURCE they keep
# a lower hard limit they inherited.
hard=$(ulimit -Hn)
min() {
	if [ "$1" = unlimited ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi
}
n=$(min "$hard" 1280)
is "lgwebd: RLIMIT_NOFILE from web.max_connections" \
    "$(limit "$WPID" "Max open files")" "$n $n"
n=$(min "$hard" 8192)
is "lgbrokerd: RLIMIT_NOFILE sized for the fleet" \
    "$(limit "$BPID" "Max open files")" "$n $n"
for p in "lgbrokerd $BPID" "lgwebd $WPID"; do
	set -- $p
	is "$1: RLIMIT_FSIZE capped" "$(limit "$2" "Max file size")" \
	    "4294967296 4294967296"
	is "$1: no core dumps" "$(limit "$2" "Max core file size")" "0 0"
	like "$1: RLIMIT_NPROC hard and finite" \
	    "$(limit "$2" "Max processes")" '^([0-9]+) \1$'
done

# --- sockets and who may use them --------------------------------------
is "broker socket is 0660 root:lgweb" \
    "$(stat -c '%a %U %G' "$T/run/broker.sock")" "660 root lgweb"
is "admin socket is 0600 root" \
    "$(stat -c '%a %U' "$T/run/admin.sock")" "600 root"
cat >"$T/connect.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
EOF
ok "nobody can run the probe at all (the refusals below are real)" \
    as nobody "$PY" -c 'import socket'
ok "lgweb may connect to the broker socket" \
    as lgweb "$PY" "$T/connect.py" "$T/run/broker.sock"
nok "lgweb may not connect to the admin socket" \
    as lgweb "$PY" "$T/connect.py" "$T/run/admin.sock"
nok "nobody may not connect to the broker socket" \
    as nobody "$PY" "$T/connect.py" "$T/run/broker.sock"
nok "nobody may not connect to the admin socket" \
    as nobody "$PY" "$T/connect.py" "$T/run/admin.sock"
nok "lgbroker may not connect to the admin socket" \
    as lgbroker "$PY" "$T/connect.py" "$T/run/admin.sock"
# With the mode opened up, SO_PEERCRED still keeps others out.
chmod 666 "$T/run/admin.sock"
out=$(as nobody "$BIN/lgctl" -s "$T/run/admin.sock" -t 5 status 2>&1)
i=0
while ! grep -q "admin socket: refused a client (uid $(id -u nobody)" \
    "$T/broker.log" && [ $i -lt 30 ]; do
	sleep 0.1; i=$((i + 1))
done
like "admin socket refuses uid nobody by its peer credentials" \
    "$(cat "$T/broker.log")" "admin socket: refused a client \\(uid $(id -u nobody)"
unlike "nobody got no status" "$out" 'ios-ssh'
chmod 600 "$T/run/admin.sock"

# --- the credentials file -----------------------------------------------
is "credentials file is 0600 lgbroker" \
    "$(stat -c '%a %U' "$T/etc/credentials.conf")" "600 lgbroker"
nok "lgweb cannot read the credentials file" \
    as lgweb cat "$T/etc/credentials.conf"
ok "lgbroker can read it (the check above is not vacuous)" \
    as lgbroker cat "$T/etc/credentials.conf"
cp "$T/etc/credentials.conf" "$T/loose.conf"
chmod 640 "$T/loose.conf"
sed "s|$T/etc/credentials.conf|$T/loose.conf|" "$T/etc/lorgnette.conf" \
    >"$T/loose-lorgnette.conf"
nok "lgbrokerd refuses a credentials file readable by its group" \
    "$BIN/lgbrokerd" -n -f "$T/loose-lorgnette.conf"

# --- normal operation under the sandbox ---------------------------------
out=$(api "/api/v1/query?router=ios-ssh,ios-tel&type=bgp_route&target=1.0.4.0/24")
like "bgp_route through lgwebd over SSH" "$out" \
    '"router":"ios-ssh"[^}]*BGP routing table entry for 1\.0\.4\.0/24'
like "bgp_route through lgwebd over telnet" "$out" \
    '"router":"ios-tel"[^}]*BGP routing table entry for 1\.0\.4\.0/24'
out=$(api "/api/v1/query/stream?router=junos-ssh&type=ping&target=1.1.1.1")
like "ping streams as server-sent events" "$out" 'event: end'
unlike "the ping stream did not fail" "$out" '"status":"error"'
LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault huge1 \
    huge_on "show bgp ipv4 unicast 1.0.4" >/dev/null
n=$(api "/api/v1/query?router=huge-tel&type=bgp_route&target=1.0.4.0/24" |
    wc -c)
like "a large answer (MBs) streams through both daemons" "$n" \
    '^[0-9]{7,}$'
like "static files are served from www" "$(api /)" '<html'
like "metrics are served" "$(api /metrics)" 'lg_'
like "lgctl talks to the broker" "$(ctl query ios-tel route 1.0.4.0/24)" \
    '1\.0\.4\.0'

# --- no credential in lgwebd --------------------------------------------
cat >"$T/memscan.py" <<'EOF'
# memscan.py PID NEEDLE...: prints how many readable mappings of PID hold
# each needle.  Huge reservations (sanitizer shadow) are skipped.
import re, sys
pid, needles = sys.argv[1], [n.encode() for n in sys.argv[2:]]
hits = [0] * len(needles)
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+)", line)
        lo, hi, perm = int(m[1], 16), int(m[2], 16), m[3]
        if perm[0] != "r" or hi - lo > (4 << 30) or "[vvar" in line:
            continue
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except OSError:
            continue
        for i, n in enumerate(needles):
            if n in data:
                hits[i] += 1
print(" ".join(str(h) for h in hits))
EOF
is "lgwebd's memory holds neither the password nor the enable secret" \
    "$($PY "$T/memscan.py" "$WPID" "$LG_EMU_PASS" "$LG_EMU_ENABLE")" "0 0"
like "the same scan finds them in lgbrokerd (the scan works)" \
    "$($PY "$T/memscan.py" "$BPID" "$LG_EMU_PASS" "$LG_EMU_ENABLE")" \
    '^[1-9][0-9]* [1-9]'
# The front knows routers by name only: no credential name, no address.
is "lgwebd's memory holds no credential name" \
    "$($PY "$T/memscan.py" "$WPID" lgcred7k)" "0"
like "the same scan finds the credential name in lgbrokerd" \
    "$($PY "$T/memscan.py" "$BPID" lgcred7k)" '^[1-9]'
env_of() {
	tr '\0' '\n' <"/proc/$1/environ"
}
unlike "lgwebd's environment holds no credential" "$(env_of "$WPID")" \
    "$LG_EMU_PASS|$LG_EMU_ENABLE"
unlike "lgbrokerd's environment holds no credential" "$(env_of "$BPID")" \
    "$LG_EMU_PASS|$LG_EMU_ENABLE"
unlike "lgwebd's configuration names no router address or port" \
    "$(api /api/v1/routers)" "127\\.0\\.0\\.1|$LG_EMU_ios1_SSH"

# --- Landlock on the live processes (gdb makes them call open) ----------
HAVE_GDB=0
command -v gdb >/dev/null 2>&1 && HAVE_GDB=1
LANDLOCK=$($PY -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')

# in_proc PID CALL PATH: makes the process call CALL($s, ...) with $s
# the path, copied into its heap (and freed after, for LeakSanitizer),
# and prints 0 or the errno.
# gdb itself may abort when the process dies under it: that is not news.
in_proc() {
	(ulimit -c 0; gdb -p "$1" -batch -nx \
	    -ex 'handle SIGSYS nostop noprint pass' \
	    -ex "set \$s = (char *)\"$3\"" -ex "set \$r = (int)$2" \
	    -ex 'print $r >= 0 ? 0 : *(int *)__errno_location()' \
	    -ex 'call (void)close($r)' -ex 'call (void)free($s)') 2>/dev/null |
	    sed -n 's/^\$1 = //p' | tail -1
}
# open_in PID PATH: "ok" or the errno of open(PATH, O_RDONLY) in PID.
open_in() {
	r=$(in_proc "$1" 'open($s, 0)' "$2")
	[ "$r" = 0 ] && echo ok || echo "errno $r"
}

if [ "$HAVE_GDB" = 1 ] && [ "$LANDLOCK" -gt 0 ]; then
	ok "lgweb may read the outside file as far as the file mode goes" \
	    as lgweb cat "$T/public.txt"
	is "lgwebd (Landlock) cannot open a world-readable file outside www" \
	    "$(open_in "$WPID" "$T/public.txt")" "errno 13"
	is "lgwebd can open a file in www" \
	    "$(open_in "$WPID" "$T/www/index.html")" ok
	is "lgbrokerd (Landlock) cannot open a world-readable file outside its paths" \
	    "$(open_in "$BPID" "$T/public.txt")" "errno 13"
	is "lgbrokerd can open its configuration" \
	    "$(open_in "$BPID" "$T/etc/lorgnette.conf")" ok
else
	pass "# SKIP Landlock probes need gdb and a kernel with Landlock"
fi

# --- reload under the sandbox --------------------------------------------
write_credentials
write_config "$LG_TOP/drivers" ",
  { name = \"xr-tel\"; driver = \"cisco-iosxr\"; transport = \"telnet\";
    host = \"127.0.0.1\"; port = $LG_EMU_xr1_TELNET; credential = \"lgcred7k\"; }"
like "lgctl reload re-reads replaced config and credentials files" \
    "$(ctl reload 2>&1)" 'reloaded: 5 routers \(1 added'
ok "the router added by the reload comes up" wait_up xr-tel
like "and answers" "$(ctl query xr-tel bgp_route 1.0.4.0/24 2>&1)" \
    '1\.0\.4\.0'
kill -HUP "$WPID"
i=0
while ! grep -q 'configuration reloaded' "$T/web.log" && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
like "lgwebd reloads on SIGHUP under the sandbox" "$(cat "$T/web.log")" \
    'configuration reloaded'
unlike "... reopening its access log" "$(cat "$T/web.log")" \
    'reload: web.access_log'
like "... which answers through lgwebd" \
    "$(api "/api/v1/query?router=xr-tel&type=bgp_route&target=1.0.4.0/24")" \
    '"status":"ok"'
kill -HUP "$BPID"
sleep 1
like "SIGHUP reloads too" "$(tail -3 "$T/broker.log")" 'reloaded: 5 routers'
write_config "$T/drivers-elsewhere"
out=$(ctl reload 2>&1)
if [ "$LANDLOCK" -gt 0 ]; then
	like "drivers moved outside the sandbox paths: reload refused" \
	    "$out" 'Permission denied|cannot|denied'
	unlike "... and the old configuration stays" "$out" '^reloaded'
else
	pass "# SKIP no Landlock"
	pass "# SKIP no Landlock"
fi
write_config "$LG_TOP/drivers"
like "reload back to the real drivers" "$(ctl reload 2>&1)" 'reloaded'

# --- clean shutdown -------------------------------------------------------
stop() {
	kill -TERM "$1"
	wait "$1"
}
stop "$WPID"; rc=$?; WPID=
is "lgwebd exits 0 on SIGTERM" "$rc" 0
stop "$BPID"; rc=$?; BPID=
is "lgbrokerd exits 0 on SIGTERM" "$rc" 0
for d in broker web; do
	unlike "$d: no forbidden call, no sanitizer report" "$(cat "$T/$d.log")" \
	    'forbidden system call|ERROR: [A-Za-z]+Sanitizer|runtime error:'
done

# --- a forbidden system call -----------------------------------------------
# mkdir(2) is on neither allow-list; gdb makes the main thread call it.
if [ "$HAVE_GDB" = 1 ]; then
	started "lgbrokerd starts again" start_broker
	started "lgwebd starts in sandbox debug mode" start_web LG_SANDBOX_DEBUG=1
	like "its log says forbidden calls will be named" "$(cat "$T/web.log")" \
	    'seccomp web \(debug'
	like "and it answers normally" \
	    "$(api "/api/v1/query?router=ios-tel&type=bgp_route&target=1.0.4.0/24")" \
	    '"status":"ok"'
	in_proc "$WPID" 'mkdir($s, 0700)' "$T/forbidden" >/dev/null
	wait "$WPID"; rc=$?; WPID=
	is "debug mode: lgwebd exits with 159 on mkdir(2)" "$rc" 159
	like "debug mode: the call is named in the log" "$(cat "$T/web.log")" \
	    'lgwebd: sandbox: forbidden system call mkdir \([0-9]+\)'
	nok "mkdir(2) did nothing" test -e "$T/forbidden"

	started "lgwebd starts in normal mode" start_web
	in_proc "$WPID" 'mkdir($s, 0700)' "$T/forbidden" >/dev/null
	wait "$WPID"; rc=$?; WPID=
	is "normal mode: lgwebd dies of SIGSYS" "$rc" $((128 + 31))
	unlike "normal mode: nothing is reported, the process just dies" \
	    "$(cat "$T/web.log")" 'forbidden system call'
	in_proc "$BPID" 'mkdir($s, 0700)' "$T/forbidden" >/dev/null
	wait "$BPID"; rc=$?; BPID=
	is "lgbrokerd dies of SIGSYS on mkdir(2) too" "$rc" $((128 + 31))
	nok "mkdir(2) did nothing" test -e "$T/forbidden"
else
	pass "# SKIP gdb not installed: no forbidden call injected"
fi

# --- started as the users already, as a service manager does ------------
# (systemd's User=, with the broker in the front's group for the socket.)
mkdir -p "$T/run2"
chown lgbroker:lgweb "$T/run2"
chmod 750 "$T/run2"
sed "s|$T/run/|$T/run2/|g" "$T/etc/lorgnette.conf" >"$T/etc/service.conf"
chmod 644 "$T/etc/service.conf"
: >"$T/broker.log"
env -i PATH=/usr/bin:/bin ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
    setpriv --reuid lgbroker --regid lgbroker --groups "$WEB_GID" -- \
    "$BIN/lgbrokerd" -d -f "$T/etc/service.conf" >>"$T/broker.log" 2>&1 &
BPID=$!
i=0
while [ ! -S "$T/run2/broker.sock" ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
: >"$T/web.log"
env -i PATH=/usr/bin:/bin ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
    setpriv --reuid lgweb --regid lgweb --init-groups -- \
    "$BIN/lgwebd" -d -f "$T/etc/service.conf" >>"$T/web.log" 2>&1 &
WPID=$!
i=0
until api /healthz | grep -q '"broker":"connected"'; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.1
done
like "started as lgbroker and lgweb: the front reaches the broker" \
    "$(api /healthz)" '"broker":"connected"'
is "lgbrokerd as lgbroker: seccomp filter" "$(field "$BPID" Seccomp)" 2
is "lgwebd as lgweb: seccomp filter" "$(field "$WPID" Seccomp)" 2
is "broker socket is 0660 lgbroker:lgweb" \
    "$(stat -c '%a %U %G' "$T/run2/broker.sock")" "660 lgbroker lgweb"
end=$(( $(date +%s) + 30 ))
until api "/api/v1/query?router=ios-ssh&type=bgp_route&target=1.0.4.0/24" |
    grep -q '"status":"ok"' || [ "$(date +%s)" -ge "$end" ]; do
	sleep 0.5
done
like "and a query over SSH goes through" \
    "$(api "/api/v1/query?router=ios-ssh&type=bgp_route&target=1.0.4.0/24")" \
    '"status":"ok"'
stop "$WPID"; rc=$?; WPID=
is "lgwebd (lgweb) exits 0 on SIGTERM" "$rc" 0
stop "$BPID"; rc=$?; BPID=
is "lgbrokerd (lgbroker) exits 0 on SIGTERM" "$rc" 0
for d in broker web; do
	unlike "$d: no forbidden call, no sanitizer report" "$(cat "$T/$d.log")" \
	    'forbidden system call|ERROR: [A-Za-z]+Sanitizer|runtime error:'
done

done_testing
