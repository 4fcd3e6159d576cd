#!/bin/sh
# test-runner.sh - jstest262's own test: a tiny fake test262 tree with tests
# that pass, fail, crash the worker and hang; checks each verdict and that the
# run completes and the expectations gate works.
set -u
top=${abs_top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
srcdir=${srcdir:-$(dirname "$0")/../..}
runner="$top/tools/jstest262"
root="$srcdir/tests/jstest262/root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
JSTEST262_SELFTEST=1 "$runner" --test262 "$root" -j 2 --timeout 1 --results "$tmp/res" test >"$tmp/out" 2>&1
expect() {
  got=$(awk -F'\t' -v p="$2" '$2 == p { print $1 }' "$tmp/res")
  if [ "$got" != "$1" ]; then echo "FAIL: $2: expected $1, got '${got}'"; fail=1; else echo "ok: $2 $1"; fi
}
expect PASS test/pass.js
expect FAIL test/fail.js
expect FAIL test/strict-only-fail.js
expect CRASH test/crash.js
expect TIMEOUT test/timeout.js
expect PASS test/sub/negative.js
expect FAIL test/sub/negative-wrong.js
expect PASS test/sub/includes.js
expect PASS test/sub/async.js
if grep -q FIXTURE "$tmp/res"; then echo "FAIL: a _FIXTURE file was run"; fail=1; fi
tail -1 "$tmp/out" | grep -q '^4 passed, 5 failed$' || { echo "FAIL: summary line: $(tail -1 "$tmp/out")"; fail=1; }
# The expectations gate: the known failures pass the gate, a new one fails it.
printf 'test/fail.js\ntest/strict-only-fail.js\ntest/crash.js\ntest/timeout.js\ntest/sub/negative-wrong.js\n' >"$tmp/exp"
JSTEST262_SELFTEST=1 "$runner" --test262 "$root" -j 2 --timeout 1 --expectations "$tmp/exp" test >"$tmp/out2" 2>&1 \
  || { echo "FAIL: gate rejected known failures"; cat "$tmp/out2"; fail=1; }
printf 'test/fail.js\n' >"$tmp/exp2"
if JSTEST262_SELFTEST=1 "$runner" --test262 "$root" -j 2 --timeout 1 --expectations "$tmp/exp2" test >"$tmp/out3" 2>&1; then
  echo "FAIL: gate accepted unexpected failures"; fail=1
fi
[ $fail = 0 ] && echo "jstest262 self-test passed"
exit $fail
