#!/bin/sh
# Chaos: one daemon dies under the other.
#
# The broker: lgbrokerd is killed with SIGKILL while clients keep asking
# lgwebd for answers.  lgwebd stays up; the queries it cannot serve get
# 503 with Retry-After (no hang, no wrong answer); once a new broker is up
# lgwebd finds it and its routers, and answers again.  The targets are
# 2 s for both (asserted at 5x); tests/bench/bench.py reports the real
# figures.  A broker socket that accepts and hangs up at once, or says
# nothing, is retried at the backoff's pace (never a busy loop, never
# waited on for ever).
#
# The front: lgwebd is killed with SIGKILL while its queries wait on
# hung routers.  The broker survives, drops the queued ones at once,
# abandons the running ones at once too (their sessions are closed and
# opened again, long before the 60 s query deadline), records every one
# as cancelled, loses no router, and serves a new lgwebd.
#
# /metrics, read the way a scraper does: `promtool check metrics` is
# clean, and lg_router_up names every router with its state.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init chaos
BK_CLEANUP_EXTRA='touch "$BK/stop"'
bk_emu_up "$(bk_free_base 40)"
PORT=$(dm_free_port)
URL=http://127.0.0.1:$PORT
HERE=$LG_TOP/tests/ops

cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials
# No cache and no rate limit: every answer comes from a router, now.
cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  audit_log = "$BK/audit.json";
  deadlines = { bgp_route = 60; };
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  rate = { bgp_route = "0"; };
  cache = { bgp_route = 0; };
};
routers = (
  { name = "ios"; driver = "cisco-ios"; transport = "ssh"; host = "127.0.0.1";
    port = $LG_EMU_ios1_SSH; credential = "emu"; sessions = 2; },
  { name = "junos"; driver = "juniper-junos"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_junos1_TELNET; credential = "emu";
    sessions = 2; }
);
EOF

now() { python3 -c 'import time; print("%.3f" % time.monotonic())'; }
secs() { python3 -c "print('%.2f' % ($2 - $1))"; }
under() { python3 -c "import sys; sys.exit(0 if $1 < $2 else 1)"; }
healthy() { curl -fs -o /dev/null "$URL/healthz"; }
# Both routers up in lgwebd's own router list.
listed_up() {
	[ "$(curl -fs "$URL/api/v1/routers" | python3 -c 'import json, sys
print(" ".join(sorted(r["name"] for r in json.load(sys.stdin)["routers"]
    if r["state"] == "up")))' 2>/dev/null)" = "ios junos" ]
}
query_ok() {
	curl -fs "$URL/api/v1/query?router=$1&type=bgp_route&target=1.0.4.0/24" |
	    grep -q '"status":"ok"'
}
emu() { LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl "$@" >/dev/null; }

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its routers come up" bk_wait_up -t 30 ios junos
bk_web_start
ok "lgwebd starts" dm_wait 20 healthy
ok "and lists both routers up" dm_wait 20 listed_up

# --- /metrics for a real scraper ----------------------------------------------
curl -fs "$URL/metrics" >"$BK/metrics"
like "lg_router_up names each router" "$(grep '^lg_router_up' "$BK/metrics" | sort)" \
    '^lg_router_up\{router="ios"\} 1
lg_router_up\{router="junos"\} 1$'
if command -v promtool >/dev/null; then
	out=$(promtool check metrics <"$BK/metrics" 2>&1)
	rc=$?
	is "promtool check metrics is clean" "$rc:$out" "0:"
	ok "promtool check rules accepts the alert rules" promtool check rules \
	    "$LG_TOP/conf/prometheus/lorgnette-alerts.yml"
else
	fail "promtool is installed (apt prometheus; make deps)"
fi

# --- kill -9 lgbrokerd under load ---------------------------------------------
python3 "$HERE/chaos_load.py" "$URL" "$BK/load.jsonl" "$BK/stop" ios junos &
LOAD_PID=$!
ok "the load is answered" dm_wait 20 sh -c \
    "[ \$(grep -c '\"status\": \"ok\"' '$BK/load.jsonl' 2>/dev/null) -ge 8 ]"
t_kill=$(now)
kill -KILL "$BK_PID"
wait "$BK_PID" 2>/dev/null
BK_PID=
# Its sockets stay behind: bk_start must not take them for the new one's.
rm -f "$BK/admin.sock" "$BK/broker.sock"
sleep 1.5
ok "lgwebd survives the broker" kill -0 "$WEB_PID"
hdr=$(curl -s -D - -o "$BK/503.json" \
    "$URL/api/v1/query?router=ios&type=bgp_route&target=1.0.4.0/24")
like "a query while the broker is away gets 503" "$hdr" '^HTTP/1\.1 503'
like "with Retry-After" "$hdr" '[Rr]etry-[Aa]fter: 1'
like "and says why" "$(cat "$BK/503.json")" '"code":"broker_unavailable"'
hdr=$(curl -s -D - -o /dev/null "$URL/healthz")
like "/healthz says 503" "$hdr" '^HTTP/1\.1 503'
like "with Retry-After too" "$hdr" '[Rr]etry-[Aa]fter: 1'

if bk_start; then pass "a new lgbrokerd starts"; else fail "a new lgbrokerd starts" "$(bk_log)"; fi
t_start=$(now)
ok "lgwebd reconnects to it" dm_wait 20 healthy
t_conn=$(now)
ok "the new broker's routers come up" bk_wait_up -t 30 ios junos
t_up=$(now)
ok "lgwebd lists them up" dm_wait 20 listed_up
t_listed=$(now)
ok "and answers queries" dm_wait 20 query_ok ios
reconnect=$(secs "$t_start" "$t_conn")
relist=$(secs "$t_up" "$t_listed")
echo "# reconnect ${reconnect} s after the new broker listens; router list ${relist} s after its routers are up"
ok "lgwebd reconnects within 10 s (target 2 s; took $reconnect s)" under "$reconnect" 10
ok "and shows the routers up within 10 s (target 2 s; took $relist s)" under "$relist" 10
sleep 1
touch "$BK/stop"
wait "$LOAD_PID"
out=$(python3 - "$BK/load.jsonl" "$t_kill" "$t_start" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
kill, start = float(sys.argv[2]), float(sys.argv[3])
bad = [r for r in recs if r["status"] == "ok" and not r.get("right")]
hung = [r for r in recs if r["status"] in ("hang", "refused", "unparsable")]
away = [r for r in recs if r["t"] > kill + 0.2 and r["t"] + r["took"] < start]
odd = [r for r in away if r["http"] == 503 and r.get("retry_after") is None]
wrongerr = [r for r in recs if r["status"] != "ok" and
            r.get("error") != "broker_unavailable"]
after = [r for r in recs if r["t"] > start and r["status"] == "ok"]
print("answers %d" % len(recs))
print("wrong %d" % len(bad))
print("hung %d" % len(hung))
print("away %d (503 %d)" % (len(away), sum(r["http"] == 503 for r in away)))
print("503 without Retry-After %d" % len(odd))
print("other errors %d %s" % (len(wrongerr), wrongerr[:2]))
print("ok after restart %d" % len(after))
EOF
)
echo "$out" | sed 's/^/# /'
like "no wrong answer" "$out" '^wrong 0$'
like "no query hung or went unanswered" "$out" '^hung 0$'
like "queries while the broker was away got 503" "$out" '^away [1-9][0-9]* \(503 [1-9]'
like "every 503 said Retry-After" "$out" '^503 without Retry-After 0$'
like "every error was broker_unavailable" "$out" '^other errors 0 '
like "queries succeed again after the restart" "$out" '^ok after restart [1-9]'

# --- kill -9 lgwebd while its queries wait ------------------------------------
# Both routers hang on the query: two run on each router's two
# sessions, one waits in each router's queue.
emu fault ios1 hang_on "show bgp"
emu fault junos1 hang_on "show route"
# busy [FIELD...]: the sum of those fields over the routers in status.
busy() {
	bk_ctl -j status | python3 -c 'import json, sys
f = sys.argv[1:] or ["sessions_busy", "queue"]
print(sum(r[k] for r in json.load(sys.stdin)["routers"] for k in f))' "$@"
}
q0=$(bk_ctl -j status | python3 -c 'import json, sys
print(sum(r["queries"] for r in json.load(sys.stdin)["routers"]))')
# Distinct targets: identical queries would be coalesced into one.
for r in ios junos; do
	for t in 1.0.4.0/24 1.0.5.0/24 1.0.6.0/24; do
		curl -s -m 60 -o /dev/null \
		    "$URL/api/v1/query?router=$r&type=bgp_route&target=$t" &
	done
done
six_waiting() { [ "$(busy)" -ge 6 ]; }
ok "six queries wait on the hung routers" dm_wait 20 six_waiting
t0=$(now)
kill -KILL "$WEB_PID"
wait "$WEB_PID" 2>/dev/null
WEB_PID=
unqueued() { [ "$(busy queue)" = 0 ]; }
idle() { [ "$(busy)" = 0 ]; }
ok "the broker drops the dead front's queued queries" dm_wait 10 unqueued
dropped=$(secs "$t0" "$(now)")
ok "and frees its sessions" dm_wait 90 idle
freed=$(secs "$t0" "$(now)")
echo "# queue empty ${dropped} s, sessions free ${freed} s after lgwebd died"
ok "the queue at once (within 5 s; took $dropped s)" under "$dropped" 5
ok "the running queries at once, not at the 60 s deadline (within 10 s; took $freed s)" \
    under "$freed" 10
ok "the broker survives the front" kill -0 "$BK_PID"
like "the audit log has them as cancelled" \
    "$(grep -c '"cancelled"' "$BK/audit.json" 2>/dev/null)" '^([6-9]|[1-9][0-9]+)$'
emu clear ios1
emu clear junos1
ok "no router lost: both come up again" bk_wait_up -t 60 ios junos
bk_web_start
ok "a new lgwebd starts" dm_wait 20 healthy
ok "and answers from ios" dm_wait 20 query_ok ios
ok "and from junos" dm_wait 20 query_ok junos
q1=$(bk_ctl -j status | python3 -c 'import json, sys
print(sum(r["queries"] for r in json.load(sys.stdin)["routers"]))')
ok "the broker's query count went on ($q0 before, $q1 after)" [ "$q1" -gt "$q0" ]

# --- broker sockets that are not a broker -------------------------------------
bk_stop
# Accepts and hangs up at once: lgwebd must back off as if refused.
python3 "$HERE/chaos_fakebroker.py" "$BK/broker.sock" close 8 >"$BK/close.t"
out=$(python3 - "$BK/close.t" <<'EOF'
import sys
t = [float(l) for l in open(sys.argv[1])]
gaps = [b - a for a, b in zip(t, t[1:])] or [99]
print("attempts %d maxgap %.2f" % (len(t), max(gaps)))
EOF
)
echo "# a broker that hangs up at once: $out"
n=$(echo "$out" | awk '{ print $2 }')
gap=$(echo "$out" | awk '{ print $4 }')
ok "it is retried, not given up on ($n attempts in 8 s)" [ "$n" -ge 3 ]
ok "without a busy loop (at most 100 attempts in 8 s)" [ "$n" -le 100 ]
ok "and at least every 2.4 s (backoff cap 500 ms; max gap $gap s)" under "$gap" 2.4
# Accepts and says nothing: lgwebd must give up on it and try again.
python3 "$HERE/chaos_fakebroker.py" "$BK/broker.sock" silent 8 >"$BK/silent.t"
n=$(wc -l <"$BK/silent.t")
ok "a broker that never says HELLO is dropped and retried ($n connections in 8 s)" \
    [ "$n" -ge 2 ]

if bk_start; then pass "a real broker again"; else fail "a real broker again" "$(bk_log)"; fi
ok "lgwebd finds it" dm_wait 20 healthy
bk_web_stop
bk_stop
done_testing
