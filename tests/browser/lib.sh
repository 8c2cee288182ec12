# What the browser suites share; sourced after tests/lib/tap.sh.

# playwright_install LOG: runs npm ci in tests/browser when the pinned
# playwright-core (package-lock.json) is not the one installed; prints
# the pinned version.  Returns 1 when npm fails (its output in LOG).
playwright_install() {
	_dir=$(cd "$(dirname "$0")" && pwd)
	_want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/playwright-core"]["version"])' \
	    "$_dir/package-lock.json")
	_have=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
	    "$_dir/node_modules/playwright-core/package.json" 2>/dev/null)
	echo "$_want"
	[ "$_have" = "$_want" ] ||
	    (cd "$_dir" && npm ci --no-audit --no-fund) >"$1" 2>&1
}
