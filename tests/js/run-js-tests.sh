#!/bin/sh
# run-js-tests.sh - runs every tests/js/*.js (and *.mjs and modules/*.mjs, as modules) with jsrun.
# A test passes when jsrun exits 0: each file asserts its own result and
# throws on failure. Prints one line per test and a summary; exits 1 if any failed.
# A file whose first line is `// jsrun-flags: FLAGS` runs as jsrun FLAGS FILE.
# Environment: JSRUN (the jsrun to use), srcdir, JS_TEST_TIMEOUT (seconds, default 60).
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
JSRUN=${JSRUN:-${top_builddir:-.}/tools/jsrun}
timeout_s=${JS_TEST_TIMEOUT:-60}
dir="$srcdir/tests/js"

if [ ! -x "$JSRUN" ]; then
    echo "run-js-tests: $JSRUN is not built" >&2
    exit 99
fi
runner=""
if command -v timeout >/dev/null 2>&1; then runner="timeout $timeout_s"; fi

pass=0
fail=0
failed=""
for f in "$dir"/*.js "$dir"/*.mjs "$dir"/modules/*.mjs; do
    [ -e "$f" ] || continue
    name=${f#"$dir"/}
    flags=$(sed -n '1s|^// jsrun-flags: ||p' "$f")
    out=$($runner "$JSRUN" $flags "$f" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS: $name"
        pass=$((pass + 1))
    else
        case $rc in
            124) why="timed out after ${timeout_s}s" ;;
            1) why="uncaught exception" ;;
            *) why="exit status $rc" ;;
        esac
        echo "FAIL: $name ($why)"
        printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
        fail=$((fail + 1))
        failed="$failed $name"
    fi
done
echo "run-js-tests: $pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed:$failed"; exit 1; }
exit 0
