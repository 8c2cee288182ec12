#!/bin/sh
# What a process of lgctl does before its query leaves (issue 12.5): an
# operator pays for it on every command.  lgctl links no library its
# commands do not use (the stores' are lgctl-store's, test_lgctl_store.sh
# checks them); it reads no time zone (nothing it prints is in
# local time); it reads the configuration once, for broker.admin_socket
# alone, and an absolute admin_socket needs no realpath of the file's
# directory; and it looks the user up once, however many routers the
# query names.  Its cost is measured by make bench (tests/bench/README.md,
# measurement 1); this test holds the structure that the figure rests on.
# A stand-in for the broker takes HELLO and the queries, then closes.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LG_BUILD=${LG_BUILD:-build/san}
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac

[ -x "$BIN/lgctl" ] || skip_all "$BIN/lgctl not built (make)"
command -v readelf >/dev/null || skip_all "readelf is missing (binutils)"
command -v strace >/dev/null || skip_all "strace is missing (make deps)"
command -v python3 >/dev/null || skip_all "no python3"

T=$(mktemp -d /tmp/lg-ctlstart.XXXXXX)
FAKE=
trap '[ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null; rm -rf "$T"' EXIT

# The sanitizers' own runtimes are not lgctl's choice.
needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
	    grep -Ev '^lib(a|ub|l|t|hwa)san\.so'
}
is "lgctl needs jansson, libconfig, PCRE2 and libc alone" \
    "$(needed "$BIN/lgctl" | sort | tr '\n' ' ')" \
    "libc.so.6 libconfig.so.9 libjansson.so.4 libpcre2-8.so.0 "

# The stand-in: HELLO and three QUERY frames (u16 type, u16 flags, u32
# length, u32 id), then it closes; 30 s at most.
python3 - "$T/admin.sock" >"$T/fake.log" 2>&1 <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
s.settimeout(30)
c, _ = s.accept()
c.settimeout(30)
buf, frames = b"", 0
try:
    while frames < 4:
        data = c.recv(65536)
        if not data:
            break
        buf += data
        while len(buf) >= 12:
            n = 12 + struct.unpack(">HHII", buf[:12])[2]
            if len(buf) < n:
                break
            buf, frames = buf[n:], frames + 1
except socket.timeout:
    pass
print("frames", frames)
c.close()
PY
FAKE=$!
dm_wait 30 test -S "$T/admin.sock"

# An absolute admin_socket, in a file named by its absolute path.
printf 'broker: { admin_socket = "%s/admin.sock"; };\n' "$T" \
    >"$T/lorgnette.conf"
# LeakSanitizer cannot run under ptrace; leaks are the other suites' job.
ASAN_OPTIONS=detect_leaks=0 strace -f -o "$T/trace" \
    -e trace=openat,open,readlink,getcwd \
    "$BIN/lgctl" -f "$T/lorgnette.conf" -t 30 query r1,r2,r3 bgp_route \
    192.0.2.0/24 >"$T/out" 2>&1
rc=$?
wait "$FAKE"
FAKE=
is "the stand-in got HELLO and three queries" "$(cat "$T/fake.log")" \
    "frames 4"
is "lgctl exits 3 when the broker closes before answering" "$rc" 3
TRACE=$(grep -v ENOENT "$T/trace")
unlike "lgctl loads no store library" \
    "$TRACE" 'lib(sqlite3|hiredis|nettle)\.so'
unlike "lgctl reads no time zone" "$TRACE" 'localtime|zoneinfo'
is "lgctl reads its configuration once" \
    "$(grep -c "\"$T/lorgnette.conf\"" "$T/trace")" 1
unlike "an absolute admin_socket: no realpath of the file's directory" \
    "$TRACE" "readlink\\(\"$T\"|getcwd"
is "the passwd database is read once for three routers" \
    "$(grep -c '"/etc/passwd"' "$T/trace")" 1

done_testing
