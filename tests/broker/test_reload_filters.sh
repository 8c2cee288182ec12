#!/bin/sh
# A reload that changes output filters takes effect at once (issue 24.2):
# a session binds its filters when it opens, so a router whose global or
# driver filters changed is recycled, warm or busy.  Against a fake telnet
# router (fake_router.py) whose answers hold "secret 192.0.2.77 password
# hunter2": a global filter added, changed and removed, then a driver
# filter added in a copy of the drivers directory, each followed by
# `lgctl reload` and a query that shows the new behaviour.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"

bk_init refilter
PORT=$(bk_free_base 1) || skip_all "no free ports"
bk_fake_start --telnet "tel1=$PORT" ||
    { fail "the fake routers start" "$(cat "$BK/fake.log")"; done_testing; exit 1; }

cp -r "$LG_TOP/drivers" "$BK/drivers"


# write_conf FILTERS: the configuration with that global filters list.
write_conf() {
	cat >"$BK/lorgnette.conf" <<CONF
broker: {
  socket = "$BK/broker.sock";
  admin_socket = "$BK/admin.sock";
  drivers = "drivers";
  credentials = "credentials.conf";
};
filters = ( $1 );
routers = (
  { name = "tel"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $PORT; credential = "c"; sessions = 1; }
);
CONF
}

# query: the router's answer, once it is up again after a reload.
query() {
	bk_wait_up -t 30 tel
	bk_ctl query tel bgp_route 1.0.4.0/24 2>&1
}

write_conf ""
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
out=$(query)
like "no filter: the line is shown" "$out" 'secret 192.0.2.77 password hunter2'

write_conf '{ match = "hunter2"; replace = "[redacted]"; }'
like "a filter added: lgctl reload counts the router as changed" \
    "$(bk_ctl reload 2>&1)" '1 changed'
out=$(query)
like "... and the next query is redacted" "$out" 'password \[redacted\]'
unlike "... with nothing of the secret left" "$out" 'hunter2'

write_conf '{ match = "hunter2"; replace = "[gone]"; }'
like "a filter changed: reloaded as changed" "$(bk_ctl reload 2>&1)" \
    '1 changed'
out=$(query)
like "... the new replacement applies" "$out" 'password \[gone\]'

write_conf ""
like "the filter removed: reloaded as changed" "$(bk_ctl reload 2>&1)" \
    '1 changed'
like "... the line is shown again" "$(query)" 'password hunter2'

like "an unchanged configuration keeps the session" \
    "$(bk_ctl reload 2>&1)" '0 changed'

sed -i 's|^filters = (|filters = (\n\t{ match = "192\\.0\\.2\\.77"; action = "drop"; },|' \
    "$BK/drivers/cisco-ios.conf"
like "a driver filter added: reloaded as changed" "$(bk_ctl reload 2>&1)" \
    '1 changed'
out=$(query)
unlike "... the driver's new rule drops the line" "$out" '192\.0\.2\.77'
like "... and the rest of the answer is there" "$out" 'last line'

bk_stop
done_testing
