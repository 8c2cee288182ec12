#!/bin/sh
# Both daemons started with a relative -f path survive a reload (issue
# 24.6): the path is made absolute at start, since a reload runs after
# daemon(3) moved lgwebd to / and under seccomp, which refuses getcwd
# (realpath of a relative path needs it).  lgbrokerd is reloaded by
# SIGHUP and by lgctl, lgwebd by SIGHUP; each must still run, say it
# reloaded, and read the same file (a router added shows up).

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgwebd; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"
command -v curl >/dev/null || skip_all "no curl"

bk_init relpath
PORT=$(bk_free_base 3) || skip_all "no free ports"
bk_fake_start --telnet "tel1=$PORT" \
    --telnet "tel2=$((PORT + 1))" ||
    { fail "the fake routers start" "$(cat "$BK/fake.log")"; done_testing; exit 1; }
# write_conf ROUTERS: the configuration with those router entries.
write_conf() {
	cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
};
web: {
  listen = [ "127.0.0.1:$((PORT + 2))" ];
  www = "$LG_TOP/www";
};
routers = ( $1 );
CONF
}
r1="{ name = \"tel\"; driver = \"cisco-ios\"; transport = \"telnet\";
    host = \"127.0.0.1\"; port = $PORT; credential = \"c\"; sessions = 1; }"
r2="{ name = \"tel2\"; driver = \"cisco-ios\"; transport = \"telnet\";
    host = \"127.0.0.1\"; port = $((PORT + 1)); credential = \"c\"; sessions = 1; }"
write_conf "$r1"

cd "$BK" || exit 1
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
    "$BK_BIN/lgbrokerd" -d -f lorgnette.conf >broker.log 2>&1 &
BK_PID=$!
ok "lgbrokerd -f lorgnette.conf (relative) starts" dm_wait 30 test -S admin.sock
ok "... its router comes up" bk_wait_up -t 30 tel
"$BK_BIN/lgwebd" -d -f lorgnette.conf >web.log 2>&1 &
WEB_PID=$!
ok "lgwebd -f lorgnette.conf (relative) starts" \
    dm_wait 20 curl -sf "http://127.0.0.1:$((PORT + 2))/healthz"

write_conf "$r1, $r2"
kill -HUP "$BK_PID"
ok "lgbrokerd reloads on SIGHUP and reads the same file" bk_wait_up -t 30 tel2
ok "... and still runs" kill -0 "$BK_PID"
like "lgctl reload answers" "$(bk_ctl reload 2>&1)" 'reloaded: 2 routers'
ok "... and lgbrokerd still runs" kill -0 "$BK_PID"

kill -HUP "$WEB_PID"
dm_wait 10 grep -q "configuration reloaded" web.log
ok "lgwebd still runs after SIGHUP" kill -0 "$WEB_PID"
like "... and reloaded the file by its absolute path" "$(cat web.log)" \
    "configuration reloaded from $BK/lorgnette.conf"
routers() { curl -s "http://127.0.0.1:$((PORT + 2))/api/v1/routers"; }
has_tel2() { routers | grep -q tel2; }
dm_wait 20 has_tel2
like "... and serves the new router" "$(routers)" '"tel2"'
dm_stop "$WEB_PID" "lgwebd exits 0 on SIGTERM"
WEB_PID=
cd "$LG_TOP" || exit 1
bk_stop
done_testing
