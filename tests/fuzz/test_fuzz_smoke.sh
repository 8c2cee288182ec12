#!/bin/sh
# The fuzz suite of make check: builds every libFuzzer target with clang and
# runs each for LG_FUZZ_SMOKE seconds (default 5) from its seed corpus.
# Longer runs: make fuzz FUZZ_TIME=600.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
if ! command -v clang >/dev/null 2>&1; then
	skip_all "clang is not installed"
fi
if ! make -s -j2 fuzz-build >build/fuzz-build.log 2>&1; then
	fail "fuzz targets build" "$(tail -20 build/fuzz-build.log)"
	done_testing
	exit 1
fi
FUZZ_TIME=${LG_FUZZ_SMOKE:-5} sh tests/fuzz/run.sh $(ls build/fuzz/fuzz_* | grep -v "\.")
