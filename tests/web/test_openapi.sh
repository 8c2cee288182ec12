#!/bin/sh
# www/api/openapi.json: a standard validator (@apidevtools/swagger-parser,
# pinned in tests/web/openapi/package-lock.json) accepts it, and it
# describes every endpoint lgwebd routes (the routes[] table of
# src/lgwebd/http.c, each with its methods) and every RFC 8522 command
# (the query types with an rfc8522 path in src/lib/query.c, their argument
# from the target kinds as rfc8522.c's cmd_args, plus routers,
# routers/{index} and cmd).
#
#   LG_OPENAPI=FILE checks another document (default: the one served).

. "$(dirname "$0")/../lib/tap.sh"

LG_TOP=${LG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$LG_TOP/tests/web/openapi
DOC=${LG_OPENAPI:-$LG_TOP/www/api/openapi.json}
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v node >/dev/null || skip_all "node not installed"
command -v npm >/dev/null || skip_all "npm not installed"

# npm ci only when the pinned validator is missing.
want=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/@apidevtools/swagger-parser"]["version"])' \
    "$HERE/package-lock.json")
have=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$HERE/node_modules/@apidevtools/swagger-parser/package.json" 2>/dev/null)
if [ "$have" != "$want" ]; then
	log=$(mktemp)
	if (cd "$HERE" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
		pass "npm ci installs swagger-parser $want"
	else
		fail "npm ci installs swagger-parser $want" "$(cat "$log")"
		rm -f "$log"
		done_testing
		exit 1
	fi
	rm -f "$log"
fi

out=$(node "$HERE/validate.mjs" "$DOC" 2>&1)
like "swagger-parser $want validates the document" "$out" '^valid 3\.'

out=$(python3 - "$DOC" "$LG_TOP/src/lgwebd/http.c" \
    "$LG_TOP/src/lib/query.c" "$LG_TOP/src/lgwebd/web.h" <<'EOF'
import json, re, sys
doc = json.load(open(sys.argv[1]))
http = open(sys.argv[2]).read()
query = open(sys.argv[3]).read()
base = re.search(r'#define RFC8522_BASE\s+"([^"]+)"',
                 open(sys.argv[4]).read()).group(1).rstrip("/")
want = {}
table = http[http.index("routes[] = {"):]
table = table[:table.index("};")]
for path, methods in re.findall(r'\{ "(/[^"]*)",\s*\d+,\s*([A-Z_| ]+|0),', table):
    ms = {m.strip()[2:].lower() for m in methods.split("|")
          if m.strip().startswith("M_")}
    want[path] = ms
print("routes %d" % len(want))
rows = query[query.index("queries[Q_COUNT] = {"):]
rows = rows[:rows.index("\n};")]
n = 0
for row in re.split(r'\n\t\[Q_', rows)[1:]:
    m = re.search(r'\.rfc8522 = "([a-z/]+)"', row)
    if not m:
        continue
    kinds = set(re.findall(r'TGT_([A-Z]+)',
                           re.search(r'\.targets = ([^,]*)', row).group(1)))
    if "HOSTNAME" in kinds:
        arg = "{host}"
    elif kinds & {"ADDRESS", "PREFIX"}:
        arg = "{addr}"
    elif "COMMUNITY" in kinds:
        arg = "{community}"
    elif "ASPATH" in kinds:
        arg = "{regex}"
    else:
        arg = ""
    want["%s/%s%s" % (base, m.group(1), "/" + arg if arg else "")] = {"get"}
    n += 1
print("commands %d" % n)
for p in ("routers", "routers/{index}", "cmd"):
    want["%s/%s" % (base, p)] = {"get"}
want.pop(base + "/", None)	# the prefix itself is no endpoint
for path, ms in sorted(want.items()):
    have = set(doc["paths"].get(path, {}).keys())
    if not ms <= have:
        print("missing %s %s" % (path, " ".join(sorted(ms - have))))
EOF
)
echo "$out" | grep -v '^missing' | sed 's/^/# /'
like "the routes table was read" "$out" '^routes ([5-9]|[1-9][0-9])$'
like "the RFC 8522 commands were read" "$out" '^commands [5-9]'
unlike "every route and RFC 8522 command is documented, with its methods" \
    "$out" '^missing'
done_testing
