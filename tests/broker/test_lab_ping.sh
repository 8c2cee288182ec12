#!/bin/sh
# ping on FRR (vtysh over SSH) through lgbrokerd, against the lab's real
# routers.  vtysh's "ping WORD" runs the system ping without a count; the
# driver's interrupt key has the broker end it as a terminal user does,
# with Ctrl-C once the driver's count of replies came, or at its time
# bound.  The lab's login shell bounds ping itself (5 packets, 10 s, see
# cli-frr.sh), so the driver here counts 3 replies and bounds at 3 s: an
# answer of exactly 3 packets, or one that ends well before 10 s, is the
# broker's doing.  A second driver, frrbound (r1key), waits for more
# replies than the lab's ping sends and bounds at 2 s: its answer ends at
# the bound, before the lab's 5 packets.
#   - r1 and r2 to the far host (IPv4, and IPv6 on r1): sent = received =
#     3 in the parsed answer, ping's statistics in the output;
#   - r1key (frrbound) to the far host: interrupted at the bound, with
#     fewer packets than the lab's 5;
#   - r1 to a routed address nobody answers (the upstream says "network
#     unreachable", which ends the lab's bounded ping at once): the answer
#     ends, all lost;
#   - the session stays usable: bgp_route right after on the same warm
#     session answers with the route;
#   - the command shown is the rendered one, the audit log has each query
#     with its target as validated, and the router's own session record
#     holds no other ping line than those.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
bk_lab_up

bk_init labping
mkdir "$BK/drivers"
cp "$LG_TOP"/drivers/*.conf "$BK/drivers/"
sed -i -e 's/^ping_count = .*/ping_count = 3;/' \
    -e 's/^\(	within = \).*/\13;/' "$BK/drivers/frr.conf"
sed -e 's/^name = "frr";/name = "frrbound";/' \
    -e 's/^\(	within = \).*/\12;/' \
    -e 's/^\(	match = .*\)/\1\n	count = 100;/' drivers/frr.conf \
    >"$BK/drivers/frrbound.conf"
bk_lab_config
# r1's session record (script --log-in: the bytes typed) from here on.
LOG=${LAB_R1_CMDLOG%% *}
LOG0=$(( $(wc -c <"$LOG") + 1 ))
sed -i -e "s|^  drivers = .*|  drivers = \"$BK/drivers\";|" \
    -e '/name = "r1key"/s/driver = "frr"/driver = "frrbound"/' \
    -e 's/^  deadlines = {/  deadlines = { ping = '"$(bk_secs 30)"';/' \
    "$BK/lorgnette.conf"
is "lgbrokerd -n" "$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)" \
    "configuration OK"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the lab routers have warm sessions" bk_wait_up -t 60 r1 r2 r1key

# facts FILE: "status sent received loss runtime_ms" of a JSON answer.
facts() {
	python3 - "$1" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["results"][0]
except (ValueError, KeyError, IndexError):
    print("no-answer"); sys.exit(0)
p = r.get("parsed") or {}
loss = p.get("loss_pct")
print(r.get("status"), p.get("sent"), p.get("received"),
      "%g" % loss if loss is not None else None, r.get("runtime_ms"))
EOF
}

# lgping ROUTER TARGET: the JSON answer in $BK/p.json, its facts in $F and
# the wall time in whole seconds in $SECS.
lgping() {
	t0=$(date +%s)
	bk_ctl -j query "$1" ping "$2" >"$BK/p.json" 2>&1
	SECS=$(( $(date +%s) - t0 ))
	F=$(facts "$BK/p.json")
}

for r in r1 r2; do
	lgping "$r" "$LAB_TRACE4"
	is "$r: ping $LAB_TRACE4: ok, 3 sent, 3 received, 0% loss" \
	    "$(echo "$F" | cut -d' ' -f1-4)" "ok 3 3 0"
	like "$r: ... the command run is the rendered one" \
	    "$(cat "$BK/p.json")" "\"command\": \"ping $LAB_TRACE4\""
	like "$r: ... with ping's statistics in the output" \
	    "$(cat "$BK/p.json")" "3 packets transmitted, 3 received"
	ok "$r: ... within 15 s (took ${SECS}s)" test "$SECS" -le 15
done
unlike "the prompt is not in the output" "$(cat "$BK/p.json")" 'r2# '

lgping r1 "$LAB_TRACE6"
is "r1: ping $LAB_TRACE6 (IPv6): ok, 3 sent, 3 received" \
    "$(echo "$F" | cut -d' ' -f1-3)" "ok 3 3"

lgping r1key "$LAB_TRACE4"
set -- $F
is "r1key (frrbound): ping $LAB_TRACE4 ends ok" "$1" "ok"
ok "r1key: ... interrupted at the 2 s bound: fewer than the lab's 5 packets ($2)" \
    test "${2:-9}" -lt 5
ok "r1key: ... with replies ($3)" test "${3:-0}" -ge 1

# A table route: r1 sends it to the upstream, which has no route for it.
lgping r1 "$LAB_ROUTE4_ADDR"
set -- $F
is "r1: ping $LAB_ROUTE4_ADDR (no answer): ok, nothing received, 100% loss" \
    "$1 $3 $4" "ok 0 100"
ok "r1: ... within 9 s (${SECS}s)" test "$SECS" -le 9

bk_ctl -j query r1 bgp_route "$LAB_ROUTE4" >"$BK/b.json" 2>&1
like "r1: bgp_route right after, on the warm session, answers" \
    "$(cat "$BK/b.json")" "\"status\": \"ok\""
like "r1: ... with the route" "$(cat "$BK/b.json")" \
    "BGP routing table entry for $LAB_ROUTE4"
like "r1: the sessions stayed up" "$(bk_ctl status)" 'r1 +up +2/2'
# r2 has one session: the one that ran its ping.
bk_ctl -j query r2 bgp_route "$LAB_ROUTE4" >"$BK/b.json" 2>&1
like "r2: bgp_route on its one session, the one that ran the ping" \
    "$(cat "$BK/b.json")" "BGP routing table entry for $LAB_ROUTE4"

# The audit log: one line per query.
cmds=$(python3 - "$BK/audit.json" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    if j.get("type") == "ping":
        print(j.get("router"), j.get("target"), j.get("status"))
EOF
)
is "the audit log has each ping with its target" "$cmds" \
    "r1 $LAB_TRACE4 ok
r2 $LAB_TRACE4 ok
r1 $LAB_TRACE6 ok
r1key $LAB_TRACE4 ok
r1 $LAB_ROUTE4_ADDR ok"
# What the broker typed into r1's sessions: the validated commands, the
# interrupts and the empty lines that confirm an end, nothing else.
typed=$(tail -c +"$LOG0" "$LOG" | tr '\r\003' '\n\n' | grep -av '^$' |
    grep -av -e '^terminal length 0$' -e '^Script started on ' | sort -u)
is "r1's session record: only the commands rendered from validated targets" \
    "$typed" "$(printf '%s\n' "ping $LAB_TRACE4" "ping ipv6 $LAB_TRACE6" \
    "ping $LAB_ROUTE4_ADDR" "show bgp ipv4 unicast $LAB_ROUTE4" | sort -u)"
ok "r1's session record: the interrupts were typed" \
    sh -c "tail -c +$LOG0 '$LOG' | tr -cd '\\003' | grep -q ."

bk_stop
done_testing
