# Helpers for the broker integration tests: a private lgbrokerd with a
# generated configuration, talked to through lgctl on its admin socket.
# Source after tests/lib/tap.sh, with LG_TOP and LG_BUILD set.
#
#   bk_init NAME           work directory $BK (removed at exit)
#   bk_start               start lgbrokerd -d on $BK/lorgnette.conf
#   bk_wait_up R... [-t s] until every router named is "up" in status
#   bk_ctl ARGS...         lgctl -s $BK/admin.sock -t 30 ARGS (180 under valgrind)
#   bk_secs N              N seconds, times BK_SLOW: for deadlines and waits
#   bk_stop                SIGTERM; fails the test if it does not exit 0
#   bk_log                 the broker's log so far
#   bk_emu_up BASE [OFF]   a private emulator in $BK/emu on SSH ports from
#                          BASE and telnet ports from BASE+OFF (20),
#                          stopped with the test; its emu.env sourced
#   bk_emu_credentials [ENTRY...]  credentials.conf with "emu" for it
#                          (and each ENTRY, a libconfig setting)
#   bk_web_start [CONF]    lgwebd -d on CONF ($BK/lorgnette.conf), output
#                          appended to $BK/web.log; its pid in WEB_PID,
#                          killed with the test
#   bk_web_stop [DESC]     SIGTERM; the checks that lgwebd exits 0 (DESC)
#                          and that web.log holds no sanitizer report
#   bk_free_base COUNT     a port P with P .. P+COUNT-1 free on 127.0.0.1,
#                          so that suites running at once do not collide
#   bk_lab_config [POLICY] the configuration for the lab routers
#   bk_conf_paths          the broker section's lines for the sockets the
#                          helpers use ($BK/broker.sock, $BK/admin.sock),
#                          the shipped drivers and $BK/credentials.conf
#
# tests/lib/daemon.sh comes with this file (dm_free_port, dm_wait,
# dm_stop, dm_clean).
#
# LG_VALGRIND=1 runs lgbrokerd from build/plain (BK_BROKER_BIN) under
# valgrind's memcheck instead, without its sandbox (-S off: seccomp
# would kill valgrind's own system calls); bk_stop then also asserts
# that valgrind found no error and no definite or indirect leak and that
# no descriptor the broker opened is left open at exit (valgrind.supp
# says what is suppressed and why).  Tests check BK_VALGRIND
# for what only makes sense natively (RSS, latency).
#
# Deadlines and waits are written for a native broker on a machine twice
# as slow as a quiet one; BK_SLOW (5 under valgrind, else 1) stretches
# them through bk_secs and bk_wait_up, since memcheck makes the broker
# some ten times slower and a loaded machine slower still.

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LG_BUILD=${LG_BUILD:-build/san}
case $LG_BUILD in /*) BK_BIN=$LG_BUILD ;; *) BK_BIN=$LG_TOP/$LG_BUILD ;; esac
. "$LG_TOP/tests/lib/daemon.sh"
BK_PID=
WEB_PID=
BK_VALGRIND=${LG_VALGRIND:-0}
BK_BROKER_BIN=$BK_BIN
BK_CTL_TIMEOUT=30
BK_SLOW=1
if [ "$BK_VALGRIND" = 1 ]; then
	BK_BROKER_BIN=$LG_TOP/build/plain
	# lgctl's -t bounds each read, not the whole answer.
	BK_CTL_TIMEOUT=180
	BK_SLOW=5
fi

bk_secs() {
	echo $(($1 * BK_SLOW))
}

bk_init() {
	BK=$(mktemp -d "/tmp/lg-broker-$1.XXXXXX") || exit 1
	BK_MAIN=$(exec sh -c 'echo $PPID')
	trap bk_cleanup EXIT INT TERM
}

# Runs in the main shell only: a background subshell inherits the trap.
bk_cleanup() {
	[ "$(exec sh -c 'echo $PPID')" = "$BK_MAIN" ] || return 0
	[ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null
	if [ -n "$BK_PID" ] && kill -0 "$BK_PID" 2>/dev/null; then
		kill -TERM "$BK_PID" 2>/dev/null
		sleep 1
		kill -KILL "$BK_PID" 2>/dev/null
	fi
	[ -n "${BK_CLEANUP_EXTRA:-}" ] && eval "$BK_CLEANUP_EXTRA"
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$BK"
}

bk_start() {
	if [ "$BK_VALGRIND" = 1 ]; then
		set -- valgrind --tool=memcheck --leak-check=full \
		    --show-leak-kinds=definite,indirect \
		    --errors-for-leak-kinds=definite,indirect \
		    --error-exitcode=99 --track-fds=yes \
		    --suppressions="$LG_TOP/tests/broker/valgrind.supp" \
		    --log-file="$BK/valgrind.log" \
		    "$BK_BROKER_BIN/lgbrokerd" -S off
	else
		# A small quarantine keeps sanitizer RSS close to the real
		# thing.
		set -- env ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
		    "$BK_BIN/lgbrokerd"
	fi
	# BK_WRAP: a command the broker runs under (a namespace, setpriv).
	# shellcheck disable=SC2086
	${BK_WRAP:-} "$@" -d -v -f "$BK/lorgnette.conf" >"$BK/broker.log" 2>&1 &
	BK_PID=$!
	i=0
	while [ ! -S "$BK/admin.sock" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$BK/admin.sock" ]
}

bk_conf_paths() {
	cat <<CONF
  socket = "$BK/broker.sock";
  admin_socket = "$BK/admin.sock";
  drivers = "$LG_TOP/drivers";
  credentials = "credentials.conf";
CONF
}

bk_ctl() {
	"$BK_BIN/lgctl" -s "$BK/admin.sock" -t "$BK_CTL_TIMEOUT" "$@"
}

bk_state() {
	bk_ctl status 2>/dev/null | awk -v r="$1" '$1 == r { print $2 }'
}

bk_wait_up() {
	limit=30
	if [ "$1" = -t ]; then limit=$2; shift 2; fi
	end=$(( $(date +%s) + limit * BK_SLOW ))
	for r in "$@"; do
		until [ "$(bk_state "$r")" = up ]; do
			[ "$(date +%s)" -ge "$end" ] && return 1
			sleep 0.2
		done
	done
	return 0
}

# bk_lab_up: brings the lab up (or finds it up) and reads its lab.env;
# skips the whole file when it cannot, with the lab's last words.
bk_lab_up() {
	[ "$(id -u)" = 0 ] || skip_all "the lab needs root"
	if ! _up=$(sh "$LG_TOP/tests/lab/lab.sh" up 2>&1); then
		printf '%s\n' "$_up" | tail -20 | sed 's/^/# /'
		skip_all "the lab did not come up (its last words above)"
	fi
	. "$(sh "$LG_TOP/tests/lab/lab.sh" env)"
}

bk_log() {
	cat "$BK/broker.log"
}

# bk_wait_log COUNT TEXT: waits until the broker's log has COUNT lines
# holding TEXT (fixed), as long as bk_wait_up would; 1 if it never does.
bk_wait_log() {
	end=$(( $(date +%s) + 30 * BK_SLOW ))
	until [ "$(grep -cF -- "$2" "$BK/broker.log")" -ge "$1" ]; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
	return 0
}

bk_stop() {
	dm_stop "$BK_PID" "lgbrokerd exits 0 on SIGTERM" "$(bk_secs 30)"
	BK_PID=
	dm_clean "no sanitizer report" "$BK/broker.log"
	[ "$BK_VALGRIND" = 1 ] && bk_valgrind_check
	return 0
}

bk_web_start() {
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	    "$BK_BIN/lgwebd" -d -f "${1:-$BK/lorgnette.conf}" \
	    >>"$BK/web.log" 2>&1 &
	WEB_PID=$!
}

bk_web_stop() {
	dm_stop "$WEB_PID" "${1:-lgwebd exits 0 on SIGTERM}"
	WEB_PID=
	dm_clean "lgwebd: no sanitizer report" "$BK/web.log"
}

# The summary of the valgrind run that just ended: errors and leaks fail
# the test; the descriptors still open at exit are listed.
bk_valgrind_check() {
	vg=$BK/valgrind.log
	pat='ERROR SUMMARY|in use at exit|All heap blocks|definitely lost'
	pat="$pat|indirectly lost|possibly lost|still reachable|FILE DESCRIPTORS"
	sum=$(grep -E "$pat" "$vg" |
	    sed 's/^==[0-9]*== *//')
	printf '%s\n' "$sum" | sed 's/^/# valgrind: /'
	like "valgrind: no memory error" "$sum" 'ERROR SUMMARY: 0 errors'
	unlike "valgrind: no definite or indirect leak" "$sum" \
	    '(definitely|indirectly) lost: [1-9]'
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$vg"; then
		sed -n '/^==[0-9]*== [A-Z][a-z]* .*\(read\|write\|jump\|free\|lost\|uninitialised\)/,/^==[0-9]*== $/p' \
		    "$vg" | head -60 | sed 's/^/#   /'
	fi
	# Descriptors the broker opened and never closed (those inherited
	# from the shell are not its own), each with where it was opened.
	fds=$(sed 's/^==[0-9]*== *//' "$vg" | awk '
	    /^Open (file descriptor|AF_[A-Z0-9]* socket) / { d = $0; w = ""; n = 0; next }
	    d != "" && /<inherited from parent>/ { d = ""; next }
	    d != "" && /^$/ { print d ": " w; d = ""; next }
	    d != "" && n < 3 { w = w (n ? " < " : "") $0; n++ }')
	is "valgrind: no descriptor the broker opened is left open at exit" \
	    "$fds" ""
}

# bk_emu_start: starts a private emulator (LG_EMU_DIR and the port bases
# set by the caller) and sources its emu.env; a failure ends the test.
bk_emu_start() {
	if ! LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" start \
	    >"$BK/emu-start.log" 2>&1; then
		fail "emulator starts" "$(cat "$BK/emu-start.log")"
		done_testing
		exit 1
	fi
	. "$LG_EMU_DIR/emu.env"
}

bk_emu_up() {
	export LG_EMU_DIR=$BK/emu LG_EMU_SSH_BASE=$1 \
	    LG_EMU_TELNET_BASE=$(($1 + ${2:-20}))
	BK_CLEANUP_EXTRA="${BK_CLEANUP_EXTRA:-}${BK_CLEANUP_EXTRA:+; }"'LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1'
	bk_emu_start
}

bk_emu_credentials() {
	{
		echo 'credentials = {'
		echo "  emu = { username = \"$LG_EMU_USER\"; password = \"$LG_EMU_PASS\";"
		echo "          enable = \"$LG_EMU_ENABLE\"; };"
		for _e in "$@"; do
			echo "  $_e"
		done
		echo '};'
	} >"$BK/credentials.conf"
	chmod 600 "$BK/credentials.conf"
}

# bk_fake_start ARGS...: fake_router.py with ARGS (its --telnet and
# --ssh-disconnect routers), stopped with the test, and credentials.conf
# for it (user lg, password lg, credential "c").  Returns once it listens.
bk_fake_start() {
	python3 "$LG_TOP/tests/broker/fake_router.py" "$@" >"$BK/fake.log" 2>&1 &
	BK_FAKE=$!
	BK_CLEANUP_EXTRA="kill $BK_FAKE 2>/dev/null; ${BK_CLEANUP_EXTRA:-}"
	printf 'credentials = { c = { username = "lg"; password = "lg"; }; };\n' \
	    >"$BK/credentials.conf"
	chmod 600 "$BK/credentials.conf"
	_i=0
	until grep -q ready "$BK/fake.log"; do
		[ $_i -ge 100 ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

bk_free_base() {
	python3 - "$1" <<'PY'
import random, socket, sys

def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()

n = int(sys.argv[1])
for _ in range(200):
    # Below the ephemeral range (32768-60999), where client sockets
    # would take ports between the check and the bind.
    base = random.randrange(12000, 32000 - n)
    if all(free(p) for p in range(base, base + n)):
        print(base)
        sys.exit(0)
sys.exit(1)
PY
}

# bk_lab_config [POLICY]: credentials.conf and lorgnette.conf in $BK for
# the integration lab (tests/lab; lab.env sourced): r1 over SSH with the
# password (two sessions), r1key with the key, r1v6 on r1's IPv6 address,
# r1tel on bgpd's vty over telnet (r1telfrr the same with the vtysh
# driver), r2, and r3 (BIRD), each query in
# $BK/audit.json.  POLICY is the body of the policy section; by default
# the lab's own networks (198.18.0.0/15, 2001:2::/48) are allowed.
bk_lab_config() {
	_policy=${1:-'  # The lab lives in 198.18.0.0/15 and 2001:2::/48: allowed here.
  forbidden = [ "10.0.0.0/8", "127.0.0.0/8", "fc00::/7", "::1/128" ];
  min_prefix4 = 8;
  min_prefix6 = 16;'}
	cat >"$BK/credentials.conf" <<CRED
credentials = {
  lab = { username = "$LAB_USER"; password = "$LAB_PASSWORD"; };
  labkey = { username = "$LAB_USER"; key = "$LAB_KEY"; };
  vty = { username = "$LAB_USER"; password = "$LAB_VTY_PASSWORD"; };
};
CRED
	chmod 600 "$BK/credentials.conf"
	cat >"$BK/lorgnette.conf" <<CONF
broker: {
$(bk_conf_paths)
  known_hosts = "$LAB_KNOWN_HOSTS";
  connect_timeout = 10;
  deadlines = { bgp_aspath = $(bk_secs 120); traceroute = $(bk_secs 60); };
  audit_log = "$BK/audit.json";
};
policy: {
$_policy
};
routers = (
  { name = "r1"; driver = "frr"; transport = "ssh"; host = "$LAB_R1_MGMT4";
    credential = "lab"; sessions = 2; },
  { name = "r1key"; driver = "frr"; transport = "ssh"; host = "$LAB_R1_MGMT4";
    credential = "labkey"; sessions = 1; },
  { name = "r1v6"; driver = "frr"; transport = "ssh"; host = "$LAB_R1_MGMT6";
    credential = "lab"; sessions = 1; },
  { name = "r1tel"; driver = "frr-bgpd"; transport = "telnet";
    host = "$LAB_R1_MGMT4"; port = $LAB_R1_TELNET_PORT; credential = "vty";
    sessions = 1; },
  # The vtysh driver on bgpd's vty, on purpose: what bgpd cannot run must
  # still end in command_failed.
  { name = "r1telfrr"; driver = "frr"; transport = "telnet";
    host = "$LAB_R1_MGMT4"; port = $LAB_R1_TELNET_PORT; credential = "vty";
    sessions = 1; },
  { name = "r2"; driver = "frr"; transport = "ssh"; host = "$LAB_R2_MGMT4";
    credential = "lab"; sessions = 1; },
  { name = "r3"; driver = "bird"; transport = "ssh"; host = "$LAB_R3_MGMT4";
    credential = "lab"; sessions = 1; }
);
CONF
}
