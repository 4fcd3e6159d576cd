// parallel-sum.js - a parallel sum over a SharedArrayBuffer with four workers.
// Run: jsrun examples/workers/parallel-sum.js
//
// Three workers each sum a third of a shared Float64Array and answer with a
// structured message (an object holding a Map); they also count the items
// they processed in a shared Int32Array through Atomics. The fourth worker
// spins forever, bumping a heartbeat counter: once it has been seen running
// it is terminated. The event loop ends when every worker has exited.

const LENGTH = 1 << 20;
const SUMMERS = 3;

const data = new Float64Array(new SharedArrayBuffer(LENGTH * Float64Array.BYTES_PER_ELEMENT));
for (let i = 0; i < LENGTH; i++) data[i] = i % 1000;
// [0]: items summed by all workers, [1]: the spinner's heartbeat
const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

let total = 0, answered = 0, spinnerStopped = false;

function finish() {
    if (answered < SUMMERS || !spinnerStopped) return;
    let expected = 0;
    for (let i = 0; i < LENGTH; i++) expected += i % 1000;
    const items = Atomics.load(counters, 0);
    print(`sum ${total} (expected ${expected}), items ${items} of ${LENGTH},` +
          ` spinner beat ${Atomics.load(counters, 1) > 0 ? "yes" : "no"}, terminated yes`);
    print(total === expected && items === LENGTH ? "ok" : "MISMATCH");
}

const chunk = Math.ceil(LENGTH / SUMMERS);
for (let id = 0; id < SUMMERS; id++) {
    const w = new Worker("worker.js");          // relative to this file
    w.onmessage = (e) => {
        const { id, sum, stats } = e.data;      // stats is a Map: cloned as one
        print(`worker ${id}: ${stats.get("items")} items in [${stats.get("range")}]`);
        total += sum;
        answered++;
        finish();
    };
    w.onerror = (e) => { print(`worker ${id} failed: ${e.message}`); };
    w.postMessage({ id, data, counters, range: [id * chunk, Math.min(LENGTH, (id + 1) * chunk)] });
}

const spinner = new Worker("worker.js");
spinner.onmessage = (e) => {
    if (e.data !== "spinning") return;
    // it is inside `for (;;)` now: stop it mid-loop
    spinner.terminate();
    spinnerStopped = true;
    finish();
};
spinner.postMessage({ spin: true, counters });
