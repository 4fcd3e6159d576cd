#!/bin/sh
# count-octane.sh - counts the user-mode instructions one jsrun spends on each Octane
# program run deterministically: a fixed number of iterations, no warm-up, so the
# count does not depend on machine load or on how fast the engine is (the stock
# programs run for a fixed time instead). Owns only itself; reads the programs from
# ../shared/bench/octane (or --octane DIR) and writes copies to a temporary folder.
#
# Usage: bench/count-octane.sh [--octane DIR] [--scale N] [--only LIST] JSRUN
#   --scale N   run 1/N of each benchmark's deterministicIterations (default 100;
#               at least one iteration)
#   --only LIST comma-separated program names
# Counts with `perf stat -e instructions:u` where the CPU exposes counters, else
# with valgrind's cachegrind (about 7x slower; its "I refs" count the same thing).
# Prints "program instructions Score: ..." per program; the score line is the
# program's own validation passing (Octane prints no score when it fails).
set -u
here=$(cd "$(dirname "$0")" && pwd)
octane="$here/../../shared/bench/octane"
scale=100
programs="richards deltablue crypto raytrace earley-boyer regexp splay navier-stokes"
while [ $# -gt 1 ]; do
    case $1 in
        --octane) octane=$2; shift 2 ;;
        --scale) scale=$2; shift 2 ;;
        --only) programs=$(echo "$2" | tr ',' ' '); shift 2 ;;
        *) break ;;
    esac
done
[ $# -eq 1 ] || { sed -n '7,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
jsrun=$1
[ -d "$octane" ] || { echo "count-octane: no octane directory $octane" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/octcount.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

use_perf=0
if command -v perf >/dev/null 2>&1 &&
   perf stat -x, -e instructions:u true 2>&1 | grep -q '^[0-9]'; then use_perf=1; fi
[ $use_perf -eq 1 ] || command -v valgrind >/dev/null 2>&1 ||
    { echo "count-octane: needs perf with hardware counters or valgrind" >&2; exit 2; }

rc=0
for p in $programs; do
    sed -e 's/^  doWarmup: undefined,/  doWarmup: false,/' \
        -e 's/^  doDeterministic: undefined/  doDeterministic: true/' \
        -e "s#^  this.deterministicIterations = deterministicIterations;#  this.deterministicIterations = Math.max(1, Math.round(deterministicIterations / $scale));#" \
        "$octane/$p.js" > "$tmp/$p.js"
    if [ $use_perf -eq 1 ]; then
        perf stat -x, -e instructions:u -o "$tmp/stat" "$jsrun" "$tmp/$p.js" > "$tmp/out" 2>&1
        n=$(grep instructions "$tmp/stat" | cut -d, -f1)
    else
        valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
            "$jsrun" "$tmp/$p.js" > "$tmp/out" 2>&1
        n=$(sed -n 's/.*I *refs: *//p' "$tmp/out" | tr -d ,)
    fi
    score=$(grep '^Score:' "$tmp/out")
    [ -n "$score" ] || { score="FAILED: $(grep -v -e '^==' -e '^--' "$tmp/out" | tail -n 2 | tr '\n' ' ')"; rc=1; }
    echo "$p ${n:-?} $score"
done
exit $rc
