# Helpers for regional brokers over mutual TLS (DESIGN.md section 17):
# a throwaway PKI, brokers each with its own configuration and
# broker.listen_tls, and lgwebd with web.brokers.  Source after
# tests/lib/tap.sh and tests/broker/lib.sh, after bk_init and bk_emu_up
# (the brokers log in to the private emulator's routers).
#
#   dp_pki                       $BK/pki: ca, a foreign CA, certificates
#   dp_cert NAME SAN [CA] [CN]   $BK/pki/NAME.pem and .key, signed by CA
#                                (default ca), subjectAltName DNS:SAN,
#                                common name CN (default SAN)
#   dp_router NAME EMU TRANSPORT DRIVER   one router line, for the configs
#   dp_broker NAME PORT ROUTERS  $BK/NAME/lorgnette.conf: a broker
#                                listening on 127.0.0.1:PORT with NAME's
#                                certificate, holding ROUTERS
#   dp_broker_start NAME         lgbrokerd -d on it; its pid in DP_PID_NAME
#   dp_web CONF BROKERS ROUTERS  a front's configuration at CONF: listen
#                                on $DP_WEB_PORT, web.brokers = BROKERS
#   dp_link NAME PORT [CERT]     one web.brokers entry (CERT: front)
#   dp_http PATH                 "CODE BODY" of GET on the front

DP_PKI=
dp_pki() {
	DP_PKI=$BK/pki
	mkdir -p "$DP_PKI"
	for ca in ca foreign; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		    -nodes -days 2 -subj "/CN=lorgnette test $ca" \
		    -addext basicConstraints=critical,CA:TRUE \
		    -addext keyUsage=critical,keyCertSign,cRLSign \
		    -keyout "$DP_PKI/$ca.key" -out "$DP_PKI/$ca.pem" \
		    >/dev/null 2>&1 || return 1
	done
}

dp_cert() {
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' \
	    "$2" >"$DP_PKI/$1.ext"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -subj "/CN=${4:-$2}" -keyout "$DP_PKI/$1.key" -out "$DP_PKI/$1.csr" \
	    >/dev/null 2>&1 &&
	openssl x509 -req -in "$DP_PKI/$1.csr" -CA "$DP_PKI/${3:-ca}.pem" \
	    -CAkey "$DP_PKI/${3:-ca}.key" -set_serial "0x$(openssl rand -hex 8)" \
	    -days 2 -extfile "$DP_PKI/$1.ext" -out "$DP_PKI/$1.pem" \
	    >/dev/null 2>&1
}

dp_router() {
	eval "_port=\$LG_EMU_${2}_$(echo "$3" | tr a-z A-Z)"
	echo "  { name = \"$1\"; driver = \"$4\"; transport = \"$3\";"
	echo "    host = \"127.0.0.1\"; port = $_port; credential = \"emu\";"
	echo "    sessions = 1; },"
}

dp_broker() {
	mkdir -p "$BK/$1"
	cat >"$BK/$1/lorgnette.conf" <<CONF
broker: {
  socket = "$BK/$1/broker.sock";
  admin_socket = "$BK/$1/admin.sock";
  drivers = "$LG_TOP/drivers";
  credentials = "$BK/credentials.conf";
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
  listen_tls = { listen = "127.0.0.1:$2"; ca = "$DP_PKI/ca.pem";
                 cert = "$DP_PKI/$1.pem"; key = "$DP_PKI/$1.key"; };
};
routers = (
$(printf '%s\n' "$3" | sed '$ s/,$//')
);
CONF
}

dp_broker_start() {
	env ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
	    "$BK_BIN/lgbrokerd" -d -v -f "$BK/$1/lorgnette.conf" \
	    >>"$BK/$1/broker.log" 2>&1 &
	eval "DP_PID_$1=$!"
	BK_CLEANUP_EXTRA="kill -CONT $! 2>/dev/null; kill -9 $! 2>/dev/null; ${BK_CLEANUP_EXTRA:-}"
	_i=0
	until [ -S "$BK/$1/admin.sock" ] && grep -q "over TLS" "$BK/$1/broker.log"; do
		[ $_i -ge 300 ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

dp_link() {
	echo "  { name = \"$1\"; connect = \"127.0.0.1:$2\"; ca = \"$DP_PKI/ca.pem\";"
	echo "    cert = \"$DP_PKI/${3:-front}.pem\"; key = \"$DP_PKI/${3:-front}.key\"; },"
}

dp_web() {
	cat >"$1" <<CONF
web: {
  listen = [ "127.0.0.1:$DP_WEB_PORT" ];
  www = "$LG_TOP/www";
  rate = { bgp_route = "0"; route = "0"; };
  cache = { bgp_route = 0; route = 0; };
  max_inflight_client = 64;
  brokers = (
$(printf '%s\n' "$2" | sed '$ s/,$//')
  );
};
routers = (
$(printf '%s\n' "$3" | sed '$ s/,$//')
);
CONF
}

dp_http() {
	curl -s -m 20 -o "$BK/http.body" -w '%{http_code}' \
	    "http://127.0.0.1:$DP_WEB_PORT$1" >"$BK/http.code" 2>/dev/null
	# printf: dash's echo would turn the JSON's \n escapes into lines.
	printf '%s %s\n' "$(cat "$BK/http.code")" "$(cat "$BK/http.body")"
}

# dp_state ROUTER: its state in /api/v1/routers ("" when absent).
dp_state() {
	curl -s -m 10 "http://127.0.0.1:$DP_WEB_PORT/api/v1/routers" |
	    python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for r in d.get("routers", []):
    if r["name"] == sys.argv[1]:
        print(r["state"], r["group"])' "$1"
}

# dp_wait_state ROUTER STATE SECONDS: until ROUTER shows STATE; prints
# the milliseconds it took, or returns 1.
dp_wait_state() {
	_t0=$(date +%s%N)
	_end=$(( $(date +%s) + $3 ))
	until [ "$(dp_state "$1" | cut -d' ' -f1)" = "$2" ]; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
	echo $(( ($(date +%s%N) - _t0) / 1000000 ))
}
