#!/bin/sh
# run-stress.sh - make stress: the heaviest Atomics wait/notify tests, run
# many times, to catch a flake that one run of make check would miss.
# Runs the C hammer (tests/unit/test_agents: 8 agents on one counter,
# wait/notify, teardown of parked agents) and test262's agent tests of
# Atomics.wait/notify/waitAsync through jstest262 --repeat, unchanged.
# Not part of make check: the default 1,000 iterations take ~20 minutes.
#
#   STRESS_ITERATIONS  runs of each test (default 1000)
#   STRESS_JOBS        jstest262 worker processes (default 2)
#   TEST262_DIR        an unpacked test262 checkout (the test262 part is
#                      skipped, and the run fails, without it)
set -u
top_builddir=${top_builddir:-.}
srcdir=${srcdir:-$(dirname "$0")/../..}
iterations=${STRESS_ITERATIONS:-1000}
jobs=${STRESS_JOBS:-2}
agents=$top_builddir/tests/unit/test_agents
jstest262=$top_builddir/tools/jstest262
status=0
start=$(date +%s)

# The test262 files: agents blocked in Atomics.wait woken by notify (all, in
# order, FIFO), waits that must not be woken by other Atomics operations,
# and waitAsync in agents. Chosen for how much of lib/threads they cross
# per second of run time.
TESTS="
test/built-ins/Atomics/notify/notify-all.js
test/built-ins/Atomics/notify/notify-in-order.js
test/built-ins/Atomics/wait/waiterlist-order-of-operations-is-fifo.js
test/built-ins/Atomics/wait/no-spurious-wakeup-on-store.js
test/built-ins/Atomics/waitAsync/true-for-timeout-agent.js
"

[ -x "$agents" ] || { echo "stress: $agents is not built"; exit 99; }
[ -x "$jstest262" ] || { echo "stress: $jstest262 is not built"; exit 99; }

# 1. The C hammer, one process per iteration (check's fork mode off, so
#    that a crash is this iteration's and shows as such).
echo "stress: test_agents x $iterations"
failed=0
i=1
while [ "$i" -le "$iterations" ]; do
    if ! CK_FORK=no "$agents" >stress-agents.log 2>&1; then
        failed=$((failed + 1))
        echo "stress: test_agents iteration $i FAILED:"
        sed 's/^/    /' stress-agents.log
    fi
    [ $((i % 100)) -eq 0 ] && echo "stress: test_agents $i/$iterations, $failed failed, $(( $(date +%s) - start ))s"
    i=$((i + 1))
done
rm -f stress-agents.log
agents_failed=$failed
[ "$failed" -eq 0 ] || status=1

# 2. test262's agent tests, round by round.
t262_line="skipped (no TEST262_DIR)"
if [ -n "${TEST262_DIR:-}" ] && [ -f "$TEST262_DIR/harness/assert.js" ]; then
    echo "stress: test262 agent tests x $iterations (-j $jobs)"
    "$jstest262" --test262 "$TEST262_DIR" -j "$jobs" --repeat "$iterations" -v \
        --results stress-test262.txt $TESTS >stress-test262.log
    rc=$?
    sed -n '/^Failed runs:/,$p' stress-test262.log
    t262_line=$(grep '^repeat:' stress-test262.log || echo "jstest262 exited with status $rc")
    [ "$rc" -eq 0 ] || status=1
else
    echo "stress: make stress needs TEST262_DIR (./configure --with-test262=DIR or make stress TEST262_DIR=DIR)"
    status=1
fi

echo
echo "stress summary ($(( $(date +%s) - start )) s):"
echo "  test_agents: $iterations iterations, $agents_failed failed"
echo "  test262: $t262_line"
exit $status
