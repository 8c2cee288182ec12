#!/bin/sh
# Reloading lgbrokerd as an operator does, by SIGHUP and by lgctl reload,
# against the vendor CLI emulator, whose audit log names the session each
# command arrived on:
#   - a router added to the configuration appears and comes up;
#   - a removed router disappears, finishes the query it was running and
#     closes its session;
#   - an unchanged router keeps its session (no new login, the same
#     session id, its query counter carries on);
#   - a changed router is counted as changed;
#   - a broken configuration (syntax or meaning) is refused with
#     file:line and the old one stays in force;
# and the audit log is JSON lines with the documented fields, with no
# credential in it or in the broker's log.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"

bk_init reload
bk_emu_up "$(bk_free_base 40)"
AUD=$LG_EMU_AUDIT

cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials

# router NAME EMU-ROUTER DRIVER TRANSPORT [SESSIONS]: one routers entry.
router() {
	eval "_port=\$LG_EMU_${2}_$(echo "$4" | tr a-z A-Z)"
	printf '  { name = "%s"; driver = "%s"; transport = "%s";\n' "$1" "$3" "$4"
	printf '    host = "127.0.0.1"; port = %s; credential = "emu";' "$_port"
	printf ' sessions = %s; },\n' "${5:-1}"
}

# write_conf ROUTER-LINES...: the configuration, routers last.
write_conf() {
	{
		cat <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  connect_timeout = 5;
  breaker_probe = 2;
  audit_log = "$BK/audit.json";
};
routers = (
EOF
		printf '%s\n' "$@" | sed '$ s/},$/}/'
		echo ");"
	} >"$BK/lorgnette.conf.new"
	mv "$BK/lorgnette.conf.new" "$BK/lorgnette.conf"
}

KEEP=$(router keep ios1 cisco-ios ssh)
TEL=$(router tel xr1 cisco-iosxr telnet)
GONE=$(router gone junos1 juniper-junos ssh)
SLOW=$(router slow slow1 cisco-ios ssh)
NEW=$(router new eos1 arista-eos telnet)
EXTRA=$(router extra nxos1 cisco-nxos ssh)

routers() { bk_ctl routers 2>&1 | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' '; }
# queries ROUTER: the QUERIES column of lgctl status.
queries() { bk_ctl status 2>/dev/null | awk -v r="$1" '$1 == r { print $8 }'; }
# Session ids, from the emulator's audit log of EMU-ROUTER: those that
# connected, and the one the last command line arrived on.
connects() { awk -F '\t' '$5 == "connect" { print $4 }' "$AUD/$1.log" | sort -n | tr '\n' ' '; }
last_line_session() { awk -F '\t' '$5 == "line" { s = $4 } END { print s }' "$AUD/$1.log"; }
disconnected() { awk -F '\t' -v s="$2" '$4 == s && $5 == "disconnect"' "$AUD/$1.log" | grep -q .; }

write_conf "$KEEP" "$TEL" "$GONE" "$SLOW"
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "every router gets its session" bk_wait_up -t 40 keep tel gone slow
is "lgctl routers lists the configured routers" "$(routers)" "gone keep slow tel "

ref=$(bk_ctl query keep bgp_route 1.0.4.0/24 2>&1)
like "keep answers" "$ref" 'BGP routing table entry for 1\.0\.4\.0/24'
keep_sess=$(last_line_session ios1)
keep_conn=$(connects ios1)
gone_sess=$(last_line_session junos1)
[ -n "$gone_sess" ] || gone_sess=$(connects junos1 | awk '{ print $NF }')
like "the emulator saw keep's query on one session ($keep_sess)" "$keep_sess" '^[0-9]+$'
is "keep has run one query" "$(queries keep)" 1

# --- SIGHUP: add one, remove two, one of them busy -----------------------
# slow1 sends its answer slowly: the query is still running when slow is
# removed, and must still end normally.
bk_ctl query slow bgp_route 1.0.4.0/24 >"$BK/slow.out" 2>&1 &
slowq=$!
sleep 0.5
write_conf "$KEEP" "$TEL" "$NEW"
kill -HUP "$BK_PID"
ok "after SIGHUP the added router appears and comes up" bk_wait_up -t 20 new
is "lgctl routers: added present, removed gone" "$(routers)" "keep new tel "
like "the broker logs the reload" "$(bk_log)" \
    'reloaded: 3 routers \(1 added, 2 removed, 0 changed\)'
wait "$slowq"
is "the removed router's query in progress still ends normally" "$?" 0
like "with its whole answer" "$(cat "$BK/slow.out")" \
    'BGP routing table entry for 1\.0\.4\.0/24'
ok "the removed router's session is closed (emulator saw the disconnect)" \
    dm_wait 10 disconnected junos1 "$gone_sess"
out=$(bk_ctl query gone bgp_route 1.0.4.0/24 2>&1)
like "a query to the removed router is an unknown router" "$out" 'unknown'

out=$(bk_ctl query keep bgp_route 1.0.4.0/24 2>&1)
is "the unchanged router answers the same" "$out" "$ref"
is "it made no new connection to the emulator" "$(connects ios1)" "$keep_conn"
is "its command arrived on the same session" "$(last_line_session ios1)" "$keep_sess"
is "its query counter carries on (2)" "$(queries keep)" 2

# --- lgctl reload: a changed router --------------------------------------
TEL2=$(router tel xr1 cisco-iosxr telnet 2)
write_conf "$KEEP" "$TEL2" "$NEW" "$EXTRA"
out=$(bk_ctl reload 2>&1)
is "lgctl reload exits 0" "$?" 0
is "lgctl reload says what changed" "$out" \
    "reloaded: 4 routers (1 added, 0 removed, 1 changed)"
ok "the changed router comes back up" bk_wait_up -t 20 tel extra
like "with its new session count" "$(bk_ctl status | awk '$1 == "tel"')" ' [12]/2 '
bk_ctl query keep bgp_route 1.0.4.0/24 >/dev/null 2>&1
is "keep still on its first session" "$(last_line_session ios1)" "$keep_sess"

# --- broken configurations -------------------------------------------------
good=$(routers)
cp "$BK/lorgnette.conf" "$BK/good.conf"
# A typo in the broker section.
n=$(grep -n '^  socket = ' "$BK/good.conf" | cut -d: -f1)
sed "${n}s/^  socket = /  sockett = /" "$BK/good.conf" >"$BK/lorgnette.conf"
out=$(bk_ctl reload 2>&1)
rc=$?
is "lgctl reload of a broken config exits 1" "$rc" 1
like "it names file:line and the problem" "$out" \
    "lorgnette\\.conf:$n: unknown key \"sockett\""
is "the routers are unchanged" "$(routers)" "$good"
out=$(bk_ctl query keep bgp_route 1.0.4.0/24 2>&1)
is "the old config stays in force" "$out" "$ref"

# A syntax error, by SIGHUP.
{ head -n 12 "$BK/good.conf"; echo "routers = ( { name = "; } >"$BK/lorgnette.conf"
kill -HUP "$BK_PID"
ok "SIGHUP with a syntax error: the broker logs file:line" \
    dm_wait 10 sh -c "grep -q 'reload failed.*lorgnette\\.conf:1[34]:' '$BK/broker.log'"
ok "and keeps running" kill -0 "$BK_PID"
is "with the same routers" "$(routers)" "$good"

# A configuration that parses but names a driver that does not exist.
sed 's/driver = "arista-eos"/driver = "arista-eoss"/' "$BK/good.conf" \
    >"$BK/lorgnette.conf"
out=$(bk_ctl reload 2>&1)
like "an unknown driver is refused with file:line" "$out" \
    'lorgnette\.conf:[0-9]+:.*arista-eoss'
is "the routers are still unchanged" "$(routers)" "$good"
cp "$BK/good.conf" "$BK/lorgnette.conf"
out=$(bk_ctl reload 2>&1)
is "the repaired config reloads with nothing to change" "$out" \
    "reloaded: 4 routers (0 added, 0 removed, 0 changed)"
is "keep kept its session through all of it" "$(last_line_session ios1)" "$keep_sess"
is "and never logged in again" "$(connects ios1)" "$keep_conn"

# --- the audit log ---------------------------------------------------------
out=$(python3 - "$BK/audit.json" <<'EOF'
import json, re, sys
fields = ["time", "client", "router", "type", "target", "status",
          "runtime_ms"]
n = 0
for i, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    missing = [f for f in fields if f not in o]
    if missing:
        print("line %d: missing %s" % (i, missing)); continue
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", o["time"]):
        print("line %d: time %r" % (i, o["time"]))
    if not isinstance(o["runtime_ms"], int):
        print("line %d: runtime_ms %r" % (i, o["runtime_ms"]))
    n += 1
print("lines", n)
EOF
)
like "the audit log is JSON lines with time, client, router, type, target, status, runtime_ms" \
    "$out" '^lines [0-9]+$'
like "it holds every query, the removed router's included" \
    "$(grep -c '"router":"slow"' "$BK/audit.json"):$(grep -c '"router":"keep"' "$BK/audit.json")" \
    '^1:[4-9]'
all_logs=$(cat "$BK/audit.json" "$BK/broker.log")
unlike "no password in the audit or broker log" "$all_logs" "$LG_EMU_PASS"
unlike "no enable secret in the audit or broker log" "$all_logs" "$LG_EMU_ENABLE"

bk_stop
done_testing
