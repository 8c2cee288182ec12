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
#   dp_broker NAME PORT ROUTERS [HOST]  $BK/NAME/lorgnette.conf: a
#                                broker listening on HOST:PORT (default
#                                127.0.0.1) with NAME's certificate,
#                                holding ROUTERS
#   dp_broker_start NAME         lgbrokerd -d on it, inside the network
#                                namespace DP_NS_NAME when that is set;
#                                its pid in DP_PID_NAME
#   dp_web CONF BROKERS ROUTERS  a front's configuration at CONF: listen
#                                on $DP_WEB_PORT, web.brokers = BROKERS
#   dp_link NAME PORT [CERT] [HOST]  one web.brokers entry (CERT: front,
#                                HOST: 127.0.0.1)
#   dp_http PATH                 "CODE BODY" of GET on the front
#
# Regions in network namespaces (root only), removed by dp_ns_cleanup,
# which dp_ns_up adds to BK_CLEANUP_EXTRA:
#   dp_ns_up NAME N              namespace lgdp<pid>-NAME, its loopback up,
#                                a veth pair to this namespace: here
#                                10.231.N.1, there 10.231.N.2 (DP_NS_NAME,
#                                DP_ADDR_NAME); set before dp_broker_start
#   dp_partition NAME / dp_heal NAME   drop / pass again every packet on
#                                the region's veth, inside its namespace
#                                (nftables): a silent link, no FIN, no RST
#
# Redis and the load (shared with tests/web/test_store.sh):
#   dp_redis_start PORT SOCK PASSFILE  redis-server on 127.0.0.1:PORT and
#                                SOCK, data in $BK/redis, no persistence;
#                                its pid in DP_REDIS_PID; 0 once it answers
#   dp_load URLS SECS OUT [ROUTERS] [THREADS]  tests/deploy/load.py in the
#                                background (pid in DP_LOAD_PID); OUT gets
#                                "OK BAD WRONG"

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
	_host=${4:-127.0.0.1}
	cat >"$BK/$1/lorgnette.conf" <<CONF
broker: {
  socket = "$BK/$1/broker.sock";
  admin_socket = "$BK/$1/admin.sock";
  drivers = "$LG_TOP/drivers";
  credentials = "$BK/credentials.conf";
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
  listen_tls = { listen = "$_host:$2"; ca = "$DP_PKI/ca.pem";
                 cert = "$DP_PKI/$1.pem"; key = "$DP_PKI/$1.key"; };
};
routers = (
$(printf '%s\n' "$3" | sed '$ s/,$//')
);
CONF
}

dp_broker_start() {
	eval "_ns=\${DP_NS_$1:-}"
	${_ns:+ip netns exec "$_ns"} env ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
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
	echo "  { name = \"$1\"; connect = \"${4:-127.0.0.1}:$2\"; ca = \"$DP_PKI/ca.pem\";"
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

DP_NETNS=
dp_ns_up() {
	_ns=lgdp$$-$1
	_vh=lgdp$2h$(($$ % 100000))
	_vn=lgdp$2n$(($$ % 100000))
	DP_NETNS="$DP_NETNS $_ns:$_vh"
	case ${BK_CLEANUP_EXTRA:-} in
	*dp_ns_cleanup*) ;;
	*) BK_CLEANUP_EXTRA="${BK_CLEANUP_EXTRA:-}${BK_CLEANUP_EXTRA:+; }dp_ns_cleanup" ;;
	esac
	ip netns add "$_ns" &&
	ip -n "$_ns" link set lo up &&
	ip link add "$_vh" type veth peer name "$_vn" &&
	ip link set "$_vn" netns "$_ns" &&
	ip addr add "10.231.$2.1/30" dev "$_vh" &&
	ip link set "$_vh" up &&
	ip -n "$_ns" addr add "10.231.$2.2/30" dev "$_vn" &&
	ip -n "$_ns" link set "$_vn" up || return 1
	eval "DP_NS_$1=$_ns DP_ADDR_$1=10.231.$2.2 DP_VETH_$1=$_vn"
	# The address answers once duplicate address detection is done.
	dm_wait 10 ping -c 1 -W 1 "10.231.$2.2" >/dev/null
}

# Removes the namespaces (their nftables tables and veth ends with
# them) after killing whatever still runs inside.
dp_ns_cleanup() {
	for _e in $DP_NETNS; do
		_ns=${_e%%:*}
		for _p in $(ip netns pids "$_ns" 2>/dev/null); do
			kill -KILL "$_p" 2>/dev/null
		done
		ip netns del "$_ns" 2>/dev/null
		ip link del "${_e#*:}" 2>/dev/null
	done
	DP_NETNS=
}

dp_partition() {
	eval "_ns=\$DP_NS_$1 _vn=\$DP_VETH_$1"
	ip netns exec "$_ns" nft -f - <<NFT
table inet lgdp_partition {
	chain in { type filter hook input priority 0; iifname "$_vn" drop; }
	chain out { type filter hook output priority 0; oifname "$_vn" drop; }
}
NFT
}

dp_heal() {
	eval "_ns=\$DP_NS_$1"
	ip netns exec "$_ns" nft delete table inet lgdp_partition
}

DP_REDIS_PID=
dp_redis_start() {
	mkdir -p "$BK/redis"
	redis-server --port "$1" --bind 127.0.0.1 --unixsocket "$2" \
	    --unixsocketperm 700 --dir "$BK/redis" --save '' \
	    --appendonly no --requirepass "$(cat "$3")" \
	    --logfile "$BK/redis.log" >/dev/null 2>&1 &
	DP_REDIS_PID=$!
	dm_wait 20 redis-cli -s "$2" -a "$(cat "$3")" --no-auth-warning ping
}

DP_LOAD_PID=
dp_load() {
	python3 "$LG_TOP/tests/deploy/load.py" "$@" &
	DP_LOAD_PID=$!
}
