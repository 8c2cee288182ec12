#!/bin/sh
# The nginx example (conf/nginx/lorgnette.conf) in front of a real lgwebd:
# nginx accepts it, serves TLS with HTTP/2, redirects plain HTTP, passes
# the client's address (and not one the client made up) so lgwebd logs
# and rate-limits the right client, streams server-sent events without
# buffering, and keeps /metrics private.  The example is used as shipped
# except for its ports, certificate paths and upstream port.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

for b in lgbrokerd lgwebd lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
for c in nginx openssl curl python3; do
	command -v $c >/dev/null || skip_all "$c not installed (make deps)"
done
curl -V | grep -q HTTP2 || skip_all "curl without HTTP/2"

bk_init nginx
NGINX_PID=
BK_CLEANUP_EXTRA='[ -s "$BK/nginx.pid" ] && kill "$(cat "$BK/nginx.pid")" 2>/dev/null'
bk_emu_up "$(bk_free_base 40)"
P=$(bk_free_base 3)
WEB=$P HTTP=$((P + 1)) HTTPS=$((P + 2))

cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
printf 'credentials = { emu = { username = "%s"; password = "%s"; }; };\n' \
    "$LG_EMU_USER" "$LG_EMU_PASS" >"$BK/credentials.conf"
chmod 600 "$BK/credentials.conf"
cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
};
web: {
  listen = [ "127.0.0.1:$WEB" ];
  www = "$LG_TOP/www";
  trusted_proxies = [ "127.0.0.1" ];
  rate = { bgp_route = "3/min"; };
  cache = { bgp_route = 0; };
  access_log = "$BK/access.log";
};
routers = (
  { name = "ios"; driver = "cisco-ios"; host = "127.0.0.1";
    port = $LG_EMU_ios1_SSH; credential = "emu"; sessions = 1; }
);
EOF
if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
bk_wait_up -t 30 ios
bk_web_start

# The example, with test ports, a self-signed certificate and the
# upstream on the test's port; everything else as shipped.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=lg.example.net \
    -keyout "$BK/key.pem" -out "$BK/cert.pem" >/dev/null 2>&1
sed -e "s|listen 80;|listen 127.0.0.1:$HTTP;|" -e '/listen \[::\]:80;/d' \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$HTTPS ssl http2;|" \
    -e '/listen \[::\]:443 ssl http2;/d' \
    -e "s|/etc/letsencrypt/live/lg.example.net/fullchain.pem|$BK/cert.pem|" \
    -e "s|/etc/letsencrypt/live/lg.example.net/privkey.pem|$BK/key.pem|" \
    -e "s|127.0.0.1:8080|127.0.0.1:$WEB|" -e "s|\[::1\]:8080|[::1]:$WEB|" \
    "$LG_TOP/conf/nginx/lorgnette.conf" >"$BK/site.conf"
cat >"$BK/nginx.conf" <<EOF
pid $BK/nginx.pid;
error_log $BK/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $BK/nginx-tmp;
	proxy_temp_path $BK/nginx-tmp;
	include $BK/site.conf;
}
EOF
mkdir -p "$BK/nginx-tmp"
out=$(nginx -t -c "$BK/nginx.conf" -p "$BK" 2>&1)
like "nginx -t accepts the example" "$out" 'test is successful'
ok "nginx starts with it" nginx -c "$BK/nginx.conf" -p "$BK"

R="https://lg.example.net:$HTTPS"
C="--resolve lg.example.net:$HTTPS:127.0.0.1 --cacert $BK/cert.pem"
# shellcheck disable=SC2086
dm_wait 10 curl -fs $C -o /dev/null "$R/healthz"
# shellcheck disable=SC2086
out=$(curl -s $C --http2 -o /dev/null -w '%{http_code} %{http_version}' "$R/healthz")
is "HTTPS with HTTP/2 reaches lgwebd" "$out" "200 2"
out=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
    "http://127.0.0.1:$HTTP/api/v1/routers" -H "Host: lg.example.net")
like "plain HTTP is redirected to HTTPS" "$out" "^301 https://lg\\.example\\.net/"

# From 127.0.0.5 (loopback is a /8), claiming to be 203.0.113.9.
q() {
	# shellcheck disable=SC2086
	curl -s $C --interface 127.0.0.5 -H 'X-Forwarded-For: 203.0.113.9' \
	    -o /dev/null -w '%{http_code}' \
	    "$R/api/v1/query?router=ios&type=bgp_route&target=1.0.4.0/24"
}
codes="$(q) $(q) $(q) $(q)"
is "lgwebd rate-limits the client nginx saw" "$codes" "200 200 200 429"
sleep 0.3
clients=$(python3 -c '
import json, sys
print(" ".join(sorted(set(json.loads(l)["client"] for l in open(sys.argv[1])))))' \
    "$BK/access.log")
is "lgwebd logs the address nginx saw, not the one the client claimed" \
    "$clients" "127.0.0.5"
# shellcheck disable=SC2086
out=$(curl -s $C -N --max-time 10 \
    "$R/api/v1/query/stream?router=ios&type=bgp_summary" -H 'X-Forwarded-For: 1.1.1.1')
like "server-sent events pass through" "$out" 'event: begin'
like "to the end" "$out" 'event: done'
# shellcheck disable=SC2086
out=$(curl -s $C --interface 127.0.0.5 -o /dev/null -w '%{http_code}' "$R/metrics")
is "/metrics is not served to the world" "$out" 403
# shellcheck disable=SC2086
out=$(curl -s $C -o /dev/null -w '%{http_code}' "$R/metrics")
is "only to the host itself" "$out" 200
out=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEB/metrics")
is "but Prometheus can scrape lgwebd directly" "$out" 200

kill "$(cat "$BK/nginx.pid")"
dm_stop "$WEB_PID" "lgwebd exits 0"
WEB_PID=

# Without a proxy: lgwebd's own TLS (web.tls), as README.md describes.
sed -e "s|listen = \[ \"127.0.0.1:$WEB\" \];|listen = [ \"127.0.0.1:$HTTPS\" ]; tls = { certificate = \"$BK/cert.pem\"; key = \"$BK/key.pem\"; };|" \
    "$BK/lorgnette.conf" >"$BK/tls.conf"
like "the TLS configuration was written" "$(cat "$BK/tls.conf")" 'tls = \{ certificate'
bk_web_start "$BK/tls.conf"
# shellcheck disable=SC2086
dm_wait 10 curl -fs $C -o /dev/null "$R/healthz"
# shellcheck disable=SC2086
out=$(curl -s $C -o /dev/null -w '%{http_code} %{scheme}' "$R/api/v1/routers")
is "lgwebd serves HTTPS itself with web.tls" "$out" "200 HTTPS"
out=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTPS/healthz")
unlike "and not plain HTTP on that port" "$out" '^200$'
dm_stop "$WEB_PID" "lgwebd (TLS) exits 0"
WEB_PID=
bk_stop
done_testing
