#!/bin/sh
# Public and staff in headless Chromium (audience.mjs holds the checks):
# lgwebd with a staff router (core1) between two public ones and the staff
# query type bgp_neighbors, a private lgbrokerd and vendor CLI emulator
# behind it.  Chromium comes from 127.0.0.1, the trusted proxy's address:
# with the user header on its requests it is signed in, as behind a
# sign-on proxy; without, it is the public.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../broker/lib.sh"

HERE=$LG_TOP/tests/browser
CHROMIUM=${LG_CHROMIUM:-/usr/bin/chromium}
for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
[ -x "$CHROMIUM" ] || skip_all "$CHROMIUM not installed (apt install chromium)"
for c in node npm curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

bk_init browser-audience

# --- node modules: npm ci only when the pinned playwright-core is missing
if want=$(playwright_install "$BK/npm.log"); then
	pass "playwright-core $want installed"
else
	fail "npm ci installs playwright-core $want" "$(tail -20 "$BK/npm.log")"
	done_testing
	exit 1
fi

bk_emu_up "$(bk_free_base 40)"
bk_emu_credentials
PORT=$(dm_free_port)
router() {
	echo "  { name = \"$1\"; location = \"$2\"; group = \"Europe\";"
	echo "    driver = \"cisco-ios\"; transport = \"telnet\"; host = \"127.0.0.1\";"
	echo "    port = $LG_EMU_ios1_TELNET; credential = \"emu\"; sessions = 1;"
	echo "    audience = \"$3\"; }$4"
}
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  trusted_proxies = [ "127.0.0.1" ];
  auth = { user_header = "X-Remote-User"; };
  rate = { bgp_summary = "1000/min"; };
  cache = { bgp_summary = 0; };
  results = { path = "$BK/results.db"; };
};
policy: {
  queries = [ "bgp_route", "bgp_summary", "bgp_neighbors" ];
};
routers = (
$(router lon1 London public ,)
$(router core1 London staff ,)
$(router ams1 Amsterdam public "")
);
CONF
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its routers come up" bk_wait_up -t 30 lon1 core1 ams1
bk_web_start
healthy() { curl -s "http://127.0.0.1:$PORT/healthz" | grep -q '"connected"'; }
ok "lgwebd is connected to the broker" dm_wait 20 healthy

LG_URL=http://127.0.0.1:$PORT LG_CHROMIUM=$CHROMIUM LG_SHOTS=$HERE/screenshots \
    LG_STAFF_ROUTER=core1 LG_STAFF_TYPE=bgp_neighbors \
    LG_USER_HEADER=X-Remote-User \
    node "$HERE/audience.mjs" >"$BK/audience.out" 2>"$BK/audience.err"
relay "$BK/audience.out" $? "$BK/audience.err"

bk_web_stop
bk_stop
done_testing
