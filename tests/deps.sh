#!/bin/sh
# Installs every build and test dependency with apt-get.  Idempotent: when
# everything is present it says nothing and touches no network.
set -eu

PACKAGES="
build-essential pkg-config clang
libssh-dev libtelnet-dev libpcre2-dev libconfig-dev libmicrohttpd-dev
libjansson-dev libcmocka-dev libseccomp-dev libsystemd-dev nettle-dev libgnutls28-dev gdb
libsqlite3-dev libhiredis-dev redis-server
librtr-dev stayrtr
frr bird2 openssh-server openssh-client inetutils-telnet
iproute2 iputils-ping traceroute mtr-tiny procps psmisc nftables
python3 python3-jsonschema curl wrk mandoc valgrind strace expect sshpass fail2ban
systemd nginx prometheus dnsmasq-base gnuplot-nox
chromium nodejs npm
debhelper lintian logrotate
"

missing=""
for p in $PACKAGES; do
	# npm also comes inside other nodejs builds (NodeSource's), which
	# conflict with Debian's npm package: a working npm is enough.
	[ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root (sudo make deps)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# The packages ship services the tests start on their own terms.
for s in frr bird ssh nginx stayrtr redis-server; do
	systemctl disable --now "$s" >/dev/null 2>&1 || true
done
