# Helpers for the suites that run the daemons themselves: ports, waits
# and a clean stop.  Source after tests/lib/tap.sh (tests/broker/lib.sh
# sources this file).
#
#   dm_free_port             an unused TCP port on 127.0.0.1
#   dm_wait SECS CMD...      runs CMD (its output thrown away) every DM_POLL
#                            seconds (0.1) until it succeeds; returns 1 if
#                            SECS seconds pass first
#   dm_stop PID DESC [SECS]  SIGTERM, and the check DESC: PID exits 0
#                            within SECS seconds (30; after that it is
#                            killed and the check fails)
#   dm_clean DESC LOG [ERE]  the check DESC: LOG holds no sanitizer report
#                            (nor a line matching ERE)
#
# dm_stop waits with kill -0, which sees a child exit once the shell has
# reaped it (dash does between commands); wait then gives its status.

DM_POLL=${DM_POLL:-0.1}
DM_SANITIZER='ERROR: (Address|Leak)Sanitizer|runtime error'

dm_free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

dm_wait() {
	_dm_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_dm_end" ] || return 1
		sleep "$DM_POLL"
	done
}

dm_stop() {
	kill -TERM "$1"
	_dm_secs=${3:-30}
	_dm_end=$(($(date +%s) + _dm_secs))
	while kill -0 "$1" 2>/dev/null && [ "$(date +%s)" -lt "$_dm_end" ]; do
		sleep 0.1
	done
	_dm_late=
	if kill -0 "$1" 2>/dev/null; then
		_dm_late="still running $_dm_secs s after SIGTERM"
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1"
	_dm_rc=$?
	if [ -z "$_dm_late" ] && [ "$_dm_rc" -eq 0 ]; then
		pass "$2"
	else
		fail "$2" "exit status $_dm_rc${_dm_late:+, $_dm_late}"
	fi
}

dm_clean() {
	_dm_pat=$DM_SANITIZER
	[ -n "${3:-}" ] && _dm_pat="$_dm_pat|$3"
	unlike "$1" "$(cat "$2")" "$_dm_pat"
}
