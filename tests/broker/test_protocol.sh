#!/bin/sh
# The broker's side of PROTOCOL.md, spoken frame by frame by a raw client
# (protocol.py) against the emulator: flow control (no more than
# LG_WINDOW_INITIAL bytes before a WINDOW, then exactly what is granted),
# CANCEL ending a request once with cancelled, a client vanishing in the
# middle of a big answer, and every violation closing that connection
# only: version mismatch (with END), a message before HELLO, an admin
# message on the public socket, request id 0, a duplicate id, a
# truncated payload, an unknown type.  Last, HOSTKEY's refusals on the
# admin socket, each with its own error code.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

for b in lgbrokerd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "no python3"

bk_init proto
PORTS=$(bk_free_base 100) || skip_all "no free ports"
bk_emu_up "$PORTS" 50
# huge1 floods the answer to this one command.
LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl fault huge1 huge_on \
    "show bgp ipv4 unicast 1.0.4" >/dev/null

bk_emu_credentials
cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LG_EMU_KNOWN_HOSTS";
  deadlines = { bgp_route = 60; };
};
routers = (
  { name = "huge"; driver = "cisco-ios"; transport = "ssh"; host = "127.0.0.1";
    port = $LG_EMU_huge1_SSH; credential = "emu"; sessions = 1; },
  { name = "ios"; driver = "cisco-ios"; transport = "telnet";
    host = "127.0.0.1"; port = $LG_EMU_ios1_TELNET; credential = "emu";
    sessions = 1; }
);
CONF

if bk_start; then pass "lgbrokerd starts"; else fail "lgbrokerd starts" "$(bk_log)"; fi
ok "routers up" bk_wait_up -t 30 huge ios

python3 "$(dirname "$0")/protocol.py" --socket "$BK/broker.sock" \
    --router huge --target 1.0.4.0/24 --small-router ios \
    --small-target 1.0.4.0/24 >"$BK/protocol.out" 2>&1
while IFS= read -r l; do
	case $l in
	"PASS - "*) pass "${l#PASS - }" ;;
	"FAIL - "*) fail "${l#FAIL - }" ;;
	*) echo "$l" ;;
	esac
done <"$BK/protocol.out"

log=$(bk_log)
like "violations are logged with the peer's uid and pid" "$log" \
    'control client uid [0-9]+ pid [0-9]+: STATUS not allowed on this socket'
like "the version mismatch is logged" "$log" \
    "protocol version 99 not supported, broker speaks $(awk \
    '/^#define LG_PROTO_VERSION/ { print $3 }' "$LG_TOP/include/lg_proto.h")"
ok "the flooded router's session came back" bk_wait_up -t 30 huge

# HOSTKEY's refusals each carry their own code.
like "hostkey of a telnet router is unsupported" "$(bk_ctl hostkey ios 2>&1)" \
    '^lgctl: unsupported: router ios is reached by telnet'
like "hostkey of a router not configured is unknown_router" \
    "$(bk_ctl hostkey nosuch 2>&1)" '^lgctl: unknown_router: unknown router'
bk_stop
done_testing
