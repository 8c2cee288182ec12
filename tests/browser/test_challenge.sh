#!/bin/sh
# The page and the proof-of-work challenge in headless Chromium
# (challenge.mjs holds the checks): lgwebd with web.challenge at soft =
# "1/hour", a private lgbrokerd and vendor CLI emulator behind it, the
# page's client address public (no trusted proxy).  Also prints the
# difficulty against the median solve time of the page's worker here.

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

bk_init browser-pow

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
BITS=12
head -c 32 /dev/urandom >"$BK/challenge.key"
chmod 600 "$BK/challenge.key"
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  rate = { bgp_summary = "1000/min"; };
  cache = { bgp_summary = 0; };
  challenge = { soft = "1/hour"; bits = $BITS; ttl = 60;
                key_file = "challenge.key"; };
};
routers = (
  { name = "lon1"; location = "London"; group = "Europe";
    driver = "cisco-ios"; transport = "telnet"; host = "127.0.0.1";
    port = $LG_EMU_ios1_TELNET; credential = "emu"; sessions = 1; }
);
CONF
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "its router comes up" bk_wait_up -t 30 lon1
bk_web_start
healthy() { curl -s "http://127.0.0.1:$PORT/healthz" | grep -q '"connected"'; }
ok "lgwebd is connected to the broker" dm_wait 20 healthy

LG_URL=http://127.0.0.1:$PORT LG_CHROMIUM=$CHROMIUM LG_SHOTS=$HERE/screenshots \
    LG_POW_ROUTER=lon1 LG_POW_BITS=$BITS \
    node "$HERE/challenge.mjs" >"$BK/challenge.out" 2>"$BK/challenge.err"
relay "$BK/challenge.out" $? "$BK/challenge.err"

bk_web_stop
bk_stop
done_testing
