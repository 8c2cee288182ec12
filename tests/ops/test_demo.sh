#!/bin/sh
# make demo, driven as a user would: conf/demo.sh in its own session, the
# routers listed by the JSON API, real answers from the lab routers, then
# Ctrl-C (SIGINT to the process group) and a check that everything it
# started is gone.  A second run after the demo was killed with SIGKILL
# proves that re-running cleans up what was left behind.
#
# The demo runs from build/plain (what `make demo` builds) on its own
# port, run directory and emulator ports, so it does not disturb a demo
# or other tests on the default ones.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$LG_TOP/build/plain
PORT=${LG_DEMO_TEST_PORT:-18080}
RUN=/run/lorgnette-demo-test
URL=http://127.0.0.1:$PORT
LOG=$(mktemp /tmp/lg-demo-test.XXXXXX)
DEMO_PID=

[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces)"
for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BIN/$b" ] || skip_all "$BIN/$b not built (make)"
done
command -v curl >/dev/null || skip_all "no curl"

cleanup() {
	if [ -n "$DEMO_PID" ] && kill -0 "$DEMO_PID" 2>/dev/null; then
		stop_demo TERM
	fi
	rm -f "$LOG"
}
trap cleanup EXIT

# The lab is shared with other suites: a lab that is up before the demo
# must still be up after it; one the demo brought up must be gone.
if sh "$LG_TOP/tests/lab/lab.sh" status >/dev/null 2>&1; then
	LAB_BEFORE=1
else
	LAB_BEFORE=0
fi

# start_demo: runs conf/demo.sh in a new session (its own process group,
# as in a terminal) and waits until it prints its banner.  A background
# command of a script starts with SIGINT ignored, and a shell cannot trap
# a signal ignored on entry: the wrapper restores the default first, as
# a terminal's foreground job has it.
start_demo() {
	: >"$LOG"
	LG_DEMO_NOBUILD=1 LG_DEMO_DIR=$RUN LG_DEMO_EMU_PORT=$(bk_free_base 10) \
	    LG_DEMO_RTR_PORT=$(bk_free_base 2) \
	    LG_DEMO_LISTEN="127.0.0.1:$PORT [::1]:$PORT" \
	    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp("sh", ["sh", sys.argv[1]])' "$LG_TOP/conf/demo.sh" \
	    >"$LOG" 2>&1 </dev/null &
	DEMO_PID=$!
	_end=$(($(date +%s) + 400))
	until grep -q 'Lorgnette looking glass demo is running' "$LOG"; do
		if ! kill -0 "$DEMO_PID" 2>/dev/null ||
		    [ "$(date +%s)" -ge "$_end" ]; then
			return 1
		fi
		sleep 0.5
	done
}

# stop_demo SIGNAL: signals the demo's process group and waits for the
# demo to exit; its exit status is left in $RC.
stop_demo() {
	kill "-$1" "-$DEMO_PID" 2>/dev/null
	_i=0
	while kill -0 "$DEMO_PID" 2>/dev/null && [ $_i -lt 600 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	wait "$DEMO_PID"
	RC=$?
	DEMO_PID=
}

leftovers() {
	pgrep -af "$RUN"
	[ -e "$RUN" ] && echo "$RUN exists"
	ss -Hltn "sport = :$PORT" | grep -q . && echo "port $PORT still listens"
	true
}

if ! start_demo; then
	fail "the demo comes up" "$(tail -40 "$LOG")"
	done_testing
	exit 1
fi
pass "the demo comes up and prints its banner"
like "it prints the URL" "$(cat "$LOG")" "http://127\\.0\\.0\\.1:$PORT/"
like "it prints example queries" "$(cat "$LOG")" "curl '$URL/api/v1/query\\?"
. /run/lorgnette-lab/lab.env
like "it prints a comparison to open" "$(cat "$LOG")" \
    "$URL/\\?router=tyo1,tyo2,sin1,sin2&type=bgp_route&target=$LAB_SPLIT4"

# The wait for the sessions ends when every router is up, not at its
# bound: lgctl status's RPKI table below the routers is not a router.
unlike "every router was up before the banner" "$(cat "$LOG")" \
    'not every router is up yet'
is "the credentials file is mode 0600" \
    "$(stat -c %a "$RUN/credentials.conf")" 600
out=$("$BIN/lgbrokerd" -n -f "$RUN/lorgnette.conf" 2>&1)
is "the generated configuration checks clean" "$out" "configuration OK"

# lgwebd learns router states from the broker shortly after they change.
summary() {
	curl -fsS "$URL/api/v1/routers" | python3 -c '
import json, sys
r = json.load(sys.stdin)["routers"]
print(len(r))
print(" ".join(sorted(x["name"] for x in r)))
print(" ".join(sorted(set(x["group"] for x in r))))
print(len(set(x["location"] for x in r)))
print(len(set(x["vendor"] for x in r)))
print(" ".join(sorted(x["name"] for x in r if x["state"] != "up")))
'
}
i=0
while sum=$(summary) && [ -n "$(printf '%s\n' "$sum" | sed -n 6p)" ] &&
    [ $i -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
set -- $(printf '%s\n' "$sum" | sed -n 1p)
DEMO_ROUTERS=15
is "/api/v1/routers lists $DEMO_ROUTERS routers" "$1" $DEMO_ROUTERS
is "every PoP's routers are listed" "$(printf '%s\n' "$sum" | sed -n 2p)" \
    "ams1 ams2 fra1 fra2 iad1 iad2 lg1 lon1 lon2 nyc1 nyc2 sin1 sin2 tyo1 tyo2"
is "grouped in three regions and the looking-glass host" \
    "$(printf '%s\n' "$sum" | sed -n 3p)" \
    "Asia Europe Looking-glass host North America"
is "eight locations" "$(printf '%s\n' "$sum" | sed -n 4p)" 8
is "nine platforms (FRR twice: vtysh and bgpd's vty; this host)" "$(printf '%s\n' "$sum" | sed -n 5p)" 9
is "every router is up" "$(printf '%s\n' "$sum" | sed -n 6p)" ""

q() { curl -sS "$URL/api/v1/query?router=$1&type=$2&target=$3"; }
for r in tyo1 tyo2 sin1 sin2; do
	out=$(q "$r" bgp_route "$LAB_ROUTE4")
	like "$r (lab) answers bgp_route $LAB_ROUTE4" "$out" '"status":"ok"'
	like "$r: with the lab's AS path" "$out" "$LAB_ROUTE4_PATH"
done

# Route facts: the demo's stayrtr, AS names and community descriptions.
facts() {
	q tyo1 bgp_route "$1" | python3 -c 'import json, sys
p = json.load(sys.stdin)["results"][0]["parsed"]["prefixes"][0]["paths"][0]
print(p.get("rpki"), p.get("rpki_reason"),
      (p.get("as_names") or {}).get("64500"),
      (p.get("community_descriptions") or {}).get("65000:100"))'
}
i=0
until [ "$(facts "$LAB_ROUTE4" | cut -d' ' -f1)" = valid ] || [ $i -ge 30 ]; do
	sleep 1
	i=$((i + 1))
done
like "$LAB_ROUTE4: RPKI valid, AS names, community descriptions" \
    "$(facts "$LAB_ROUTE4")" \
    "^valid None DEMO-UPSTREAM Lorgnette lab upstream Learned from a customer"
like "$LAB_ROUTE4_B: RPKI invalid by max length" "$(facts "$LAB_ROUTE4_B")" \
    "^invalid max_length "
like "$LAB_ROUTE6_B: RPKI not-found" "$(facts "$LAB_ROUTE6_B")" "^not-found None "
for r in fra1 fra2 ams1 ams2 lon1 lon2 nyc1 nyc2 iad1 iad2; do
	like "$r (emulated) answers bgp_route" "$(q "$r" bgp_route 1.0.4.0/24)" \
	    '"status":"ok"'
done
out=$(q lg1 ping "$LAB_R1_MGMT4")
like "the demo machine itself pings a lab router" "$out" '"received":5'
out=$(q lg1 mtr "$LAB_R1_MGMT4")
like "and runs mtr to it" "$out" '"kind":"mtr"'
out=$(q tyo1 traceroute "$LAB_TRACE4")
like "traceroute to a lab address is allowed" "$out" '"status":"ok"'
like "and reaches it" "$out" " $LAB_TRACE4 +[0-9.]+ ms"
like "documentation ranges stay forbidden" "$(q tyo1 traceroute 192.0.2.1)" \
    'forbidden'
like "the audit log records the queries" "$(cat "$RUN/audit.log")" \
    '"router":"tyo1"'

# The compare view in Chromium as a visitor meets it (tests/browser/
# demo.mjs): the demo's AS names and descriptions, ping and traceroute
# side by side.  Skipped without node, chromium or playwright-core
# (tests/browser/test_browser.sh installs it).
BROWSER=$LG_TOP/tests/browser
if command -v node >/dev/null && [ -x "${LG_CHROMIUM:-/usr/bin/chromium}" ] &&
    [ -d "$BROWSER/node_modules/playwright-core" ]; then
	_out=$(mktemp /tmp/lg-demo-browser.XXXXXX)
	LG_URL=$URL LG_SHOTS=$BROWSER/screenshots LAB_SPLIT4=$LAB_SPLIT4 \
	    LAB_SPLIT4_ALT_PATH=$LAB_SPLIT4_ALT_PATH LAB_PING4=$LAB_PING4 \
	    LAB_TRACE4=$LAB_TRACE4 node "$BROWSER/demo.mjs" >"$_out" 2>"$_out.err"
	relay "$_out" $? "$_out.err"
	rm -f "$_out" "$_out.err"
else
	pass "# SKIP the compare view in a browser: no node, chromium or playwright-core"
fi

stop_demo INT
is "Ctrl-C ends the demo cleanly (exit 0)" "$RC" 0
like "it says it stopped" "$(tail -3 "$LOG")" 'demo: stopped'
is "nothing is left running (daemons, emulator, run directory, port)" \
    "$(leftovers)" ""
if [ "$LAB_BEFORE" = 1 ]; then
	ok "the lab that was up before is still up" \
	    sh "$LG_TOP/tests/lab/lab.sh" status
else
	is "the lab it brought up is gone (no lg- namespaces)" \
	    "$(ip netns list | grep '^lg-')" ""
fi

# A demo killed outright leaves its daemons behind; the next run must
# clean them up and start anyway.
if start_demo; then pass "second run comes up"; else fail "second run comes up" "$(tail -20 "$LOG")"; fi
old=$(cat "$RUN/lgbrokerd.pid" 2>/dev/null)
kill -KILL "$DEMO_PID"
wait "$DEMO_PID" 2>/dev/null
DEMO_PID=
ok "after SIGKILL its lgbrokerd is still there" kill -0 "$old"
if start_demo; then
	pass "a run after SIGKILL comes up"
else
	fail "a run after SIGKILL comes up" "$(tail -20 "$LOG")"
fi
like "it cleaned up the previous demo" "$(cat "$LOG")" \
    'cleaning up a previous demo'
nok "the old lgbrokerd is gone" kill -0 "$old"
is "the new demo serves every router" \
    "$(curl -fsS "$URL/api/v1/routers" | python3 -c \
    'import json,sys; print(len(json.load(sys.stdin)["routers"]))')" $DEMO_ROUTERS
stop_demo TERM
is "SIGTERM ends it too (exit 143)" "$RC" 143
is "nothing is left running after the second run" "$(leftovers)" ""
if [ "$LAB_BEFORE" = 1 ]; then
	ok "the lab that was up before is still up" \
	    sh "$LG_TOP/tests/lab/lab.sh" status
else
	is "the lab is gone again" "$(ip netns list | grep '^lg-')" ""
fi
done_testing
