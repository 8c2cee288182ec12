# Helpers for the broker integration tests: a private lgbrokerd with a
# generated configuration, talked to through lgctl on its admin socket.
# Source after tests/lib/tap.sh, with LG_TOP and LG_BUILD set.
#
#   bk_init NAME           work directory $BK (removed at exit)
#   bk_start               start lgbrokerd -d on $BK/lorgnette.conf
#   bk_wait_up R... [-t s] until every router named is "up" in status
#   bk_ctl ARGS...         lgctl -s $BK/admin.sock -t 30 ARGS
#   bk_stop                SIGTERM; fails the test if it does not exit 0
#   bk_log                 the broker's log so far

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LG_BUILD=${LG_BUILD:-build/san}
case $LG_BUILD in /*) BK_BIN=$LG_BUILD ;; *) BK_BIN=$LG_TOP/$LG_BUILD ;; esac
BK_PID=

bk_init() {
	BK=$(mktemp -d "/tmp/lg-broker-$1.XXXXXX") || exit 1
	BK_MAIN=$(exec sh -c 'echo $PPID')
	trap bk_cleanup EXIT INT TERM
}

# Runs in the main shell only: a background subshell inherits the trap.
bk_cleanup() {
	[ "$(exec sh -c 'echo $PPID')" = "$BK_MAIN" ] || return 0
	if [ -n "$BK_PID" ] && kill -0 "$BK_PID" 2>/dev/null; then
		kill -TERM "$BK_PID" 2>/dev/null
		sleep 1
		kill -KILL "$BK_PID" 2>/dev/null
	fi
	[ -n "${BK_CLEANUP_EXTRA:-}" ] && eval "$BK_CLEANUP_EXTRA"
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$BK"
}

bk_start() {
	# A small quarantine keeps sanitizer RSS close to the real thing.
	ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=4" \
	    "$BK_BIN/lgbrokerd" -d -v -f "$BK/lorgnette.conf" \
	    >"$BK/broker.log" 2>&1 &
	BK_PID=$!
	i=0
	while [ ! -S "$BK/admin.sock" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$BK/admin.sock" ]
}

bk_ctl() {
	"$BK_BIN/lgctl" -s "$BK/admin.sock" -t 30 "$@"
}

bk_state() {
	bk_ctl status 2>/dev/null | awk -v r="$1" '$1 == r { print $2 }'
}

bk_wait_up() {
	limit=30
	if [ "$1" = -t ]; then limit=$2; shift 2; fi
	end=$(( $(date +%s) + limit ))
	for r in "$@"; do
		until [ "$(bk_state "$r")" = up ]; do
			[ "$(date +%s)" -ge "$end" ] && return 1
			sleep 0.2
		done
	done
	return 0
}

bk_log() {
	cat "$BK/broker.log"
}

bk_stop() {
	kill -TERM "$BK_PID"
	wait "$BK_PID"
	rc=$?
	BK_PID=
	is "lgbrokerd exits 0 on SIGTERM" "$rc" 0
	unlike "no sanitizer report" "$(bk_log)" 'ERROR: (Address|Leak)Sanitizer|runtime error:'
}
