#!/bin/sh
# The page's diff functions (www/js/diff.js) in node, without a browser:
# the text diff and the structured route diff behind "Compare with now".

. "$(dirname "$0")/../lib/tap.sh"
: "${LG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
command -v node >/dev/null || skip_all "node not installed"
exec node "$LG_TOP/tests/browser/diff.mjs"
