#!/bin/sh
# A query that waits in a router's queue across a reload keeps the driver
# it was rendered with.  Its parser points into that driver's rules; the
# reload gives the router a new generation, and once the session that ran
# the query before it ends, nothing else holds the old one.  The soak
# found lgbrokerd reading the freed rules there (heap-use-after-free, the
# broker gone).  hang1 (the emulator's IOS that hangs on 1.0.4) runs one
# session: the first query (bgp_route, 4 s) hangs there until its
# deadline, the second (route, 120 s) waits behind it through a reload,
# then runs on a new session and must come back parsed, with the broker
# still up and clean.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"

bk_init reloadq
bk_emu_up "$(bk_free_base 40)"
cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials
cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  deadlines = { bgp_route = $(bk_secs 4); route = 120; };
};
routers = (
  { name = "hang"; driver = "cisco-ios"; transport = "ssh"; host = "127.0.0.1";
    port = $LG_EMU_hang1_SSH; credential = "emu"; sessions = 1; }
);
EOF

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "hang comes up" bk_wait_up -t 30 hang
# field NAME: the router's value of that field in lgctl status.
field() {
	bk_ctl -j status | python3 -c 'import json, sys
print(json.load(sys.stdin)["routers"][0][sys.argv[1]])' "$1"
}
bk_ctl query hang bgp_route 1.0.4.0/24 >"$BK/first.out" 2>&1 &
first=$!
busy() { [ "$(field sessions_busy)" = 1 ]; }
ok "the first query hangs on the one session" dm_wait 20 busy
bk_ctl -j query hang route 1.0.5.0/24 >"$BK/second.json" 2>&1 &
second=$!
queued() { [ "$(field queue)" = 1 ]; }
ok "the second waits in the queue" dm_wait 20 queued
like "a reload is taken meanwhile" "$(bk_ctl reload 2>&1)" 'reloaded: 1 routers'
wait "$second"
like "the queued query is answered after the reload" "$(cat "$BK/second.json")" \
    '"status": *"ok"'
like "with its parsed form, from the rules it was made with" \
    "$(cat "$BK/second.json")" '"parsed": *\{'
ok "lgbrokerd is still running" kill -0 "$BK_PID"
wait "$first"
bk_stop
done_testing
