#!/bin/sh
# lgwebd's own TLS (web.tls) and listening on IPv4 and IPv6 at once.  No
# broker is started: these checks need none (/healthz then says 503).

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${LG_BUILD:=build/san}"
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac

[ -x "$BIN/lgwebd" ] || skip_all "$BIN/lgwebd not built"
for c in curl openssl python3; do
	command -v $c >/dev/null || skip_all "$c not installed"
done

W=$(mktemp -d /tmp/lg-tls.XXXXXX)
WEB_PID=
cleanup() {
	[ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null
	sleep 0.2
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0)); print(s.getsockname()[1])')
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,IP:::1 \
    -keyout "$W/key.pem" -out "$W/cert.pem" >/dev/null 2>&1 ||
    skip_all "openssl cannot make a test certificate"
mkdir -p "$W/www"
echo '<!doctype html><title>tls</title>' >"$W/www/index.html"
cat >"$W/lorgnette.conf" <<CONF
broker: { socket = "$W/none.sock"; };
web: {
  listen = [ "127.0.0.1:$PORT", "[::1]:$PORT" ];
  www = "$W/www";
  tls = { certificate = "$W/cert.pem"; key = "$W/key.pem"; };
};
routers = ( { name = "r1"; driver = "frr"; host = "127.0.0.1";
    credential = "x"; } );
CONF
ok "lgwebd -n accepts web.tls" "$BIN/lgwebd" -n -f "$W/lorgnette.conf"
"$BIN/lgwebd" -d -f "$W/lorgnette.conf" >"$W/web.log" 2>&1 &
WEB_PID=$!
up() { curl -s --cacert "$W/cert.pem" -o /dev/null "https://127.0.0.1:$PORT/"; }
dm_wait 5 up

for h in 127.0.0.1 '[::1]'; do
	code=$(curl -s --cacert "$W/cert.pem" -o "$W/body" -w '%{http_code}' \
	    "https://$h:$PORT/")
	is "https on $h: the page" "$code $(cat "$W/body")" \
	    "200 <!doctype html><title>tls</title>"
done
code=$(curl -s --cacert "$W/cert.pem" -D "$W/h" -o "$W/body" -w '%{http_code}' \
    "https://127.0.0.1:$PORT/healthz")
is "healthz without a broker: 503" "$code" 503
is "healthz body" "$(cat "$W/body")" '{"status":"degraded","broker":"disconnected"}'
like "security headers over TLS" "$(cat "$W/h")" 'X-Content-Type-Options: nosniff'
code=$(curl -s --cacert "$W/cert.pem" -o "$W/body" -w '%{http_code}' \
    "https://127.0.0.1:$PORT/api/v1/query?router=r1&type=bgp_route&target=1.0.4.0/24")
is "a query without a broker: 503 broker_unavailable" \
    "$code $(cat "$W/body")" \
    '503 {"error":{"code":"broker_unavailable","message":"the query service is not available"}}'
code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")
is "plain HTTP gets no answer" "$code" 000

dm_stop "$WEB_PID" "SIGTERM: exit status 0"
WEB_PID=
dm_clean "no sanitizer report" "$W/web.log"
done_testing
