#!/bin/sh
# The hostile-input cases (tests/security/cases) against the real lab
# routers (tests/lab): a private lgbrokerd with the lab configuration
# (bk_lab_config) and the built-in policy, so the lab's own networks are
# forbidden like any benchmarking or documentation range.  Every case of
# every class with a query parameter (separators, line injection, pipes,
# options, AS paths, forbidden and non-canonical targets, markup,
# malformed input; not hostnames, which need the security suite's private
# hosts file) goes through lgctl to r1 (vtysh over SSH), r1tel (bgpd's
# vty over telnet), r2 and r3 (birdc over SSH) for its query type, and
# must be refused, or for a "safe" case run clean.  Then the
# routers' command logs (LAB_Rn_CMDLOG: what the login sessions were
# given, what the daemons executed), read from where they stood before
# the broker started, must hold no case marker and no refused target, and
# must hold every command the broker ran for the good queries, so the
# check cannot pass on logs that record nothing.  lab_hostile.py does the
# sending and the reading.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ -d "$LG_TOP/tests/security/cases" ] || skip_all "no hostile cases"
bk_lab_up
[ -n "${LAB_R1_CMDLOG:-}" ] || skip_all "this lab keeps no command logs"

t0=$(date +%s)
bk_init labhostile
bk_lab_config '  # Built-in forbidden list: the lab networks are refused too.'
is "lgbrokerd -n" "$("$BK_BIN/lgbrokerd" -n -f "$BK/lorgnette.conf" 2>&1)" \
    "configuration OK"

# Where each command log stands before the broker logs in.
for f in $LAB_R1_CMDLOG $LAB_R2_CMDLOG $LAB_R3_CMDLOG; do
	echo "$(wc -c <"$f") $f"
done >"$BK/offsets"

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "the lab routers have warm sessions" bk_wait_up -t 60 r1 r1tel r2 r3

aspath=_${LAB_ASPATH_AS}_
python3 "$LG_TOP/tests/broker/lab_hostile.py" \
    --lgctl "$BK_BIN/lgctl" --socket "$BK/admin.sock" \
    --route4 "$LAB_ROUTE4" --routers "r1 r1tel r2 r3" \
    --classes "separators line_injection pipes options aspath forbidden
	noncanonical xss malformed" \
    --good "r1 bgp_route $LAB_ROUTE4" --good "r1 route $LAB_ROUTE4_ADDR" \
    --good "r1 bgp_community $LAB_COMMUNITY" --good "r1 bgp_aspath $aspath" \
    --good "r1tel bgp_route $LAB_ROUTE4" \
    --good "r1tel bgp_community $LAB_COMMUNITY" \
    --good "r1tel bgp_aspath $aspath" --good "r1tel bgp_summary" \
    --good "r2 bgp_route $LAB_ROUTE6" --good "r2 bgp_summary" \
    --good "r3 bgp_route $LAB_ROUTE4" --good "r3 route $LAB_ROUTE6_ADDR" \
    --good "r3 bgp_community $LAB_COMMUNITY" --good "r3 bgp_aspath $aspath" \
    --cmdlog "r1=$LAB_R1_CMDLOG" --cmdlog "r2=$LAB_R2_CMDLOG" \
    --cmdlog "r3=$LAB_R3_CMDLOG" --offsets "$BK/offsets" \
    >"$BK/results" 2>"$BK/results.err"
rc=$?
is "lab_hostile.py ran to the end" "$rc" 0
TAB=$(printf '\t')
while IFS="$TAB" read -r st desc diag; do
	case $st in
	ok)	pass "$desc" ;;
	"not ok") fail "$desc" "$diag" ;;
	"#")	echo "# $desc" ;;
	esac
done <"$BK/results"
[ -s "$BK/results.err" ] && sed 's/^/# /' "$BK/results.err" | head -20

# The broker's own record: every query that ran has a clean target.
ran=$(grep -v '"status":"\(bad_query\|denied\|unknown_router\|unknown_type\|unsupported\)"' \
    "$BK/audit.json")
unlike "the broker's audit log: no query that ran carries a marker" \
    "$ran" 'LGX[0-9]{4}'
like "... and the good queries are there" "$ran" '"router":"r1tel"'

bk_stop
echo "# $(($(date +%s) - t0)) s"
done_testing
