#!/bin/sh
# test-jsrun.sh - jsrun as a user drives it: -e/-p, files, modules, stdin,
# exit statuses, and the "Uncaught" report with file:line:column.
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
JSRUN=${JSRUN:-${top_builddir:-.}/tools/jsrun}
[ -x "$JSRUN" ] || { echo "test-jsrun: $JSRUN is not built" >&2; exit 99; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {   # check NAME EXPECTED-STATUS EXPECTED-STDOUT [grep pattern for stderr]
    name=$1 want_rc=$2 want_out=$3 want_err=${4:-}
    got_out=$(cat "$tmp/out")
    if [ "$rc" != "$want_rc" ]; then
        echo "FAIL: $name: exit status $rc, expected $want_rc"; sed 's/^/    /' "$tmp/err"; fail=1; return
    fi
    if [ "$got_out" != "$want_out" ]; then
        echo "FAIL: $name: stdout '$got_out', expected '$want_out'"; fail=1; return
    fi
    if [ -n "$want_err" ] && ! grep -q -- "$want_err" "$tmp/err"; then
        echo "FAIL: $name: stderr lacks '$want_err':"; sed 's/^/    /' "$tmp/err"; fail=1; return
    fi
    echo "ok: $name"
}
run() { "$JSRUN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; }

run -e 'print(6*7)';                    check "-e print(6*7)" 0 42
run -p '6*7';                           check "-p 6*7" 0 42
run -p '"a" + 1' -e 'print("b")';       check "-p then -e, in order" 0 "a1
b"
run -e 'console.log("x", 1, true)';     check "console.log joins with spaces" 0 "x 1 true"
run -e 'console.error("to stderr")';    check "console.error goes to stderr" 0 "" "to stderr"
run -e 'Promise.resolve(5).then(v => print("job", v))'
                                        check "jobs run after the script" 0 "job 5"
run --version;                          check "--version" 0 "$(cat "$tmp/out")" ""
grep -q '^jsrun (jsengine) [0-9]' "$tmp/out" || { echo "FAIL: --version text: $(cat "$tmp/out")"; fail=1; }
run --help;                             grep -q '^Usage: jsrun' "$tmp/out" && [ $rc = 0 ] && echo "ok: --help" || { echo "FAIL: --help"; fail=1; }
run --no-such-option;                   check "unknown option" 2 "" "unknown option"
run "$tmp/missing.js";                  check "missing file" 2 "" "cannot open"

printf 'function f() {\n  throw new TypeError("boom");\n}\nf();\n' > "$tmp/throw.js"
run "$tmp/throw.js";                    check "uncaught exception: status 1" 1 "" "^Uncaught TypeError: boom"
grep -q "throw.js:2:[0-9]" "$tmp/err" || { echo "FAIL: no file:line:column in the report:"; sed 's/^/    /' "$tmp/err"; fail=1; }
run -e 'throw 42';                      check "uncaught non-error" 1 "" "^Uncaught 42"
run -e 'var = 1';                       check "syntax error" 1 "" "^Uncaught SyntaxError"

printf 'print(scriptArgs.slice(1).join(","));\n' > "$tmp/args.js"
run "$tmp/args.js" a b -c;              check "scriptArgs" 0 "a,b,-c"

printf 'export const x = 6 * 7;\nprint(x);\n' > "$tmp/mod.mjs"
run "$tmp/mod.mjs";                     check ".mjs runs as a module" 0 42
cp "$tmp/mod.mjs" "$tmp/mod.js"
run --module "$tmp/mod.js";             check "--module" 0 42
printf 'print(this === undefined);\n' > "$tmp/this.mjs"
run "$tmp/this.mjs";                    check "module this is undefined" 0 true
printf 'await null;\nthrow new RangeError("late");\n' > "$tmp/reject.mjs"
run "$tmp/reject.mjs";                  check "rejected module: status 1" 1 "" "^Uncaught RangeError: late"

# The event loop: timers, microtasks, and uncaught exceptions inside them.
run -e 'setTimeout(() => print(2), 10); setTimeout(() => print(1), 0); queueMicrotask(() => print(0))'
                                        check "timers and microtasks, in order" 0 "0
1
2"
run -e 'let n = 0; const t = setInterval(() => { print(++n); if (n === 3) clearInterval(t); }, 1)'
                                        check "setInterval until clearInterval" 0 "1
2
3"
run -e 'clearTimeout(setTimeout(() => print("no"), 1)); print("yes")'
                                        check "a cleared timer neither runs nor keeps jsrun alive" 0 yes
run -e 'setTimeout(() => { throw new Error("in timer"); }, 1); setTimeout(() => print("after"), 30)'
                                        check "uncaught exception in a timer: status 1" 1 "" "^Uncaught Error: in timer"
run -e 'queueMicrotask(() => { throw new TypeError("in microtask"); })'
                                        check "uncaught exception in a microtask: status 1" 1 "" "^Uncaught TypeError: in microtask"
run -e 'setTimeout("print(1)")';        check "setTimeout with a string: TypeError" 1 "" "^Uncaught TypeError"
printf 'setInterval(() => {}, 1000);\nawait null;\nthrow new RangeError("tla");\n' > "$tmp/reject-live.mjs"
start=$(date +%s)
run "$tmp/reject-live.mjs";             check "rejected module with a live interval: status 1" 1 "" "^Uncaught RangeError: tla"
[ $(( $(date +%s) - start )) -lt 5 ] || { echo "FAIL: jsrun kept running after the module rejected"; fail=1; }
run "$srcdir/tests/js/host_timers.js";  check "tests/js/host_timers.js" 0 "host_timers: ok"

echo 'print("from stdin")' | "$JSRUN" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "stdin script" 0 "from stdin"
echo 'print(1)' | "$JSRUN" - >"$tmp/out" 2>"$tmp/err"; rc=$?
check "file -" 0 1

[ $fail = 0 ] && echo "test-jsrun: all passed"
exit $fail
