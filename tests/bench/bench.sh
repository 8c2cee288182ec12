#!/bin/sh
# make bench: Lorgnette's performance figures (DESIGN.md section 9), each
# measured side by side with its reference in the same run.
#
#   sh tests/bench/bench.sh [--quick]
#
# Builds the optimized programs (build/plain), brings up the lab unless it
# is already up, then tests/bench/bench.py starts the emulator, lgbrokerd
# and lgwebd in a private run directory, measures, prints the table and
# writes build/bench/results-<date>.json.  The lab is taken down at the
# end only when this run brought it up.  --quick runs every measurement
# with few iterations and 100 routers instead of 1,000 (CI keeps it
# working; its numbers are not the figures).
#
# Environment: LG_BENCH_BUILD (default build/plain), LG_BENCH_NOBUILD=1
# (do not run make), LG_BENCH_ONLY (comma-separated measurement names,
# see bench.py), LG_BENCH_OUT (results file), LG_BENCH_NOLAB=1 (skip the
# lab and the measurements that need it), LG_KEEP=1 (keep the run
# directory).  Needs root for the lab.

set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)

QUICK=
case ${1:-} in
--quick) QUICK=--quick ;;
"") ;;
*) echo "usage: bench.sh [--quick]" >&2; exit 2 ;;
esac

say() { printf 'bench: %s\n' "$*" >&2; }

for t in python3 ssh ssh-keygen wrk; do
	command -v $t >/dev/null 2>&1 || { say "$t is missing (make deps)"; exit 1; }
done

BUILD=${LG_BENCH_BUILD:-build/plain}
if [ "${LG_BENCH_NOBUILD:-0}" != 1 ]; then
	say "building $BUILD"
	make -s -j2 BUILD="$BUILD" progs emulator "$BUILD/bench_parse" \
	    "$BUILD/bench_rpki" "$BUILD/bench_spawn" "$BUILD/bench_client" >&2 ||
	    exit 1
fi
for b in lgbrokerd lgwebd lgctl lgemu bench_parse bench_spawn bench_client; do
	[ -x "$BUILD/$b" ] || { say "$BUILD/$b is not built"; exit 1; }
done

RUN=$(mktemp -d /tmp/lg-bench.XXXXXX) || exit 1
LAB_MINE=0
LAB_ENV=
cleanup() {
	if [ "$LAB_MINE" = 1 ]; then
		say "taking down the lab this run brought up"
		sh tests/lab/lab.sh down >/dev/null 2>&1
	fi
	[ "${LG_KEEP:-0}" = 1 ] || rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${LG_BENCH_NOLAB:-0}" != 1 ]; then
	if sh tests/lab/lab.sh status >/dev/null 2>&1; then
		say "the lab is up already (left up at the end)"
	else
		LAB_MINE=1
		say "bringing up the lab"
		sh tests/lab/lab.sh up >"$RUN/lab.log" 2>&1 ||
		    { tail -20 "$RUN/lab.log" >&2; say "the lab did not come up"; }
	fi
	f=$(sh tests/lab/lab.sh env)
	[ -s "$f" ] && LAB_ENV=$f
fi

OUT=${LG_BENCH_OUT:-build/bench/results-$(date -u +%Y%m%dT%H%M%SZ).json}
python3 tests/bench/bench.py $QUICK --build "$BUILD" --run "$RUN" \
    ${LAB_ENV:+--lab-env "$LAB_ENV"} --out "$OUT" \
    ${LG_BENCH_ONLY:+--only "$LG_BENCH_ONLY"}
rc=$?
# RPKI validation's cost, the VRP table's memory, the time to a full set.
case ,${LG_BENCH_ONLY:-rpki}, in
*,rpki,*)
	if [ ! -x "$BUILD/bench_rpki" ] || ! command -v stayrtr >/dev/null 2>&1
	then
		say "rpki: not run ($BUILD/bench_rpki or stayrtr missing)"
	else
		say "rpki (tests/bench/rpki.sh)"
		LG_BENCH_BUILD=$BUILD sh tests/bench/rpki.sh $QUICK || rc=1
	fi
	;;
esac
# A ping from this host through the broker against ping run directly.
case ,${LG_BENCH_ONLY:-local}, in
*,local,*)
	say "local (tests/bench/local.sh)"
	LG_BENCH_BUILD=$BUILD sh tests/bench/local.sh $QUICK || rc=1
	;;
esac
# A broker over TLS against the Unix socket; a lost broker noticed, back.
case ,${LG_BENCH_ONLY:-regions}, in
*,regions,*)
	say "regions (tests/bench/regions.sh)"
	LG_BENCH_BUILD=$BUILD sh tests/bench/regions.sh $QUICK || rc=1
	;;
esac
exit $rc
