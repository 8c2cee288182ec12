#!/bin/sh
# systemd's notify protocol, without systemd: a NOTIFY_SOCKET datagram
# listener of our own (PID 1 is not systemd here) records what each
# daemon sends, with the sender's pid from SCM_CREDENTIALS, as systemd
# checks it.  For lgbrokerd and lgwebd, each under its full sandbox
# (Landlock and seccomp, in debug mode so a forbidden call is named):
#   - started without -d, the daemon stays in the foreground: the pid we
#     started is the one that sends (NotifyAccess=main);
#   - READY=1 once serving (the broker's admin socket answers, lgwebd's
#     /healthz answers);
#   - WATCHDOG=1 every half WATCHDOG_USEC;
#   - RELOADING=1 then READY=1 around each reload (SIGHUP, and lgctl
#     reload for the broker);
#   - STOPPING=1 on SIGTERM, then a clean exit;
# once with a path socket, as systemd gives, and once with an abstract
# one ("@..."), which Landlock's ABI 6 scoping would otherwise refuse.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"
command -v curl >/dev/null || skip_all "no curl"

bk_init notify
chmod 755 "$BK"
PORT=$(bk_free_base 1)
LISTENER=
BK_CLEANUP_EXTRA='[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null'

# The listener: one line per datagram, "PID<TAB>FIELD|FIELD...".
cat >"$BK/listen.py" <<'EOF'
import os, socket, struct, sys
addr, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
if not addr.startswith("@"):
    os.chmod(addr, 0o777)
open(out + ".ready", "w").close()
size = struct.calcsize("3i")
while True:
    data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(size))
    pid = 0
    for level, kind, body in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("3i", body[:size])[0]
    with open(out, "a") as f:
        f.write("%d\t%s\n" % (pid, data.decode().strip().replace("\n", "|")))
EOF

cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
};
routers = (
  { name = "r1"; driver = "frr"; transport = "telnet"; host = "127.0.0.1";
    port = 9; credential = "c"; }
);
EOF
cat >"$BK/credentials.conf" <<EOF
credentials = { c = { username = "u"; password = "p"; }; };
EOF
chmod 600 "$BK/credentials.conf"
: >"$BK/known_hosts"


# listen ADDRESS: a fresh listener writing $BK/msgs.
listen() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	rm -f "$BK/msgs" "$BK/msgs.ready" "$BK/notify.sock"
	python3 "$BK/listen.py" "$1" "$BK/msgs" 2>"$BK/listen.err" &
	LISTENER=$!
	dm_wait 10 test -e "$BK/msgs.ready" ||
	    fail "the listener starts" "$(cat "$BK/listen.err")"
	: >"$BK/msgs"
}

# states PID: the messages PID sent, watchdog pings left out, one line.
states() {
	awk -F '\t' -v p="$1" '$1 == p && $2 != "WATCHDOG=1" {
	    sub(/\|.*/, "", $2); printf "%s ", $2 }' "$BK/msgs"
}
count() { awk -F '\t' -v p="$1" -v m="$2" '$1 == p && $2 ~ "^" m' "$BK/msgs" | wc -l; }
has() { [ "$(count "$1" "$2")" -ge "$3" ]; }
healthz() { curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; }

# run_daemon NAME: starts it supervised (no -d), pid in $PID.
run_daemon() {
	NOTIFY_SOCKET=$SOCK WATCHDOG_USEC=1000000 LG_SANDBOX_DEBUG=1 \
	    "$BK_BIN/$1" -v -f "$BK/lorgnette.conf" >"$BK/$1.log" 2>&1 &
	PID=$!
}

# stop_daemon NAME KIND PID: SIGTERM, then the exit status and the
# sanitizers.
stop_daemon() {
	dm_stop "$3" "$1 ($2): exits 0 on SIGTERM"
	dm_clean "$1 ($2): no sanitizer or sandbox report" "$BK/$1.log" \
	    'sandbox: forbidden'
}

for SOCK in "$BK/notify.sock" "@lg-notify-$$"; do
	case $SOCK in @*) kind=abstract ;; *) kind=path ;; esac
	listen "$SOCK"

	# --- lgbrokerd ---------------------------------------------------
	run_daemon lgbrokerd
	BPID=$PID
	ok "lgbrokerd ($kind): READY=1 from the pid started (no fork)" \
	    dm_wait 60 has "$BPID" READY=1 1
	ok "lgbrokerd ($kind): the admin socket answers once ready" \
	    bk_ctl routers
	ok "lgbrokerd ($kind): WATCHDOG=1 at least 3 times" \
	    dm_wait 30 has "$BPID" WATCHDOG=1 3
	kill -HUP "$BPID"
	dm_wait 30 has "$BPID" READY=1 2
	out=$(bk_ctl reload 2>&1)
	like "lgbrokerd ($kind): lgctl reload" "$out" '^reloaded: 1 routers'
	dm_wait 30 has "$BPID" READY=1 3
	like "lgbrokerd ($kind): READY after a reload carries its STATUS" \
	    "$(grep -F 'READY=1|STATUS=reloaded: 1 routers' "$BK/msgs")" .

	# --- lgwebd, beside that broker ----------------------------------
	run_daemon lgwebd
	WPID=$PID
	ok "lgwebd ($kind): READY=1 from the pid started (no fork)" \
	    dm_wait 60 has "$WPID" READY=1 1
	ok "lgwebd ($kind): /healthz answers once ready" healthz
	ok "lgwebd ($kind): WATCHDOG=1 at least 3 times" \
	    dm_wait 30 has "$WPID" WATCHDOG=1 3
	kill -HUP "$WPID"
	dm_wait 30 has "$WPID" READY=1 2
	stop_daemon lgwebd "$kind" "$WPID"
	is "lgwebd ($kind): READY, RELOADING, READY, STOPPING" \
	    "$(states "$WPID")" "READY=1 RELOADING=1 READY=1 STOPPING=1 "

	stop_daemon lgbrokerd "$kind" "$BPID"
	is "lgbrokerd ($kind): READY, then RELOADING and READY twice, STOPPING" \
	    "$(states "$BPID")" \
	    "READY=1 RELOADING=1 READY=1 RELOADING=1 READY=1 STOPPING=1 "
	like "lgbrokerd ($kind): RELOADING=1 carries MONOTONIC_USEC" \
	    "$(grep -F 'RELOADING=1' "$BK/msgs" | head -1)" \
	    'RELOADING=1\|MONOTONIC_USEC=[0-9]+$'
	is "nothing came from another pid" \
	    "$(awk -F '\t' -v b="$BPID" -v w="$WPID" '$1 != b && $1 != w' "$BK/msgs")" ""
done

# Without WATCHDOG_USEC there is no ping; without NOTIFY_SOCKET the
# daemon forks as before (covered by the other suites).
SOCK=$BK/notify.sock
listen "$SOCK"
NOTIFY_SOCKET=$SOCK "$BK_BIN/lgbrokerd" -d -f "$BK/lorgnette.conf" \
    >"$BK/lgbrokerd.log" 2>&1 &
PID=$!
dm_wait 60 has "$PID" READY=1 1
sleep 2
is "no WATCHDOG=1 when no watchdog is asked for" "$(count "$PID" WATCHDOG)" 0
stop_daemon lgbrokerd "no watchdog" "$PID"

done_testing
