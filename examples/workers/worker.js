// worker.js - the worker of parallel-sum.js: sums its range of the shared
// array, or (spin: true) loops forever until the main thread terminates it.
onmessage = (e) => {
    const msg = e.data;
    if (msg.spin) {
        postMessage("spinning");
        for (;;) Atomics.add(msg.counters, 1, 1);
    }
    const [lo, hi] = msg.range;
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += msg.data[i];
    Atomics.add(msg.counters, 0, hi - lo);
    postMessage({ id: msg.id, sum, stats: new Map([["items", hi - lo], ["range", [lo, hi]]]) });
    close();
};
