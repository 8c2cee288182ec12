#!/bin/sh
# The soak's short form (make soak runs the real one, 30 minutes): a
# minute of the same traffic, faults and reloads, so that the harness and
# its pass rules stay working.  Growth is reported, not judged: a minute
# says nothing of it.
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d /tmp/lg-soak-short.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
SOAK_MIN=1 SOAK_FAULT=8 SOAK_RELOAD=15 SOAK_FLAT=0 SOAK_KEEP_LAB=1 \
    SOAK_OUT=$T sh tests/soak/soak.sh
