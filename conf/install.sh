#!/bin/sh
# make install / make uninstall: the installed tree of Lorgnette.
#
#   sh conf/install.sh install|uninstall
#
# Environment (set by the Makefile): DESTDIR, PREFIX (default /usr/local),
# SYSCONFDIR (default /etc), LIBEXECDIR (default PREFIX/libexec/lorgnette;
# lgctl is built knowing it), BUILD (default build/plain); optionally
# SBINDIR, DATADIR, MANDIR, DOCDIR, UNITDIR, SYSUSERSDIR.
#
# Installs the programs, the driver tables, the web page, the manual
# pages, the systemd units and sysusers.d entries, and the examples; puts
# a starting configuration in SYSCONFDIR/lorgnette unless one is there.
# Run as root without DESTDIR, it also creates the system users lgbroker
# and lgweb and gives the credentials file to lgbroker.  README.md lists
# the tree.  Uninstall removes what install put outside SYSCONFDIR and
# leaves the configuration, the users and the logs.

set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
SYSCONFDIR=${SYSCONFDIR:-/etc}
BUILD=${BUILD:-build/plain}
SBINDIR=${SBINDIR:-$PREFIX/sbin}
LIBEXECDIR=${LIBEXECDIR:-$PREFIX/libexec/lorgnette}
DATADIR=${DATADIR:-$PREFIX/share/lorgnette}
MANDIR=${MANDIR:-$PREFIX/share/man}
DOCDIR=${DOCDIR:-$PREFIX/share/doc/lorgnette}
UNITDIR=${UNITDIR:-$PREFIX/lib/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-$PREFIX/lib/sysusers.d}
ETC=$SYSCONFDIR/lorgnette

PROGS="lgbrokerd lgwebd lgctl"
# Run by lgctl for result and token (src/lgctl/store_exec.c).
LIBEXEC_PROGS="lgctl-store"
MAN5="conf/lorgnette.conf.5 drivers/lorgnette-drivers.5"
MAN8="src/lgbrokerd/lgbrokerd.8 src/lgwebd/lgwebd.8 src/lgctl/lgctl.8"
UNITS="lgbrokerd.service lgwebd.service"
EXAMPLES="conf/lorgnette.conf.example conf/credentials.conf.example
conf/nginx/lorgnette.conf conf/fail2ban/filter.d/lorgnette.conf
conf/fail2ban/jail.d/lorgnette.local conf/grafana/lorgnette-dashboard.json
conf/prometheus/lorgnette-alerts.yml conf/prometheus/lorgnette-rpki-alerts.yml"

say() { printf 'install: %s\n' "$*"; }

# The example configuration with the installed paths and the production
# settings the shipped units expect.
starting_config() {
	sed -e "1i\\
# Installed by make install from conf/lorgnette.conf.example: the paths\\
# point to the installed tree.  Replace the example routers with yours,\\
# then check with lgctl check.  See lorgnette.conf(5)." \
	    -e "s|^\\(  drivers *= *\\)\"[^\"]*\";|\\1\"$DATADIR/drivers\";|" \
	    -e "s|^\\(  credentials *= *\\)\"[^\"]*\";|\\1\"credentials.conf\";|" \
	    -e "s|^\\(  known_hosts *= *\\)\"[^\"]*\";|\\1\"known_hosts\";\\
  socket_group = \"lgweb\";\\
  audit_log    = \"/var/log/lorgnette/broker/audit.log\";|" \
	    -e "s|^\\(  www *= *\\)\"[^\"]*\";|\\1\"$DATADIR/www\";\\
  access_log = \"/var/log/lorgnette/web/access.log\";|" \
	    "$TOP/conf/lorgnette.conf.example"
}

unit() {
	sed -e "s|@SBINDIR@|$SBINDIR|g" -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" \
	    "$TOP/conf/systemd/$1"
}

create_users() {
	if command -v systemd-sysusers >/dev/null 2>&1; then
		systemd-sysusers "$SYSUSERSDIR/lorgnette.conf"
	else
		getent group lgweb >/dev/null || groupadd --system lgweb
		getent passwd lgweb >/dev/null || useradd --system -g lgweb \
		    -d /nonexistent -s /usr/sbin/nologin -c "Lorgnette web front" lgweb
		getent group lgbroker >/dev/null || groupadd --system lgbroker
		getent passwd lgbroker >/dev/null || useradd --system \
		    -g lgbroker -d /var/lib/lorgnette -s /usr/sbin/nologin \
		    -c "Lorgnette broker" lgbroker
		usermod -a -G lgweb lgbroker
	fi
	chown lgbroker:lgbroker "$ETC/credentials.conf"
	say "system users lgbroker and lgweb ready"
}

do_install() {
	for p in $PROGS $LIBEXEC_PROGS; do
		[ -x "$TOP/$BUILD/$p" ] || {
			echo "install: $BUILD/$p is not built (make)" >&2
			exit 1
		}
	done
	D=$DESTDIR
	install -d "$D$SBINDIR" "$D$LIBEXECDIR" "$D$DATADIR/drivers" "$D$DATADIR/www" \
	    "$D$MANDIR/man5" "$D$MANDIR/man8" "$D$UNITDIR" "$D$SYSUSERSDIR" \
	    "$D$DOCDIR/examples" "$D$ETC"
	for p in $PROGS; do
		install -m 0755 "$TOP/$BUILD/$p" "$D$SBINDIR/$p"
	done
	for p in $LIBEXEC_PROGS; do
		install -m 0755 "$TOP/$BUILD/$p" "$D$LIBEXECDIR/$p"
	done
	install -m 0644 "$TOP"/drivers/*.conf "$D$DATADIR/drivers/"
	(cd "$TOP/www" && find . -type d) | while read -r d; do
		install -d "$D$DATADIR/www/$d"
	done
	(cd "$TOP/www" && find . -type f) | while read -r f; do
		install -m 0644 "$TOP/www/$f" "$D$DATADIR/www/$f"
	done
	for m in $MAN5; do install -m 0644 "$TOP/$m" "$D$MANDIR/man5/"; done
	for m in $MAN8; do install -m 0644 "$TOP/$m" "$D$MANDIR/man8/"; done
	for u in $UNITS; do
		unit "$u" >"$D$UNITDIR/$u"
		chmod 0644 "$D$UNITDIR/$u"
	done
	install -m 0644 "$TOP/conf/systemd/lorgnette.sysusers" \
	    "$D$SYSUSERSDIR/lorgnette.conf"
	install -m 0644 "$TOP/README.md" "$D$DOCDIR/README.md"
	for e in $EXAMPLES; do
		_dst=$D$DOCDIR/examples/${e#conf/}
		install -d "$(dirname "$_dst")"
		install -m 0644 "$TOP/$e" "$_dst"
	done
	if [ ! -e "$D$ETC/lorgnette.conf" ]; then
		starting_config >"$D$ETC/lorgnette.conf"
		chmod 0644 "$D$ETC/lorgnette.conf"
	else
		say "keeping $ETC/lorgnette.conf"
	fi
	if [ ! -e "$D$ETC/credentials.conf" ]; then
		install -m 0600 "$TOP/conf/credentials.conf.example" \
		    "$D$ETC/credentials.conf"
	else
		say "keeping $ETC/credentials.conf"
	fi
	[ -e "$D$ETC/known_hosts" ] || install -m 0644 /dev/null "$D$ETC/known_hosts"
	if [ -z "$D" ] && [ "$(id -u)" -eq 0 ]; then
		create_users
		if [ -d /run/systemd/system ]; then
			systemctl daemon-reload || true
		fi
	fi
	say "installed under ${D:-/} (PREFIX=$PREFIX SYSCONFDIR=$SYSCONFDIR)"
}

do_uninstall() {
	D=$DESTDIR
	for p in $PROGS; do rm -f "$D$SBINDIR/$p"; done
	for p in $LIBEXEC_PROGS; do rm -f "$D$LIBEXECDIR/$p"; done
	rmdir "$D$LIBEXECDIR" 2>/dev/null || true
	rm -rf "$D$DATADIR" "$D$DOCDIR"
	for m in $MAN5; do rm -f "$D$MANDIR/man5/$(basename "$m")"; done
	for m in $MAN8; do rm -f "$D$MANDIR/man8/$(basename "$m")"; done
	for u in $UNITS; do rm -f "$D$UNITDIR/$u"; done
	rm -f "$D$SYSUSERSDIR/lorgnette.conf"
	if [ -z "$D" ] && [ -d /run/systemd/system ]; then
		systemctl daemon-reload || true
	fi
	say "removed; left in place: $ETC (configuration, credentials," \
	    "known_hosts), the users lgbroker and lgweb, /var/log/lorgnette"
}

case ${1:-} in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "usage: install.sh install|uninstall" >&2; exit 2 ;;
esac
