#!/bin/sh
# churn-rss.sh - runs tests/js/gc_churn.js with jsrun over a large total allocation
# (10 GB by default) and checks that peak RSS stays under a limit (200 MB by default).
# Runnable by hand; not part of make check, because the full size takes minutes.
# Owns only itself.
#
# Usage: tests/gc/churn-rss.sh [--gb N] [--mb N] [--limit-mb N] [JSRUN]
#   JSRUN defaults to $JSRUN, then build-dev/jsrun, then tools/jsrun.
# Peak RSS comes from /usr/bin/time -v ("Maximum resident set size") when present,
# otherwise from VmHWM in /proc/PID/status, sampled until the process ends.
# Exit status: 0 under the limit, 1 over it or when the program failed, 2 on usage.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mb=10240
limit_mb=200
jsrun=${JSRUN:-}

while [ $# -gt 0 ]; do
    case $1 in
        --gb) mb=$(($2 * 1024)); shift 2 ;;
        --mb) mb=$2; shift 2 ;;
        --limit-mb) limit_mb=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
        -*) echo "churn-rss: unknown option $1" >&2; exit 2 ;;
        *) jsrun=$1; shift ;;
    esac
done
if [ -z "$jsrun" ]; then
    if [ -x "$top/build-dev/jsrun" ]; then jsrun="$top/build-dev/jsrun"; else jsrun="$top/tools/jsrun"; fi
fi
[ -x "$jsrun" ] || { echo "churn-rss: $jsrun is not built" >&2; exit 2; }
prog="$top/tests/js/gc_churn.js"

out=$(mktemp "${TMPDIR:-/tmp}/churn.XXXXXX") || exit 2
trap 'rm -f "$out" "$out.time"' EXIT INT TERM

start=$(date +%s)
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$out.time" "$jsrun" "$prog" "$mb" > "$out" 2>&1
    rc=$?
    peak_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$out.time")
else
    "$jsrun" "$prog" "$mb" > "$out" 2>&1 &
    pid=$!
    peak_kb=0
    while kill -0 $pid 2>/dev/null; do
        hwm=$(sed -n 's/^VmHWM: *\([0-9]*\).*/\1/p' /proc/$pid/status 2>/dev/null)
        [ -n "$hwm" ] && [ "$hwm" -gt "$peak_kb" ] && peak_kb=$hwm
        sleep 0.2
    done
    wait $pid
    rc=$?
fi
secs=$(($(date +%s) - start))
cat "$out"
peak_mb=$(( ${peak_kb:-0} / 1024 ))
echo "churn-rss: $mb MB allocated in ${secs}s, peak RSS ${peak_mb} MB (${peak_kb:-?} kB), limit ${limit_mb} MB"
if [ $rc -ne 0 ]; then
    echo "churn-rss: FAIL: jsrun exited with status $rc"
    exit 1
fi
if [ -z "${peak_kb:-}" ] || [ "$peak_mb" -ge "$limit_mb" ]; then
    echo "churn-rss: FAIL: peak RSS over the limit"
    exit 1
fi
echo "churn-rss: PASS"
exit 0
