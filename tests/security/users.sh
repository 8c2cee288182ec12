#!/bin/sh
# Creates the system users the daemons run as, once: lgweb for lgwebd
# (its group is the one allowed on the broker socket, broker.socket_group)
# and lgbroker for lgbrokerd.  Neither has a home or a login shell.
# Idempotent: users that exist are left alone.  Used by make install and
# by the security tests.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "users.sh: run as root" >&2
	exit 1
fi
for u in lgweb lgbroker; do
	getent passwd "$u" >/dev/null && continue
	useradd --system --user-group --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin --comment "Lorgnette $u" "$u"
done
