#!/bin/sh
# The Debian package, end to end, as an operator meets it (root only, and
# only on a machine where Lorgnette is not installed otherwise):
#   - make deb builds it, lintian finds nothing, its version is LG_VERSION;
#   - apt-get install ./lorgnette_*.deb creates lgweb and lgbroker, the
#     credentials file 0600 for lgbroker, conffiles, Type=notify units that
#     systemd-analyze verify accepts and that are not enabled;
#   - the installed lgbrokerd -n accepts the installed example;
#   - a reinstall (the upgrade path) keeps the operator's credentials and
#     configuration;
#   - the installed daemons, run by hand as the package's users, answer a
#     query against the vendor CLI emulator through lgwebd's API;
#   - apt-get remove keeps /etc/lorgnette, purge removes it and the state;
#   - the file list after purge equals the one before install, apart from
#     apt's and dpkg's own state and the user databases; the users this
#     test created are removed by the test (purge keeps system users).

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (installs a package)"
for c in apt-get dpkg-buildpackage dh curl; do
	command -v "$c" >/dev/null || skip_all "$c missing (make deps)"
done
[ -x "$BK_BIN/lgemu" ] || skip_all "$BK_BIN/lgemu not built"
dpkg-query -W -f='${Status}' lorgnette 2>/dev/null | grep -q installed &&
    skip_all "the lorgnette package is already installed"
[ -e /etc/lorgnette ] && skip_all "/etc/lorgnette exists (make install?)"

cd "$LG_TOP" || exit 1
bk_init deb
chmod 755 "$BK"
START=$(date +%s)
VERSION=$(awk -F'"' '/^.define LG_VERSION[ \t]/ { print $2 }' include/lg.h)
export DEBIAN_FRONTEND=noninteractive
NEW_USERS=
for u in lgweb lgbroker; do
	getent passwd "$u" >/dev/null || NEW_USERS="$NEW_USERS $u"
done
APT_LOG=$BK/apt.log
apt() { apt-get -y -q -o Dpkg::Options::=--force-confold "$@" >>"$APT_LOG" 2>&1; }
BK_CLEANUP_EXTRA='sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1;
	[ -n "${WEB_PID:-}" ] && kill "$WEB_PID" 2>/dev/null;
	dpkg-query -W -f="\${Status}" lorgnette 2>/dev/null | grep -q " installed" &&
	    apt-get -y -q purge lorgnette >/dev/null 2>&1;
	for u in $NEW_USERS; do userdel "$u" 2>/dev/null; groupdel "$u" 2>/dev/null; done'

# Everything a package could leave behind, less what apt, dpkg and the
# user databases keep for themselves, and what other programs write.
snapshot() {
	find /etc /usr /lib /opt /srv /var/lib /var/log/lorgnette /run/lorgnette \
	    -xdev 2>/dev/null |
	    grep -Ev '^/var/lib/(apt|dpkg)(/|$)|^/etc/(passwd|group|shadow|gshadow)-?$|^/etc/ld\.so\.cache$|/__pycache__(/|$)' |
	    sort
}

# --- build ---------------------------------------------------------------
if make --no-print-directory deb >"$BK/build.log" 2>&1; then
	pass "make deb builds the package"
else
	fail "make deb builds the package" "$(tail -30 "$BK/build.log")"
	done_testing
	exit 1
fi
DEB=$(ls "$LG_TOP"/build/deb/lorgnette_*_*.deb)
# The package tree has etc/logrotate.d, a directory named like a
# dependency file.
ok "the Makefile still reads with the package tree in build/" \
    make --no-print-directory -n progs
like "override_dh_auto_test ran the unit tests only" \
    "$(grep -E '^(ok|FAIL) ' "$BK/build.log" | awk '{ print $2 }' | cut -d/ -f1 | sort -u)" '^unit$'
is "the package's version is LG_VERSION" \
    "$(dpkg-deb -f "$DEB" Version)" "$VERSION"
if command -v lintian >/dev/null; then
	(cd build/deb && lintian --fail-on error,warning \
	    lorgnette_*.changes) >"$BK/lintian.log" 2>&1
	rc=$?
	is "lintian: no error and no warning" \
	    "$rc:$(grep -v 'running with root' "$BK/lintian.log")" "0:"
fi
like "debian/copyright is machine-readable" \
    "$(head -1 debian/copyright)" '^Format: https://www\.debian\.org/doc/packaging-manuals/copyright-format/1\.0/$'

# --- install -------------------------------------------------------------
snapshot >"$BK/before"
: >"$APT_LOG"
ok "apt-get install ./lorgnette_*.deb" apt install "$DEB"
ok "it created the user lgbroker" getent passwd lgbroker
ok "it created the user lgweb" getent passwd lgweb
like "lgbroker is in group lgweb (the broker socket)" \
    "$(id -Gn lgbroker)" '(^| )lgweb( |$)'
is "credentials.conf: 0600, owned by lgbroker" \
    "$(stat -c '%a %U %G' /etc/lorgnette/credentials.conf)" "600 lgbroker lgbroker"
ok "known_hosts exists" test -f /etc/lorgnette/known_hosts
is "the conffiles are lorgnette.conf and the logrotate file" \
    "$(dpkg-query -W -f='${Conffiles}\n' lorgnette | awk 'NF { print $1 }' | sort | tr '\n' ' ')" \
    "/etc/logrotate.d/lorgnette /etc/lorgnette/lorgnette.conf "
out=$(/usr/sbin/lgbrokerd -n -f /etc/lorgnette/lorgnette.conf 2>&1)
is "the installed lgbrokerd -n accepts the installed example" "$out" \
    "configuration OK"
out=$(/usr/sbin/lgwebd -n -f /etc/lorgnette/lorgnette.conf 2>&1)
is "and so does the installed lgwebd -n" "$out" "configuration OK"
UNITS="/lib/systemd/system/lgbrokerd.service /lib/systemd/system/lgwebd.service"
is "both units are Type=notify" "$(grep -h '^Type=' $UNITS | tr '\n' ' ')" \
    "Type=notify Type=notify "
if command -v systemd-analyze >/dev/null; then
	# shellcheck disable=SC2086
	out=$(systemd-analyze verify --man=no $UNITS 2>&1)
	is "systemd-analyze verify: the installed units" "$?:$out" "0:"
fi
is "neither unit is enabled on install" \
    "$(ls /etc/systemd/system/*.wants/ 2>/dev/null | grep -c -E '^(lgbrokerd|lgwebd)\.service$')" 0
if command -v logrotate >/dev/null; then
	ok "logrotate accepts /etc/logrotate.d/lorgnette" \
	    logrotate -d /etc/logrotate.d/lorgnette
fi

# --- an upgrade keeps what the operator wrote ------------------------------
echo "# operator's" >>/etc/lorgnette/credentials.conf
echo "# operator's" >>/etc/lorgnette/lorgnette.conf
ok "apt-get install --reinstall (the upgrade path)" apt install --reinstall "$DEB"
is "the credentials file is not overwritten" \
    "$(tail -1 /etc/lorgnette/credentials.conf):$(stat -c '%a %U' /etc/lorgnette/credentials.conf)" \
    "# operator's:600 lgbroker"
is "the configuration is kept" "$(tail -1 /etc/lorgnette/lorgnette.conf)" "# operator's"

# --- the installed daemons, by hand, against the emulator ----------------
B=$(bk_free_base 41)
PORT=$((B + 40))
export LG_EMU_DIR=$BK/emu LG_EMU_SSH_BASE=$B LG_EMU_TELNET_BASE=$((B + 20))
bk_emu_start
cp "$LG_EMU_KNOWN_HOSTS" "$BK/known_hosts"
bk_emu_credentials
cat >"$BK/lorgnette.conf" <<EOF
broker: {
  socket = "$BK/run/broker.sock";
  admin_socket = "$BK/run/admin.sock";
  socket_group = "lgweb";
  user = "lgbroker";
  drivers = "/usr/share/lorgnette/drivers";
  credentials = "credentials.conf";
  known_hosts = "known_hosts";
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "/usr/share/lorgnette/www";
  user = "lgweb";
};
routers = (
  { name = "ios"; driver = "cisco-ios"; transport = "ssh"; host = "127.0.0.1";
    port = $LG_EMU_ios1_SSH; credential = "emu"; }
);
EOF
install -d -m 0755 -o lgbroker -g lgweb "$BK/run"
/usr/sbin/lgbrokerd -d -f "$BK/lorgnette.conf" >"$BK/broker.log" 2>&1 &
BK_PID=$!
/usr/sbin/lgwebd -d -f "$BK/lorgnette.conf" >"$BK/web.log" 2>&1 &
WEB_PID=$!
ctl() { /usr/sbin/lgctl -s "$BK/run/admin.sock" -t 30 "$@"; }
up() { ctl status 2>/dev/null | awk '$1 == "ios" { print $2 }' | grep -qx up; }
healthy() { curl -sf "http://127.0.0.1:$PORT/healthz" | grep -q connected; }
if dm_wait 60 up; then
	pass "the installed lgbrokerd (as lgbroker) brings the router up"
else
	fail "the installed lgbrokerd (as lgbroker) brings the router up" \
	    "$(cat "$BK/broker.log")"
fi
ok "the installed lgwebd (as lgweb) reaches the broker" dm_wait 60 healthy
out=$(curl -s "http://127.0.0.1:$PORT/api/v1/query?router=ios&type=bgp_route&target=1.0.4.0/24")
like "a query through the installed lgwebd is answered" "$out" \
    '"output":"BGP routing table entry for 1\.0\.4\.0/24'
like "with status ok" "$out" '"status":"ok"'
like "the daemons run as the package's users" \
    "$(ps -o user= -p "$BK_PID" -p "$WEB_PID" | sort | tr '\n' ' ')" \
    '^lgbroker lgweb $'
# result and token run in /usr/libexec/lorgnette/lgctl-store: its own
# message, not lgctl's "cannot run", proves the installed lgctl found it.
ok "lgctl-store is installed in /usr/libexec/lorgnette" \
    test -x /usr/libexec/lorgnette/lgctl-store
out=$(/usr/sbin/lgctl -f "$BK/lorgnette.conf" token list 2>&1)
like "the installed lgctl runs token list in lgctl-store" "$out" \
    'web\.auth\.tokens is not set'
dm_stop "$WEB_PID" "lgwebd stops cleanly"
WEB_PID=
dm_stop "$BK_PID" "lgbrokerd stops cleanly"
BK_PID=
sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1

# --- remove, purge ----------------------------------------------------------
ok "apt-get remove lorgnette" apt remove lorgnette
nok "remove takes the programs" test -e /usr/sbin/lgbrokerd
nok "and lgctl-store" test -e /usr/libexec/lorgnette
is "remove keeps the configuration and the credentials" \
    "$(ls /etc/lorgnette | tr '\n' ' ')" "credentials.conf known_hosts lorgnette.conf "
ok "apt-get purge lorgnette" apt purge lorgnette
nok "purge removes /etc/lorgnette" test -e /etc/lorgnette
nok "and the state" test -e /var/lib/lorgnette
ok "purge keeps the system users (Debian policy)" getent passwd lgbroker
for u in $NEW_USERS; do
	userdel "$u" 2>/dev/null
	getent group "$u" >/dev/null && groupdel "$u"
done
snapshot >"$BK/after"
is "the file list after purge is the one before install" \
    "$(diff "$BK/before" "$BK/after")" ""
[ -s "$APT_LOG" ] && grep -iE '^(E|W):' "$APT_LOG" | sed 's/^/# apt: /'
echo "# test_deb took $(($(date +%s) - START)) s"

done_testing
