#!/bin/sh
# HACKING.md cannot rot: every backticked path in it must exist (a <name>
# or * in it must match at least one file), and every `path:symbol` must
# name a symbol that file holds (the word itself, without a trailing []
# or ()).  Backticked text with a space, or without a slash or a file
# extension, is not a path and is left alone.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh

[ -f HACKING.md ] || { fail "HACKING.md exists"; done_testing; exit 1; }
pass "HACKING.md exists"

n=0
L=$(mktemp /tmp/lg-hacking.XXXXXX) || exit 1
trap 'rm -f "$L"' EXIT
grep -o '`[^`]*`' HACKING.md | tr -d '`' | sort -u >"$L"
while IFS= read -r tok; do
	case $tok in *' '*) continue ;; esac
	path=${tok%%:*}
	sym=
	[ "$path" != "$tok" ] && sym=${tok#*:}
	case $path in
	*/*|*.md|*.c|*.h|*.sh|*.conf|*.json|*.5|*.8) ;;
	*) continue ;;
	esac
	n=$((n + 1))
	glob=$(printf '%s\n' "$path" | sed 's/<[^>]*>/*/g')
	# shellcheck disable=SC2086
	set -- $glob
	if [ ! -e "$1" ]; then
		fail "HACKING.md: $path exists"
		continue
	fi
	if [ -z "$sym" ]; then
		pass "HACKING.md: $path exists"
		continue
	fi
	word=$(printf '%s\n' "$sym" | sed 's/\[\]$//; s/()$//')
	if grep -qw -- "$word" "$@"; then
		pass "HACKING.md: $path has $word"
	else
		fail "HACKING.md: $path has $word"
	fi
done <"$L"
ok "HACKING.md names paths to check" test "$n" -gt 20
done_testing
