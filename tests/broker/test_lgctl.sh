#!/bin/sh
# lgctl's side of a query (src/lgctl/client.c) against a stand-in broker
# (fake_broker.py): the query follows HELLO at once, without waiting a
# round trip for HELLO's answer, since the broker takes a connection's
# frames in order; the answer is printed and lgctl exits 0.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

[ -x "$BK_BIN/lgctl" ] || skip_all "$BK_BIN/lgctl not built"
command -v python3 >/dev/null || skip_all "no python3"

bk_init lgctl
python3 "$LG_TOP/tests/broker/fake_broker.py" --socket "$BK/admin.sock" \
    --record "$BK/order" --wait 10 >"$BK/fake.log" 2>&1 &
FAKE=$!
i=0
while [ ! -S "$BK/admin.sock" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
out=$("$BK_BIN/lgctl" -s "$BK/admin.sock" -t 30 query r1 bgp_route \
    198.18.1.0/24 2>&1)
rc=$?
wait "$FAKE"
is "lgctl query exits 0" "$rc" 0
is "it prints the answer" "$out" "the answer"
is "the query was sent before HELLO was answered" "$(cat "$BK/order")" "1 2"
done_testing
