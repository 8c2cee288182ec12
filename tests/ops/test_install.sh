#!/bin/sh
# make install and make uninstall: the DESTDIR tree is exactly the one
# README.md lists, with the right modes; a second install keeps the
# operator's configuration; the systemd units pass systemd-analyze verify
# (and a broken copy does not) with a low exposure score; a real install
# as root creates the system users; uninstall removes what install put
# outside SYSCONFDIR and keeps the configuration.

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$LG_TOP" || exit 1

for b in lgbrokerd lgwebd lgctl lgctl-store; do
	[ -x "build/plain/$b" ] || skip_all "build/plain/$b not built (make)"
done

T=$(mktemp -d /tmp/lg-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
D=$T/destdir

inst() { make --no-print-directory -s "$@" >"$T/make.log" 2>&1; }

# --- DESTDIR install: the documented tree -------------------------------
ok "make install DESTDIR=... PREFIX=/usr SYSCONFDIR=/etc succeeds" \
    inst install DESTDIR="$D" PREFIX=/usr SYSCONFDIR=/etc
[ -s "$T/make.log" ] && printf '%s\n' "$(cat "$T/make.log")" | sed 's/^/# /'

# The listing in README.md, between the install-tree markers: one path
# (relative to DESTDIR) per line, then a comment; a trailing / means the
# directory and everything below it, * is a glob.
sed -n '/<!-- install-tree -->/,/<!-- \/install-tree -->/p' README.md |
    grep -E '^(etc|usr)/' | awk '{ print $1 }' >"$T/documented"
n=$(wc -l <"$T/documented")
like "README.md lists the installed tree ($n entries)" "$n" '^[0-9]{2,}$'
(cd "$D" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) \
    >"$T/installed"

covered() {
	while read -r e; do
		case $e in
		*/) case $1 in "$e"*) return 0 ;; esac ;;
		*) case $1 in $e) return 0 ;; esac ;;
		esac
	done <"$T/documented"
	return 1
}
extra=""
while read -r f; do
	covered "$f" || extra="$extra $f"
done <"$T/installed"
is "every installed file is listed in README.md" "$extra" ""
absent=""
while read -r e; do
	case $e in
	*/) grep -q "^$e" "$T/installed" || absent="$absent $e" ;;
	*) found=0
	   while read -r f; do
		case $f in $e) found=1; break ;; esac
	   done <"$T/installed"
	   [ $found = 1 ] || absent="$absent $e" ;;
	esac
done <"$T/documented"
is "everything README.md lists is installed" "$absent" ""

is "programs are mode 0755" \
    "$(stat -c %a "$D/usr/sbin/lgbrokerd" "$D/usr/sbin/lgwebd" "$D/usr/sbin/lgctl" \
    "$D/usr/libexec/lorgnette/lgctl-store" | sort -u)" 755
is "credentials.conf is mode 0600" \
    "$(stat -c %a "$D/etc/lorgnette/credentials.conf")" 600
is "every driver table is installed" \
    "$(ls "$D/usr/share/lorgnette/drivers" | tr '\n' ' ')" \
    "$(cd drivers && ls ./*.conf | sed 's|^\./||' | tr '\n' ' ')"
is "the web page is installed whole" \
    "$(cd "$D/usr/share/lorgnette/www" && find . -type f | sort)" \
    "$(cd www && find . -type f | sort)"
conf=$D/etc/lorgnette/lorgnette.conf
like "the starting config points at the installed drivers" "$(cat "$conf")" \
    'drivers *= "/usr/share/lorgnette/drivers";'
like "the starting config hands the socket to lgweb" "$(cat "$conf")" \
    'socket_group = "lgweb";'
like "the starting config writes the audit log where the unit allows" \
    "$(cat "$conf")" 'audit_log *= "/var/log/lorgnette/broker/audit.log";'
# Under DESTDIR the page is not where the config says yet: lgwebd -n may
# warn about web.www, and must accept the file.
out=$(build/plain/lgwebd -n -f "$conf" 2>&1)
is "lgwebd -n accepts the starting config" "$?:$(echo "$out" | tail -1)" \
    "0:configuration OK"
unlike "its only warnings are about paths outside DESTDIR" \
    "$(echo "$out" | grep -v 'web\.www: /usr/share/lorgnette/www: No such' | sed '$d')" '.'
like "units name the installed programs" \
    "$(cat "$D/usr/lib/systemd/system/lgbrokerd.service")" \
    'ExecStart=/usr/sbin/lgbrokerd -f /etc/lorgnette/lorgnette.conf'
unlike "no placeholder is left in the units" \
    "$(cat "$D"/usr/lib/systemd/system/*.service)" '@[A-Z]+@'

echo "# edited" >>"$conf"
ok "a second make install succeeds" \
    inst install DESTDIR="$D" PREFIX=/usr SYSCONFDIR=/etc
like "it keeps the operator's lorgnette.conf" "$(tail -1 "$conf")" '^# edited$'
ok "make uninstall DESTDIR=... succeeds" \
    inst uninstall DESTDIR="$D" PREFIX=/usr SYSCONFDIR=/etc
is "uninstall leaves only the configuration" \
    "$(cd "$D" && find . -type f | sort | tr '\n' ' ')" \
    "./etc/lorgnette/credentials.conf ./etc/lorgnette/known_hosts ./etc/lorgnette/lorgnette.conf "

# --- systemd units --------------------------------------------------------
# A real install under a temporary PREFIX, so that the units name programs
# that exist, which systemd-analyze verify checks.
P=$T/prefix
if [ "$(id -u)" -eq 0 ]; then
	ok "make install PREFIX=... as root succeeds" \
	    inst install PREFIX="$P/usr" SYSCONFDIR="$P/etc"
	ok "it created the user lgbroker" getent passwd lgbroker
	ok "it created the user lgweb" getent passwd lgweb
	like "lgbroker is in group lgweb (for the broker socket)" \
	    "$(id -Gn lgbroker)" '(^| )lgweb( |$)'
	is "credentials.conf belongs to lgbroker" \
	    "$(stat -c %U "$P/etc/lorgnette/credentials.conf")" lgbroker
	out=$("$P/usr/sbin/lgbrokerd" -n -f "$P/etc/lorgnette/lorgnette.conf" 2>&1)
	is "lgbrokerd -n accepts the installed config, drivers and credentials" \
	    "$out" "configuration OK"
	UNITS=$P/usr/lib/systemd/system
	if ! command -v systemd-analyze >/dev/null; then
		fail "systemd-analyze is installed (package systemd)"
	else
		out=$(systemd-analyze verify --man=no "$UNITS/lgbrokerd.service" \
		    "$UNITS/lgwebd.service" 2>&1)
		rc=$?
		is "systemd-analyze verify: lgbrokerd.service and lgwebd.service" \
		    "$rc:$out" "0:"
		sed 's/^ProtectSystem=strict/ProtectSystem=stricter/' \
		    "$UNITS/lgbrokerd.service" >"$T/lgbrokerd.service"
		out=$(systemd-analyze verify --man=no "$T/lgbrokerd.service" 2>&1)
		like "and it does catch a broken unit" "$out" 'protect system value.*stricter'
		for u in lgbrokerd lgwebd; do
			score=$(systemd-analyze security --offline=yes --no-pager \
			    "$UNITS/$u.service" 2>&1 |
			    sed -n 's/.*Overall exposure level for [a-z]*\.service: \([0-9.]*\).*/\1/p')
			like "$u.service exposure score is below 2.5 ($score)" \
			    "$(awk -v s="$score" 'BEGIN { print (s != "" && s < 2.5) ? "low" : "high" }')" \
			    '^low$'
		done
		for k in 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
		    'NoNewPrivileges=yes' 'CapabilityBoundingSet=$' \
		    'RestrictAddressFamilies=' 'SystemCallFilter=' \
		    'ExecReload='; do
			for u in lgbrokerd lgwebd; do
				grep -q "^$k" "$UNITS/$u.service" ||
				    fail "$u.service sets $k"
			done
		done
		pass "both units set the required hardening and ExecReload"
		like "lgbrokerd reloads through lgctl (errors reach systemctl)" \
		    "$(grep ^ExecReload "$UNITS/lgbrokerd.service")" 'lgctl .* reload$'
		like "lgbrokerd has runtime, state and logs directories" \
		    "$(grep -E '^(Runtime|State|Logs)Directory=' "$UNITS/lgbrokerd.service" | tr '\n' ' ')" \
		    'RuntimeDirectory=lorgnette StateDirectory=lorgnette LogsDirectory=lorgnette/broker'
	fi
	if command -v systemd-sysusers >/dev/null; then
		ok "systemd-sysusers accepts the sysusers.d entries" \
		    systemd-sysusers --dry-run "$P/usr/lib/sysusers.d/lorgnette.conf"
	fi
	ok "make uninstall PREFIX=... succeeds" \
	    inst uninstall PREFIX="$P/usr" SYSCONFDIR="$P/etc"
	is "nothing but the configuration is left" \
	    "$(cd "$P" && find . -type f | sort | tr '\n' ' ')" \
	    "./etc/lorgnette/credentials.conf ./etc/lorgnette/known_hosts ./etc/lorgnette/lorgnette.conf "
	ok "the users stay (their files may remain)" getent passwd lgbroker
else
	pass "# SKIP real install and systemd-analyze: needs root"
fi

done_testing
