#!/bin/sh
# Router and network text on its way to the operator's terminal (issue
# 24.5).  An SSH peer answers the broker's banner with SSH_MSG_DISCONNECT
# whose text holds CR LF, a whole forged status row, a lone 0x9B (CSI in
# 8 bits) and U+009B: `lgctl status` must show one row per router, the
# error on one line with the C1 bytes gone, and the broker's log must
# keep the message on one line too.  A telnet router answers with the
# same bytes inside its output: lgctl writes them as \xNN escapes, never
# raw.  fake_router.py plays both peers.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"

bk_init term
PORT=$(bk_free_base 2) || skip_all "no free ports"
bk_fake_start --telnet "tel1=$PORT" \
    --ssh-disconnect $((PORT + 1)) ||
    { fail "the fake routers start" "$(cat "$BK/fake.log")"; done_testing; exit 1; }
: >"$BK/known_hosts"
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  breaker_failures = 1000;
};
routers = (
  { name = "tel"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $PORT; credential = "c"; sessions = 1; },
  { name = "bad"; driver = "cisco-ios"; transport = "ssh";
    host = "127.0.0.1"; port = $((PORT + 1)); credential = "c"; sessions = 1; }
);
CONF

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the telnet router is up" bk_wait_up -t 30 tel
i=0
until bk_ctl status 2>/dev/null | grep -q '^bad .*bye'; do
	[ $i -ge 100 ] && break
	sleep 0.2
	i=$((i + 1))
done

bk_ctl status >"$BK/status" 2>&1
rows=$(grep -c . "$BK/status")
is "lgctl status: a header and one row per router" "$rows" 3
ok "... no forged row" sh -c "! grep -q '^forged' '$BK/status'"
like "... the peer's text is on the router's row" "$(grep '^bad ' "$BK/status")" \
    'bye +forged +up .*2J'
ok "... no byte 0x80-0x9f reaches the terminal" \
    sh -c "! LC_ALL=C grep -q \"\$(printf '[\\200-\\237]')\" '$BK/status'"
ok "... nor ESC" sh -c "! grep -q \"\$(printf '\\033')\" '$BK/status'"
err=$(bk_ctl -j status | python3 -c 'import json,sys
d=json.load(sys.stdin)
print([r for r in d["routers"] if r["name"]=="bad"][0]["last_error"])')
case $err in *"
"*) fail "lgctl -j status: last_error is one line" "$err" ;;
*) pass "lgctl -j status: last_error is one line" ;;
esac
ok "the broker's log keeps the message on one line" \
    sh -c "! grep -q '^forged\|^second line' '$BK/broker.log'"
ok "... without C1 bytes" \
    sh -c "! LC_ALL=C grep -q \"\$(printf '[\\200-\\237]')\" '$BK/broker.log'"

bk_ctl query tel bgp_route 1.0.4.0/24 >"$BK/query" 2>&1
like "lgctl query: the answer arrives" "$(cat "$BK/query")" 'last line'
like "... the lone 0x9B is written as an escape" "$(cat "$BK/query")" \
    'c1 \[\\x9b2J\]'
ok "... no byte 0x80-0x9f reaches the terminal" \
    sh -c "! LC_ALL=C grep -q \"\$(printf '[\\200-\\237]')\" '$BK/query'"
ok "... nor ESC" sh -c "! grep -q \"\$(printf '\\033')\" '$BK/query'"
bk_ctl query tel,tel bgp_route 1.0.4.0/24 >"$BK/query2" 2>&1
ok "several routers: no byte 0x80-0x9f either" \
    sh -c "! LC_ALL=C grep -q \"\$(printf '[\\200-\\237]')\" '$BK/query2'"

bk_stop
done_testing
