#!/bin/sh
# test-test262-host.sh - jsrun --test262-host: test262's $262 from the
# library (jse_install_test262_host) with agents on real threads, realms,
# evalScript, IsHTMLDDA, detachArrayBuffer; agents stopped at exit; and,
# when TEST262_DIR names a test262 checkout, a real agent test run the way
# jsrun(1) documents (harness files first, in one file).
set -u
JSRUN=${JSRUN:-${top_builddir:-.}/tools/jsrun}
[ -x "$JSRUN" ] || { echo "test-test262-host: $JSRUN is not built" >&2; exit 99; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() {   # check NAME EXPECTED-STATUS EXPECTED-STDOUT
    got_out=$(cat "$tmp/out")
    if [ "$rc" != "$2" ] || [ "$got_out" != "$3" ]; then
        echo "FAIL: $1: status $rc (want $2), stdout '$got_out' (want '$3')"
        sed 's/^/    /' "$tmp/err"
        fail=1
    else
        echo "ok: $1"
    fi
}
run() { "$JSRUN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; }

run -e 'print(typeof $262)'
check "no \$262 without the flag" 0 undefined

run --test262-host -e 'print(typeof $262.agent.start, typeof $262.createRealm, $262.global === globalThis)'
check "\$262 with --test262-host" 0 "function function true"

# Two agents block in Atomics.wait; the main agent (which may block too)
# wakes them one by one and collects their reports.
cat >"$tmp/agents.js" <<'EOF'
var sab = new SharedArrayBuffer(16), i32 = new Int32Array(sab);
for (var k = 0; k < 2; k++) $262.agent.start(`
  $262.agent.receiveBroadcast(function (sab) {
    var a = new Int32Array(sab); Atomics.add(a, 1, 1);
    $262.agent.report(Atomics.wait(a, 0, 0, 10000)); $262.agent.leaving();
  });`);
$262.agent.broadcast(sab);
while (Atomics.load(i32, 1) !== 2) $262.agent.sleep(1);
var n = 0;
while (n < 2) { n += Atomics.notify(i32, 0, 1); $262.agent.sleep(1); }
var r = [], x;
while (r.length < 2) { if ((x = $262.agent.getReport()) !== null) r.push(x); else $262.agent.sleep(1); }
print(n, r.join(), Atomics.wait(i32, 2, 0, 1));
EOF
run --test262-host "$tmp/agents.js"
check "agents wait, main agent notifies" 0 "2 ok,ok timed-out"

run --test262-host -e '
var r = $262.createRealm();
print(r.global.Array !== Array, r.evalScript("var v = 6 * 7; v"), r.global.v, typeof r.createRealm);
print(typeof $262.IsHTMLDDA, $262.IsHTMLDDA(), $262.evalScript("this") === globalThis);
var ab = new ArrayBuffer(8); $262.detachArrayBuffer(ab); print(ab.byteLength, ab.detached);
$262.gc();'
check "createRealm, evalScript, IsHTMLDDA, detachArrayBuffer, gc" 0 "true 42 42 function
undefined null true
0 true"

# An agent that never ends is stopped when jsrun exits.
start=$(date +%s)
run --test262-host -e '$262.agent.start("for (;;) {}"); $262.agent.sleep(50); print("left")'
check "a spinning agent does not hold up exit" 0 left
[ $(( $(date +%s) - start )) -lt 10 ] || { echo "FAIL: exit took $(( $(date +%s) - start )) s"; fail=1; }

if [ -n "${TEST262_DIR:-}" ] && [ -f "$TEST262_DIR/test/built-ins/Atomics/notify/notify-all.js" ]; then
    h=$TEST262_DIR/harness
    cat "$h/assert.js" "$h/sta.js" "$h/atomicsHelper.js" \
        "$TEST262_DIR/test/built-ins/Atomics/notify/notify-all.js" >"$tmp/notify-all.js"
    run --test262-host "$tmp/notify-all.js"
    check "test262 Atomics/notify/notify-all.js" 0 ""
    # the same file must fail when its expectation is broken
    sed 's/^  NUMAGENT,$/  NUMAGENT + 1,/' "$tmp/notify-all.js" >"$tmp/broken.js"
    if cmp -s "$tmp/notify-all.js" "$tmp/broken.js"; then
        echo "skip: could not break notify-all.js's expectation (test262 changed?)"
    else
        run --test262-host "$tmp/broken.js"
        [ "$rc" = 1 ] && grep -q Test262Error "$tmp/err" && echo "ok: a broken notify-all.js fails" ||
            { echo "FAIL: the broken notify-all.js did not fail (status $rc)"; fail=1; }
    fi
else
    echo "skip: test262 notify-all.js (no TEST262_DIR)"
fi
exit $fail
