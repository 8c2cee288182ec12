#!/bin/sh
# lgctl and lgctl-store (src/lgctl/store_exec.c): a query starts without
# loading the libraries only result and token use.  lgctl must not need
# SQLite, hiredis or nettle, nor carry the store code, which live in
# lgctl-store; "lgctl token" and "lgctl result" still work through it,
# with lgctl's messages and exit statuses; and an lgctl that cannot find
# lgctl-store says which path it tried and exits 1.  The web suite
# (test_results.sh, test_audience.sh, test_store.sh) runs both commands
# against a running lgwebd.

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
LG_BUILD=${LG_BUILD:-build/san}
case $LG_BUILD in /*) BIN=$LG_BUILD ;; *) BIN=$LG_TOP/$LG_BUILD ;; esac
cd "$LG_TOP" || exit 1

for b in lgctl lgctl-store; do
	[ -x "$BIN/$b" ] || skip_all "$BIN/$b not built (make)"
done
command -v readelf >/dev/null || skip_all "readelf is missing (binutils)"

T=$(mktemp -d /tmp/lg-ctlstore.XXXXXX)
trap 'rm -rf "$T"' EXIT

# --- what each program links ---------------------------------------------
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
NEEDED=$(needed "$BIN/lgctl")
SYMS=$(nm "$BIN/lgctl" | awk '$2 ~ /^[TtDdBb]$/ { print $3 }')
like "lgctl links libconfig (-f)" "$NEEDED" '^libconfig\.so'
for lib in libsqlite3 libhiredis libnettle; do
	unlike "lgctl does not link $lib" "$NEEDED" "^$lib\\.so"
	like "lgctl-store links $lib" "$(needed "$BIN/lgctl-store")" \
	    "^$lib\\.so"
done
# The store code itself (lgwebd's store.c, liblg's results and tokens).
for f in store_open results_open tokens_load result_cmd token_cmd; do
	unlike "lgctl does not carry $f" "$SYMS" "^$f\$"
done

# --- token and result through lgctl-store ------------------------------
cat >"$T/lorgnette.conf" <<EOF
web: { auth = { tokens = "tokens"; }; results = { path = "results.db"; }; };
routers = ( { name = "r1"; driver = "frr"; transport = "ssh";
    host = "192.0.2.1"; credential = "c"; } );
EOF
ctl() { "$BIN/lgctl" -f "$T/lorgnette.conf" "$@"; }
TOK=$(ctl token add alice 2>"$T/add.err")
is "token add exits 0" "$?" 0
like "token add prints the token" "$TOK" '^lgt_[0-9a-f]{40}$'
TID=$(sed -n 's/^token \([0-9a-f]*\) for alice.*/\1/p' "$T/add.err")
like "token add names its id on stderr" "$TID" '^[0-9a-f]{12}$'
like "token list shows it" "$(ctl token list)" "^$TID +valid .* alice\$"
ok "token revoke" ctl token revoke "$TID"
like "token list: revoked" "$(ctl token list)" "^$TID +revoked "
out=$(ctl token frob 2>&1)
is "token with an unknown action: exit 2" "$?" 2
like "it names the action" "$out" 'lgctl: token: unknown action frob'
like "and prints lgctl's usage" "$out" 'usage: lgctl \[-jv\]'
out=$(ctl token 2>&1)
is "token without an action: exit 2" "$?" 2
out=$(ctl result show AAAAAAAAAAAAAAAAAAAAAAAA 2>&1)
is "result show without a store: exit 1" "$?" 1
like "it says there is no store yet" "$out" \
    "lgctl: $T/results.db: no store yet"
out=$(ctl result show x 2>&1)
is "result show with a bad id: exit 2" "$?" 2
like "it says why" "$out" 'lgctl: result: not a result id: x'
out=$(ctl result show 2>&1)
is "result show without an id: exit 2 (lgctl checks it)" "$?" 2

# --- an lgctl without lgctl-store -----------------------------------------
# A copy of lgctl alone in a directory finds no sibling and tries the
# installed path, which a build tree does not have.
mkdir "$T/alone"
cp "$BIN/lgctl" "$T/alone/lgctl"
INSTALLED=$(strings "$BIN/lgctl" | grep -m1 '/libexec/lorgnette/lgctl-store$')
like "lgctl knows the installed path of lgctl-store" "$INSTALLED" \
    '^/.*/libexec/lorgnette/lgctl-store$'
if [ -e "$INSTALLED" ]; then
	pass "a missing lgctl-store is named # SKIP $INSTALLED is installed"
else
	out=$("$T/alone/lgctl" -f "$T/lorgnette.conf" token list 2>&1)
	is "a missing lgctl-store: exit 1" "$?" 1
	is "the error names the path tried" "$out" "lgctl: token: cannot run \
$INSTALLED: No such file or directory (lgctl result and lgctl token run \
in it; make install puts it there)"
	out=$("$T/alone/lgctl" -f "$T/lorgnette.conf" result show \
	    AAAAAAAAAAAAAAAAAAAAAAAA 2>&1)
	like "result says the same" "$out" \
	    "^lgctl: result: cannot run $INSTALLED: "
fi
# A query needs no lgctl-store: it reaches the broker's socket (none here).
out=$("$T/alone/lgctl" -s "$T/none.sock" -t 5 query r1 bgp_route \
    1.0.4.0/24 2>&1)
is "lgctl alone still runs a query (exit 3: no broker)" "$?" 3
unlike "without a word of lgctl-store" "$out" 'lgctl-store'
done_testing
