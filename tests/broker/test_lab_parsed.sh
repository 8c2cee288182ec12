#!/bin/sh
# Parsed answers from the integration lab (tests/lab) checked against the
# generated table itself: for 200 prefixes drawn at random (both
# families), FRR over SSH, FRR over telnet (bgpd's vty) and BIRD over SSH
# each parse bgp_route to exactly the table's AS path, communities, large
# communities, next hop, MED and origin (lab_parsed.py).  Then a
# table-sized bgp_aspath answer passes the prefix cap (the default,
# 10,000): the parsed answer stops there and says so, the text is whole,
# and broker memory stays bounded.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ "$(id -u)" = 0 ] || skip_all "the lab needs root"
bk_init labparsed
if ! sh "$LG_TOP/tests/lab/lab.sh" up >"$BK/lab-up.log" 2>&1; then
	skip_all "the lab did not come up: $(tail -3 "$BK/lab-up.log" | tr '\n' ' ')"
fi
. "$(sh "$LG_TOP/tests/lab/lab.sh" env)"
[ -f "$LAB_DIR/up/table.conf" ] || skip_all "no generated table in $LAB_DIR"

bk_lab_config
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the lab routers have warm sessions" bk_wait_up -t 60 r1 r1tel r3

python3 "$LG_TOP/tests/broker/lab_parsed.py" --table "$LAB_DIR/up/table.conf" \
    --count 200 --upstream-asn "$LAB_UPSTREAM_ASN" \
    --router "r1=198.19.1.1,2001:2:0:1::1" \
    --router "r1tel=198.19.1.1,2001:2:0:1::1" \
    --router "r3=198.19.3.1,2001:2:0:3::1" \
    -- "$BK_BIN/lgctl" -s "$BK/admin.sock" -t "$BK_CTL_TIMEOUT" \
    >"$BK/compare.out" 2>&1
for r in r1 r1tel r3; do
	case $r in r1) how="FRR over SSH" ;; r1tel) how="FRR over telnet" ;;
	    *) how="BIRD over SSH" ;; esac
	line=$(grep "^$r " "$BK/compare.out")
	if [ "$line" = "$r ok 200" ]; then
		pass "$how ($r): 200 random prefixes parse to the generated table"
	else
		fail "$how ($r): 200 random prefixes parse to the generated table" \
		    "${line:-no result}" \
		    "$(sed -n "/^$r /,/^[a-z]/p" "$BK/compare.out" | grep '^#' | head -20)" \
		    "$(grep -v '^r[0-9a-z]* \|^#' "$BK/compare.out" | head -5)"
	fi
done

# The whole IPv4 table in one answer: the parsed answer holds the first
# 10,000 prefixes and says it is truncated; the text holds them all.
bk_ctl -j query -a ipv4 r1 bgp_aspath "^$LAB_UPSTREAM_ASN" >"$BK/big.json" \
    2>"$BK/big.err"
sum=$(python3 - "$BK/big.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
p = r.get("parsed") or {}
n = len(p.get("prefixes") or [])
lines = r["output"].count("\n")
print(r["status"], "error" in p, p.get("truncated"), n, lines,
      r["truncated"])
PY
)
set -- $sum
is "a table-sized answer ends well" "$1" ok
is "and parses without error" "$2" False
is "the parsed answer stops at the cap and says so" "$3 $4" "True 10000"
if [ "${5:-0}" -ge "$TABLE_V4" ] && [ "$6" = False ]; then
	pass "the text is whole beside it ($5 lines)"
else
	fail "the text is whole beside it" "$sum"
fi
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$BK_PID/status")
if [ "$rss" -lt 200000 ]; then
	pass "broker peak RSS stays bounded with the parse ($rss KiB, sanitizers included)"
else
	fail "broker peak RSS stays bounded with the parse" "$rss KiB"
fi

bk_stop
done_testing
