#!/bin/sh
# The configuration checks of the three programs, end to end:
# lgbrokerd -n and lgctl check load the config, the credentials file (mode
# 0600 enforced) and every driver; lgwebd -n the config alone.  Good files
# pass, every broken one fails with "file:line: message".
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
LG_BUILD=${LG_BUILD:-build/san}
B=$PWD/$LG_BUILD
T=$(mktemp -d /tmp/lg-check.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT

# A checkout's layout, with the example's relative paths intact.
mkdir "$T/conf"
cp conf/lorgnette.conf.example conf/credentials.conf.example \
    conf/known_hosts.example "$T/conf/"
ln -s "$PWD/drivers" "$T/drivers"
ln -s "$PWD/www" "$T/www"
chmod 600 "$T/conf/credentials.conf.example"
EX=$T/conf/lorgnette.conf.example

out=$("$B/lgbrokerd" -n -f "$EX" 2>&1)
is "lgbrokerd -n accepts the example" "$?" 0
like "and says so" "$out" 'configuration OK'
out=$("$B/lgwebd" -n -f "$EX" 2>&1)
is "lgwebd -n accepts the example" "$?" 0
out=$("$B/lgctl" -f "$EX" check 2>&1)
is "lgctl check accepts the example" "$?" 0
ndrivers=$(ls drivers/*.conf | wc -l)
like "and counts its routers and its $ndrivers drivers" "$out" \
    "configuration OK \\([0-9]+ routers, $ndrivers drivers\\)"

chmod 640 "$T/conf/credentials.conf.example"
out=$("$B/lgbrokerd" -n -f "$EX" 2>&1)
is "lgbrokerd -n refuses a group-readable credentials file" "$?" 1
like "naming the file and its mode" "$out" \
    'credentials\.conf\.example: mode 0640 is readable by group or others'
out=$("$B/lgwebd" -n -f "$EX" 2>&1)
is "lgwebd -n never reads the credentials file" "$?" 0
chmod 600 "$T/conf/credentials.conf.example"

# Every broken fixture of the unit tests, through each program.
for f in tests/unit/config/*.conf; do
	name=$(basename "$f")
	case $name in full.conf|minimal.conf) continue ;; esac
	cp "$f" "$T/conf/$name"
	out=$("$B/lgbrokerd" -n -f "$T/conf/$name" 2>&1)
	rc=$?
	is "lgbrokerd -n refuses $name" "$rc" 1
	like "with file:line diagnostics ($name)" "$out" \
	    "$name(:[0-9]+)?: "
	out=$("$B/lgwebd" -n -f "$T/conf/$name" 2>&1)
	is "lgwebd -n refuses $name" "$?" 1
	out=$("$B/lgctl" -f "$T/conf/$name" check 2>&1)
	is "lgctl check refuses $name" "$?" 1
done

# web.auth.tokens: lgwebd -n reads the file lgwebd would serve staff from.
sed 's|^  rfc8522      = true;|&\n  auth = { tokens = "tokens"; };|' "$EX" \
    >"$T/conf/tokens.conf"
out=$("$B/lgwebd" -n -f "$T/conf/tokens.conf" 2>&1)
is "lgwebd -n accepts a tokens file not made yet" "$?" 0
like "with a warning naming it" "$out" \
    'warning: web\.auth\.tokens: .*conf/tokens: No such file or directory'
printf '# lgctl token\nnot a token line\n' >"$T/conf/tokens"
out=$("$B/lgwebd" -n -f "$T/conf/tokens.conf" 2>&1)
is "lgwebd -n refuses a tokens file that does not read" "$?" 1
like "naming its file and line" "$out" \
    'web\.auth\.tokens: .*conf/tokens:2: not a token line'
rm -f "$T/conf/tokens"

# A broken driver table is reported with its own file and line.
mkdir "$T/drv"
cp drivers/*.conf "$T/drv/"
sed 's|"../drivers"|"../drv"|' "$EX" >"$T/conf/bad-driver.conf"
printf 'name = "frr";\nvendor = "FRRouting";\nprompt = "(unclosed";\n' \
    >"$T/drv/frr.conf"
out=$("$B/lgbrokerd" -n -f "$T/conf/bad-driver.conf" 2>&1)
is "lgbrokerd -n refuses a broken driver" "$?" 1
like "naming the driver file and line" "$out" 'drv/frr\.conf:3: '
out=$("$B/lgctl" -f "$T/conf/bad-driver.conf" check 2>&1)
is "lgctl check refuses it too" "$?" 1

# The interrupt key of frr.conf, broken twice: each problem with its line.
sed -e 's/^	queries = \[ "ping" \];/	queries = [ "ping", "mtr" ];/' \
    -e 's/^	within = 10;/	within = 0;/' drivers/frr.conf >"$T/drv/frr.conf"
il=$(grep -n '^interrupt = {' "$T/drv/frr.conf" | cut -d: -f1)
wl=$(grep -n '^	within = 0;' "$T/drv/frr.conf" | cut -d: -f1)
out=$("$B/lgctl" -f "$T/conf/bad-driver.conf" check 2>&1)
is "lgctl check refuses a broken interrupt key" "$?" 1
like "an interrupted query the table lacks, at the key's line" "$out" \
    "drv/frr\\.conf:$il: interrupt: mtr is not among the queries"
like "a time bound out of range, at its line" "$out" \
    "drv/frr\\.conf:$wl: interrupt\\.within: 0 is not in 1-600"

# A router naming a driver or credential that does not exist.
sed 's|credential = "core"|credential = "nosuch"|' "$EX" \
    >"$T/conf/bad-ref.conf"
if ! grep -q nosuch "$T/conf/bad-ref.conf"; then
	fail "the example has a router with credential \"core\" to break"
else
	out=$("$B/lgbrokerd" -n -f "$T/conf/bad-ref.conf" 2>&1)
	is "lgbrokerd -n refuses an unknown credential" "$?" 1
	like "naming the router's line" "$out" \
	    'bad-ref\.conf:[0-9]+: .*nosuch'
fi

# lgctl reads broker.admin_socket alone from the config: a query or a
# status costs no filter regex, router or driver loaded, and works while
# the rest of the file is broken (lgctl check says what is).
mkdir -p "$T/lgctl"
cat >"$T/lgctl/lorgnette.conf" <<'CONF'
broker: { admin_socket = "run/admin.sock"; drivers = "/nonexistent"; };
filters = ( { match = "(unclosed"; } );
routers = ( { name = "r1"; driver = "nosuch"; host = "bad host!"; } );
CONF
out=$("$B/lgctl" -f "$T/lgctl/lorgnette.conf" -t 1 status 2>&1)
is "lgctl status with a config broken elsewhere: cannot connect (3)" "$?" 3
like "it tried the admin socket the config names, made absolute" "$out" \
    "^lgctl: $T/lgctl/run/admin\.sock: "
unlike "and did not load the rest" "$out" 'unclosed|nosuch|cannot read'
printf 'broker: { socket = "x"; };\n' >"$T/lgctl/default.conf"
like "no admin_socket: the default one" \
    "$("$B/lgctl" -f "$T/lgctl/default.conf" -t 1 status 2>&1)" \
    '^lgctl: /run/lorgnette/admin\.sock: '
printf 'broker: { admin_socket = 3; };\n' >"$T/lgctl/typo.conf"
like "a bad admin_socket is named with its line" \
    "$("$B/lgctl" -f "$T/lgctl/typo.conf" -t 1 status 2>&1)" \
    'typo\.conf:1: broker\.admin_socket: expected a string, got an integer'
printf 'broker: { admin_socket = "x" \n' >"$T/lgctl/syntax.conf"
like "a syntax error is named with its line" \
    "$("$B/lgctl" -f "$T/lgctl/syntax.conf" -t 1 status 2>&1)" \
    'syntax\.conf:[0-9]+: '
done_testing
