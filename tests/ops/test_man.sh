#!/bin/sh
# The manual pages: every page lints clean with mandoc, lorgnette.conf(5)
# documents every key the configuration loader accepts (read from the key
# tables in src/lib/config*.c and credentials.c, so the page cannot fall
# behind the code), lorgnette-drivers(5) every key of the driver loader,
# and the worked example of adding a platform in lorgnette-drivers(5)
# loads with lgbrokerd -n.

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LG_BUILD=${LG_BUILD:-build/san}
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac
cd "$LG_TOP" || exit 1

command -v mandoc >/dev/null || skip_all "mandoc is not installed (make deps)"

PAGES="src/lgwebd/lgwebd.8 src/lgbrokerd/lgbrokerd.8 src/lgctl/lgctl.8
conf/lorgnette.conf.5 drivers/lorgnette-drivers.5"
CONF5=conf/lorgnette.conf.5
DRV5=drivers/lorgnette-drivers.5

for p in $PAGES; do
	if [ ! -f "$p" ]; then
		fail "$p exists"
		continue
	fi
	out=$(mandoc -Tlint -W warning "$p" 2>&1)
	is "$p: mandoc -Tlint -W warning is clean" "$out" ""
done

# documented PAGE KEY: the page has a tagged list item or a subsection
# for KEY.
documented() {
	grep -Eq "^\\.(It (Ic|Cm) $2( |\$)|Ss $2\$)" "$1"
}

# Keys of lorgnette.conf, from the loader's tables: C("...") rows of the
# section tables, R("...") of the router table, F("...") of the filter
# table, and the section names.
keys=$(grep -ho '\<[CRF]("[a-z0-9_]*"' src/lib/config*.c |
    sed 's/.*("//; s/"$//' | sort -u)
sections=$(sed -n '/config_sections\[\] = {/,/NULL/p' src/lib/config.c |
    grep -o '{ "[a-z]*"' | sed 's/{ "//; s/"//')
n=$(echo "$keys" | wc -w)
like "the key tables were found ($n keys)" "$n" '^[0-9]{2,}$'
like "the section table was found" "$(echo $sections)" 'broker.*routers'
missing=""
for k in $keys; do
	documented "$CONF5" "$k" || missing="$missing $k"
done
is "lorgnette.conf(5) documents every key of src/lib/config*.c" \
    "$missing" ""
missing=""
for s in $sections; do
	grep -Eq "^\\.Ss $s\$" "$CONF5" || missing="$missing $s"
done
is "lorgnette.conf(5) has a subsection per top-level section" "$missing" ""

ckeys=$(grep -o '\<K("[a-z_]*"' src/lib/credentials.c | sed 's/.*("//; s/"$//')
like "the credentials key table was found" "$(echo $ckeys)" 'username'
missing=""
for k in $ckeys; do
	documented "$CONF5" "$k" || missing="$missing $k"
done
is "lorgnette.conf(5) documents every credentials.conf key" "$missing" ""

# Every query type name of src/lib/query.c is spelled in the page.
qtypes=$(grep -o 'Q_[A-Z_]*, "[a-z_]*"' src/lib/query.c | sed 's/.*"\(.*\)"/\1/')
missing=""
for q in $qtypes; do
	grep -q "^\\.Cm $q" "$CONF5" || missing="$missing $q"
done
is "lorgnette.conf(5) names every query type" "$missing" ""

# Driver table keys, from src/lib/driver.c's key table.
dkeys=$(sed -n '/^static const struct config_key drv_keys/,/^};/p' \
    src/lib/driver.c | grep -o '{ [KW]("[a-z_]*"' | sed 's/.*("//; s/"//')
like "the driver key table was found" "$(echo $dkeys)" 'prompt.*queries'
missing=""
for k in $dkeys; do
	documented "$DRV5" "$k" || missing="$missing $k"
done
is "lorgnette-drivers(5) documents every driver key" "$missing" ""

# The worked example: extracted from the page source (\e is a backslash,
# \& nothing), it must load; the same table with a broken prompt must not,
# which shows the file was read.
if [ -x "$BIN/lgbrokerd" ]; then
	T=$(mktemp -d /tmp/lg-man.XXXXXX)
	trap 'rm -rf "$T"' EXIT
	mkdir "$T/drivers"
	awk '/test_man.sh loads/ { f = 1; next }
	    f && /^\.Bd/ { g = 1; next } g && /^\.Ed/ { exit } g { print }' \
	    "$DRV5" | sed 's/\\e/\\/g; s/\\&//g' >"$T/drivers/huawei-vrp.conf"
	like "the worked example was extracted" \
	    "$(cat "$T/drivers/huawei-vrp.conf")" '^# Huawei VRP'
	printf 'credentials = { c = { username = "lg"; password = "x"; }; };\n' \
	    >"$T/credentials.conf"
	chmod 600 "$T/credentials.conf"
	: >"$T/known_hosts"
	cat >"$T/lorgnette.conf" <<EOF
broker: { drivers = "drivers"; credentials = "credentials.conf";
  known_hosts = "known_hosts"; socket = "$T/b.sock";
  admin_socket = "$T/a.sock"; };
routers = ( { name = "vrp1"; driver = "huawei-vrp"; host = "192.0.2.1";
  credential = "c"; } );
EOF
	out=$("$BIN/lgbrokerd" -n -f "$T/lorgnette.conf" 2>&1)
	is "the worked example of lorgnette-drivers(5) loads" "$out" \
	    "configuration OK"
	sed -i 's/^prompt = .*/prompt = "(?m)^<.*>";/' \
	    "$T/drivers/huawei-vrp.conf"
	out=$("$BIN/lgbrokerd" -n -f "$T/lorgnette.conf" 2>&1)
	like "with a prompt not anchored by \\z it is refused with its line" \
	    "$out" 'huawei-vrp\.conf:[0-9]+:.*prompt'
else
	fail "lgbrokerd is built in $BIN"
fi

done_testing
