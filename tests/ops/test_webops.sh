#!/bin/sh
# Operating lgwebd: the access log is JSON lines with the documented
# fields and no credential; the fail2ban filter finds the clients that hit
# the rate limit (in sample lines and in a real access log) and the jail
# loads; every metric the Grafana dashboard and the Prometheus alerts use
# is one lgwebd exports; reloading both daemons (lgctl reload, SIGHUP)
# adds and removes routers and applies new rate limits, and a broken
# configuration is refused with file:line while the one in force keeps
# serving.  A real lgbrokerd and the vendor CLI emulator stand behind it.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init webops
bk_emu_up "$(bk_free_base 40)"
PORT=$(dm_free_port)
URL=http://127.0.0.1:$PORT

cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials
cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  audit_log = "$BK/audit.json";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  trusted_proxies = [ "127.0.0.1" ];
  rate = { bgp_route = "2/min"; };
  cache = { bgp_route = 0; };
  access_log = "$BK/access.log";
};
routers = (
  { name = "ios"; driver = "cisco-ios"; transport = "ssh"; host = "127.0.0.1";
    port = $LG_EMU_ios1_SSH; credential = "emu"; sessions = 1; },
  { name = "junos"; driver = "juniper-junos"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_junos1_TELNET; credential = "emu";
    sessions = 1; }
);
EOF
cp "$BK/lorgnette.conf" "$BK/good.conf"

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its routers come up" bk_wait_up -t 30 ios junos
bk_web_start
healthy() { curl -fs -o /dev/null "$URL/healthz"; }
ok "lgwebd answers /healthz" dm_wait 10 healthy

# q CLIENT ROUTER: a bgp_route query as if from CLIENT behind the proxy;
# prints the HTTP status.
q() {
	curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $1" \
	    "$URL/api/v1/query?router=$2&type=bgp_route&target=1.0.4.0/24"
}
codes=""
for n in 1 2 3 4 5; do
	codes="$codes $(q 198.51.100.7 ios)"
done
is "a client over its rate (2/min) gets 429" "$codes" " 200 200 429 429 429"
is "another client is not affected" "$(q 198.51.100.8 junos)" 200
sleep 0.5

# --- the access log ---------------------------------------------------------
out=$(python3 - "$BK/access.log" <<'EOF'
import json, re, sys
fields = ["time", "client", "router", "type", "target", "status", "http",
          "runtime_ms", "cached"]
seen = {}
for i, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    if list(o.keys())[:len(fields)] != fields:
        print("line %d: fields %s" % (i, list(o.keys())))
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", o["time"]):
        print("line %d: time %r" % (i, o["time"]))
    seen[(o["client"], o["status"])] = seen.get((o["client"], o["status"]), 0) + 1
for k in sorted(seen):
    print("%s %s %d" % (k[0], k[1], seen[k]))
EOF
)
like "the access log is JSON lines with the documented fields, in order" \
    "$out" '198\.51\.100\.7 ok 2'
unlike "no line is malformed" "$out" '^line '
like "clients are the addresses from X-Forwarded-For" "$out" '198\.51\.100\.8 ok 1'
# lgwebd answers 429 before a query reaches a router, and logs each
# refusal: that is what the fail2ban jail bans on.
like "queries refused by the rate limit are in the access log" "$out" \
    '198\.51\.100\.7 rate_limited 3'
all_logs=$(cat "$BK/access.log" "$BK/audit.json" "$BK/web.log" "$BK/broker.log")
unlike "no password in any log" "$all_logs" "$LG_EMU_PASS"
unlike "no enable secret in any log" "$all_logs" "$LG_EMU_ENABLE"

# --- fail2ban ---------------------------------------------------------------
FILTER=$LG_TOP/conf/fail2ban/filter.d/lorgnette.conf
JAIL=$LG_TOP/conf/fail2ban/jail.d/lorgnette.local
if command -v fail2ban-regex >/dev/null; then
	# Sample lines in lgwebd's format: two offenders (IPv4 and IPv6), an
	# answered query, and a line whose router and target carry quoted
	# text that imitates the fields of a refusal.
	cat >"$BK/sample.log" <<'EOF'
{"time":"2026-11-21T18:15:57Z","client":"198.51.100.7","router":"fra1","type":"bgp_route","target":"1.0.4.0/24","status":"rate_limited","http":429,"runtime_ms":0,"cached":false}
{"time":"2026-11-21T18:15:58Z","client":"2001:db8::7","router":"fra1","type":"ping","target":"192.0.2.1","status":"rate_limited","http":429,"runtime_ms":0,"cached":false}
{"time":"2026-11-21T18:15:59Z","client":"198.51.100.8","router":"fra1","type":"bgp_route","target":"1.0.4.0/24","status":"ok","http":200,"runtime_ms":5,"cached":false}
{"time":"2026-11-21T18:16:00Z","client":"198.51.100.9","router":"x\",\"client\":\"203.0.113.5","type":"bgp_route","target":"\"status\":\"rate_limited\"","status":"bad_query","http":400,"runtime_ms":0,"cached":false}
EOF
	out=$(fail2ban-regex -o ip "$BK/sample.log" "$FILTER" 2>&1 | sort | tr '\n' ' ')
	is "fail2ban-regex finds exactly the offenders in sample lines" "$out" \
	    "198.51.100.7 2001:db8::7 "
	out=$(fail2ban-regex "$BK/sample.log" "$FILTER" 2>&1)
	like "and reads the time of every line" "$out" '\[4\] \^\\\{"time"'
	out=$(fail2ban-regex -o ip "$BK/access.log" "$FILTER" 2>&1 | sort | uniq -c |
	    awk '{ print $2 "x" $1 }' | tr '\n' ' ')
	is "in lgwebd's real access log it finds the client over its rate" \
	    "$out" "198.51.100.7x3 "
	F2B=$BK/fail2ban
	cp -r /etc/fail2ban "$F2B"
	cp "$FILTER" "$F2B/filter.d/lorgnette.conf"
	sed "s|^logpath .*|logpath  = $BK/access.log|" "$JAIL" \
	    >"$F2B/jail.d/lorgnette.local"
	out=$(fail2ban-client -c "$F2B" -d 2>&1)
	like "fail2ban loads the jail" "$out" "\\['add', 'lorgnette'"
	like "with its threshold" "$out" "\\['set', 'lorgnette', 'maxretry', 20\\]"
	like "reading the access log" "$out" "'lorgnette', 'addlogpath', '$BK/access.log'"
else
	fail "fail2ban-regex is installed (apt fail2ban; make deps)"
fi

# --- metrics for the dashboard and the alerts ---------------------------------
curl -fs "$URL/metrics" >"$BK/metrics"
like "/metrics answers" "$(cat "$BK/metrics")" '^# (HELP|TYPE) lg_'
out=$(python3 - "$BK/metrics" "$LG_TOP/conf/grafana/lorgnette-dashboard.json" \
    "$LG_TOP/conf/prometheus/lorgnette-alerts.yml" <<'EOF'
import json, re, sys, yaml
exported = set()
for line in open(sys.argv[1]):
    m = re.match(r"^([a-z_]+)[{ ]", line)
    if m:
        exported.add(m.group(1))
dash = json.load(open(sys.argv[2]))
exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
rules = [r for g in yaml.safe_load(open(sys.argv[3]))["groups"]
         for r in g["rules"]]
for r in rules:
    for k in ("alert", "expr"):
        if k not in r:
            print("rule without %s" % k)
    if "severity" not in r.get("labels", {}) or \
       "summary" not in r.get("annotations", {}):
        print("rule %s lacks severity or summary" % r.get("alert"))
used = set()
for e in exprs + [r["expr"] for r in rules]:
    used |= set(re.findall(r"\blg_[a-z_]+", e))
print("panels %d rules %d" % (len(dash["panels"]), len(rules)))
print("alerts " + " ".join(sorted(r["alert"] for r in rules)))
print("unknown " + " ".join(sorted(used - exported)))
print("used %d" % len(used))
EOF
)
like "the dashboard and the alert rules parse" "$out" 'panels [0-9]+ rules [0-9]+'
unlike "every rule has a severity and a summary" "$out" 'rule '
like "alerts cover router down, error rate and flapping" "$out" \
    'alerts .*LorgnetteErrorRate.*LorgnetteRouterDown.*LorgnetteSessionFlapping'
like "every lg_ metric they use is exported by lgwebd" "$out" '^unknown $'
like "they use the metrics ($(echo "$out" | sed -n 's/^used //p'))" "$out" \
    'used ([5-9]|[1-9][0-9])'
if command -v promtool >/dev/null; then
	ok "promtool check rules" promtool check rules \
	    "$LG_TOP/conf/prometheus/lorgnette-alerts.yml"
fi
status=$(bk_ctl status)
like "lgctl status has the columns the dashboard's operators read" \
    "$(echo "$status" | head -1)" \
    'ROUTER +STATE +UP/MAX +IDLE +BUSY +QUEUE +FAILURES +QUERIES +MEDIAN +LAST ERROR'

# --- reloading both daemons --------------------------------------------------
# As an operator does after editing lorgnette.conf: lgctl reload for the
# broker, SIGHUP (systemctl reload) for lgwebd.
weblog_has() { grep -q -- "$1" "$BK/web.log"; }
reload_both() {
	_n=$(grep -c 'configuration reloaded' "$BK/web.log")
	bk_ctl reload >"$BK/reload.out" 2>&1
	kill -HUP "$WEB_PID"
	dm_wait 10 sh -c "[ \$(grep -c 'configuration reloaded' '$BK/web.log') -gt $_n ]"
}
routers_listed() {
	curl -fs "$URL/api/v1/routers" | python3 -c \
	    'import json, sys; print(" ".join(sorted(r["name"] for r in json.load(sys.stdin)["routers"])))'
}
# Add eos, drop junos, lift the rate limit.
sed -e 's|rate = { bgp_route = "2/min"; };|rate = { bgp_route = "100/min"; };|' \
    -e "s|^routers = (|routers = (\\
  { name = \"eos\"; driver = \"arista-eos\"; transport = \"ssh\"; host = \"127.0.0.1\";\\
    port = $LG_EMU_eos1_SSH; credential = \"emu\"; sessions = 1; },|" \
    "$BK/good.conf" | python3 -c '
import re, sys
s = sys.stdin.read()
s = re.sub(r",\n  \{ name = \"junos\";[^}]*\}", "", s)
sys.stdout.write(s)' >"$BK/lorgnette.conf"
like "the new configuration adds eos and drops junos" \
    "$(grep -o 'name = "[a-z]*"' "$BK/lorgnette.conf" | tr '\n' ' ')" \
    '^name = "eos" name = "ios" $'
ok "both daemons reload" reload_both
like "the broker says what changed" "$(cat "$BK/reload.out")" \
    'reloaded: 2 routers \(1 added, 1 removed, 0 changed\)'
ok "the added router comes up" bk_wait_up -t 20 eos
out=$(curl -s "$URL/api/v1/query?router=eos&type=bgp_route&target=1.0.4.0/24")
like "lgwebd serves the added router" "$out" '"router":"eos".*"status":"ok"'
out=$(curl -s -o /dev/null -w '%{http_code}' \
    "$URL/api/v1/query?router=junos&type=bgp_route&target=1.0.4.0/24")
is "and refuses the removed one (404)" "$out" 404
list_is() { [ "$(routers_listed)" = "$1" ]; }
ok "its router list follows (within the 5 s refresh)" \
    dm_wait 10 list_is "eos ios"
codes=""
for n in 1 2 3 4 5; do
	codes="$codes $(q 198.51.100.30 ios)"
done
is "the new rate limit applies (5 queries, no 429)" "$codes" " 200 200 200 200 200"

# A broken file: lgwebd names file:line and keeps what is in force.
cp "$BK/lorgnette.conf" "$BK/good2.conf"
echo 'web: { bogus = 1; };' >>"$BK/lorgnette.conf"
line=$(wc -l <"$BK/lorgnette.conf")
kill -HUP "$WEB_PID"
ok "SIGHUP with a broken configuration: lgwebd logs the problem with file:line" \
    dm_wait 10 weblog_has "lorgnette.conf:$line:"
like "and says the configuration in force stays" "$(cat "$BK/web.log")" \
    'reload: .*lorgnette\.conf has errors; the configuration in force stays'
ok "lgwebd still runs" kill -0 "$WEB_PID"
out=$(curl -s "$URL/api/v1/query?router=eos&type=bgp_route&target=1.0.4.0/24")
like "and still serves the configuration in force" "$out" '"status":"ok"'
cp "$BK/good.conf" "$BK/lorgnette.conf"

bk_web_stop
bk_stop
done_testing
