#!/bin/sh
# The compare view's model (www/js/compare-model.js) checked in node, no
# browser and no daemon: compare-model.mjs prints "ok - ..." and
# "not ok - ..." lines, relayed here as TAP.

. "$(dirname "$0")/../lib/tap.sh"

: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v node >/dev/null || skip_all "node not installed"

out=$(node "$LG_TOP/tests/browser/compare-model.mjs" 2>&1)
rc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) pass "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	"#"*) printf '%s\n' "$line" ;;
	esac
done <<EOT
$out
EOT
[ "$rc" -eq 0 ] || fail "compare-model.mjs ran to the end (exit $rc)" "$out"
printf '%s\n' "$out" | grep -q '^ok - ' || fail "compare-model.mjs ran its checks" "$out"
done_testing
