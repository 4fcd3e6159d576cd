#!/bin/sh
# test-workers.sh - the Worker global as a jsrun user meets it: the parallel
# sum example (4 workers, a SharedArrayBuffer, one terminated mid-loop), and
# the reports and exit statuses of failing workers.
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
JSRUN=${JSRUN:-${top_builddir:-.}/tools/jsrun}
[ -x "$JSRUN" ] || { echo "test-workers: $JSRUN is not built" >&2; exit 99; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {   # check NAME EXPECTED-STATUS EXPECTED-LAST-STDOUT-LINE [grep pattern for stderr]
    name=$1 want_rc=$2 want_out=$3 want_err=${4:-}
    got_out=$(tail -n 1 "$tmp/out")
    if [ "$rc" != "$want_rc" ]; then
        echo "FAIL: $name: exit status $rc, expected $want_rc"; sed 's/^/    /' "$tmp/out" "$tmp/err"; fail=1; return
    fi
    if [ "$got_out" != "$want_out" ]; then
        echo "FAIL: $name: stdout ends '$got_out', expected '$want_out'"; fail=1; return
    fi
    if [ -n "$want_err" ] && ! grep -q -- "$want_err" "$tmp/err"; then
        echo "FAIL: $name: stderr lacks '$want_err':"; sed 's/^/    /' "$tmp/err"; fail=1; return
    fi
    echo "ok: $name"
}
run() { "$JSRUN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; }

run "$srcdir/examples/workers/parallel-sum.js"
check "examples/workers/parallel-sum.js" 0 ok

echo 'throw new TypeError("bad " + 1)' >"$tmp/bad.js"
echo 'new Worker("bad.js"); print("main done")' >"$tmp/main.js"
run "$tmp/main.js"
check "an uncaught worker error without onerror fails the parent" 1 "main done" "Uncaught TypeError: bad 1"

echo 'const w = new Worker("bad.js"); w.onerror = (e) => print("onerror:", e.message);' >"$tmp/main2.js"
run "$tmp/main2.js"
check "onerror receives the worker's error" 0 "onerror: bad 1"

echo 'let = = ;' >"$tmp/syntax.js"
echo 'new Worker("syntax.js")' >"$tmp/main3.js"
run "$tmp/main3.js"
check "a syntax error in the worker" 1 "" "Uncaught SyntaxError"

run -e 'new Worker(42)'
check "a non-string path" 1 "" "TypeError: Worker: the script path must be a string"

run -e 'new Worker("/nonexistent/w.js")'
check "a missing file" 1 "" "cannot load worker script '/nonexistent/w.js'"

echo 'export const twice = (x) => 2 * x;' >"$tmp/dep.mjs"
echo 'import { twice } from "./dep.mjs"; onmessage = (e) => { postMessage(twice(e.data)); close(); };' >"$tmp/w.mjs"
echo 'const w = new Worker("w.mjs", { type: "module" }); w.onmessage = (e) => print(e.data); w.postMessage(21);' >"$tmp/main4.js"
run "$tmp/main4.js"
check "a module worker imports relative to its file" 0 42

exit $fail
