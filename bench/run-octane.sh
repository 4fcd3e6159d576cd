#!/bin/sh
# run-octane.sh - runs the eight Octane programs with one or more JavaScript engines,
# prints each program's `Score:` and the geometric mean per engine, and, with two or
# more engines, a table of medians with ratios against the first engine.
# Owns only itself; reads the programs from ../shared/bench/octane (or --octane DIR).
#
# Usage: bench/run-octane.sh [options] ENGINE...
#   ENGINE is one of
#     jsrun[=PATH]     jsengine's jsrun (default PATH: build-dev/jsrun, then tools/jsrun)
#     node             node --jitless, with a print() shim, the file run as a script
#     duktape          Debian's duktape (the `duk` binary)
#     mujs             Debian's mujs
#     NAME=COMMAND     any command line; the program file is appended as the last word
# Options:
#   --octane DIR     where the octane programs are (default: ../shared/bench/octane
#                    relative to the repository root)
#   --repeat N       run every program N times per engine, report the median (default 1)
#   --only LIST      comma-separated program names (e.g. richards,splay)
#   --timeout S      give up on one run after S seconds (default 600)
# Engines run back to back for each program, so they see the same machine load.
# Exit status: 0 when every run printed a score, 1 otherwise, 2 on a usage error.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
octane="$top/../shared/bench/octane"
repeat=1
only=""
timeout_s=600
programs="richards deltablue crypto raytrace earley-boyer regexp splay navier-stokes"

usage() {
    sed -n '6,21p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
        --octane) octane=$2; shift 2 ;;
        --octane=*) octane=${1#*=}; shift ;;
        --repeat) repeat=$2; shift 2 ;;
        --repeat=*) repeat=${1#*=}; shift ;;
        --only) only=$2; shift 2 ;;
        --only=*) only=${1#*=}; shift ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --timeout=*) timeout_s=${1#*=}; shift ;;
        -h|--help) usage ;;
        --) shift; break ;;
        -*) echo "run-octane: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || usage
[ -d "$octane" ] || { echo "run-octane: no octane directory $octane" >&2; exit 2; }
[ -n "$only" ] && programs=$(echo "$only" | tr ',' ' ')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/octane.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Resolve each ENGINE argument into a name and a command line, kept in files
# because POSIX sh has no arrays.
n=0
for spec in "$@"; do
    n=$((n + 1))
    case $spec in
        jsrun)
            name=jsrun
            if [ -x "$top/build-dev/jsrun" ]; then cmd="$top/build-dev/jsrun"
            else cmd="$top/tools/jsrun"; fi ;;
        jsrun=*) name=jsrun; cmd=${spec#jsrun=} ;;
        node)
            name=node-jitless
            cmd="node --jitless -e globalThis.print=console.log;require('vm').runInThisContext(require('fs').readFileSync(process.argv[1],'utf8'),{filename:process.argv[1]})" ;;
        duktape|duk) name=duktape; cmd=duk ;;
        mujs) name=mujs; cmd=mujs ;;
        *=*) name=${spec%%=*}; cmd=${spec#*=} ;;
        *) echo "run-octane: unknown engine $spec" >&2; exit 2 ;;
    esac
    set -- $cmd
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "run-octane: $name: $1 not found (apt-get install duktape mujs for those two)" >&2
        exit 2
    fi
    echo "$name" > "$tmp/name.$n"
    printf '%s\n' "$cmd" > "$tmp/cmd.$n"
done
nengines=$n

runner=""
command -v timeout >/dev/null 2>&1 && runner="timeout $timeout_s"

echo "# octane: $octane"
echo "# date: $(date -u '+%Y-%m-%d %H:%M UTC'), host: $(uname -n), cpus: $(nproc 2>/dev/null || echo ?), load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
allok=1
for p in $programs; do
    f="$octane/$p.js"
    [ -f "$f" ] || { echo "run-octane: missing $f" >&2; exit 2; }
    r=1
    while [ $r -le "$repeat" ]; do
        i=1
        while [ $i -le $nengines ]; do
            name=$(cat "$tmp/name.$i")
            cmd=$(cat "$tmp/cmd.$i")
            if [ "$name" = node-jitless ]; then
                # The -e script contains no spaces, so word splitting keeps it whole.
                out=$($runner node --jitless -e "${cmd#node --jitless -e }" "$f" 2>&1)
            else
                out=$($runner $cmd "$f" 2>&1)
            fi
            rc=$?
            score=$(printf '%s\n' "$out" | sed -n 's/^Score: *\([0-9.eE+-]*\).*/\1/p' | tail -n 1)
            if [ $rc -eq 0 ] && [ -n "$score" ]; then
                printf '%-14s %-14s run %d  Score: %s\n' "$name" "$p" "$r" "$score"
                echo "$score" >> "$tmp/s.$i.$p"
            else
                allok=0
                # The message, not the stack trace lines that follow it.
                why=$(printf '%s\n' "$out" | grep -v -e '^Score:' -e '^[[:space:]]*at ' | tail -n 2 | tr '\n' ' ')
                [ $rc -eq 124 ] && why="timed out after ${timeout_s}s; $why"
                printf '%-14s %-14s run %d  FAILED (exit %d): %s\n' "$name" "$p" "$r" "$rc" "$why"
            fi
            i=$((i + 1))
        done
        r=$((r + 1))
    done
done

# The median of the scores in file $1, or "-" when there are none.
median() {
    if [ -s "$1" ]; then
        sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
    else
        echo -
    fi
}

echo
echo "# medians of $repeat run(s); ratio:X = first engine's score / X's score (above 1: the first is faster)"
printf '%-14s' program
i=1
while [ $i -le $nengines ]; do printf ' %14s' "$(cat "$tmp/name.$i")"; i=$((i + 1)); done
i=2
while [ $i -le $nengines ]; do printf ' %14s' "ratio:$(cut -c1-8 "$tmp/name.$i")"; i=$((i + 1)); done
echo
for p in $programs; do
    printf '%-14s' "$p"
    i=1
    while [ $i -le $nengines ]; do
        m=$(median "$tmp/s.$i.$p"); echo "$m" > "$tmp/m.$i.$p"
        printf ' %14s' "$m"
        i=$((i + 1))
    done
    i=2
    while [ $i -le $nengines ]; do
        printf ' %14s' "$(awk -v a="$(cat "$tmp/m.1.$p")" -v b="$(cat "$tmp/m.$i.$p")" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }')"
        i=$((i + 1))
    done
    echo
done
# Geometric mean over the programs that scored; "(k/8)" marks a partial one.
printf '%-14s' geomean
i=1
while [ $i -le $nengines ]; do
    g=$(for p in $programs; do cat "$tmp/m.$i.$p"; done | awk -v n="$(echo $programs | wc -w)" '
        $1 != "-" && $1 > 0 { s += log($1); k++ }
        END { if (!k) print "-"; else if (k < n) printf "%.1f(%d/%d)\n", exp(s / k), k, n; else printf "%.1f\n", exp(s / k) }')
    echo "$g" > "$tmp/g.$i"
    printf ' %14s' "$g"
    i=$((i + 1))
done
# The ratio row is the geometric mean of the per-program ratios, over the programs
# both engines scored, so a failing program does not skew it.
i=2
while [ $i -le $nengines ]; do
    g=$(for p in $programs; do echo "$(cat "$tmp/m.1.$p") $(cat "$tmp/m.$i.$p")"; done | awk '
        $1 != "-" && $2 != "-" && $1 > 0 && $2 > 0 { s += log($1 / $2); k++ }
        END { if (!k) print "-"; else printf "%.2f\n", exp(s / k) }')
    printf ' %14s' "$g"
    i=$((i + 1))
done
echo
[ $allok -eq 1 ] || exit 1
exit 0
