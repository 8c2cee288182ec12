#!/bin/sh
# The compare view's model (www/js/compare-model.js) checked in node, no
# browser and no daemon: compare-model.mjs prints "ok - ..." and
# "not ok - ..." lines, relayed here as TAP.

. "$(dirname "$0")/../lib/tap.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v node >/dev/null || skip_all "node not installed"

W=$(mktemp -d /tmp/lg-compare-model.XXXXXX)
trap 'rm -rf "$W"' EXIT
node "$LG_TOP/tests/browser/compare-model.mjs" >"$W/compare-model.out" 2>"$W/compare-model.err"
relay "$W/compare-model.out" $? "$W/compare-model.err"
grep -q '^ok - ' "$W/compare-model.out" || fail "compare-model.mjs ran its checks" "$(cat "$W/compare-model.err")"
done_testing
