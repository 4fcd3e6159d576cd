// host_timers.js - jsrun's event loop: setTimeout/setInterval/clearTimeout/
// clearInterval and queueMicrotask (HTML timer semantics). The checks run in
// the last timer; it prints "host_timers: ok" (test-jsrun.sh checks the line).
function assertEq(a, b, what) {
    if (a !== b) throw new Error(what + ": got " + String(a) + ", expected " + String(b));
}
function assertThrows(C, f, what) {
    try { f(); } catch (e) { if (e instanceof C) return; throw new Error(what + ": wrong error " + e); }
    throw new Error(what + ": did not throw");
}

const log = [];

// ids are positive integers, distinct
const id1 = setTimeout(() => log.push("t20"), 20);
const id2 = setTimeout(() => log.push("t0"));
assertEq(Number.isInteger(id1) && id1 > 0, true, "id is a positive integer");
assertEq(id1 !== id2, true, "ids are distinct");
assertEq(typeof setTimeout, "function", "setTimeout");
assertEq(setTimeout.length, 1, "setTimeout.length");
assertEq(queueMicrotask.length, 1, "queueMicrotask.length");

// ordered by due time, then by creation
setTimeout(() => log.push("a5"), 5);
setTimeout(() => log.push("b5"), 5);
setTimeout(() => log.push("neg"), -100);          // negative: 0
setTimeout(() => log.push("nan"), NaN);           // NaN: 0
setTimeout(() => log.push("str"), "1");           // coerced: 1 ms

// extra arguments go to the callback, `this` is the global object
setTimeout(function (a, b, c) {
    log.push("args " + a + b + c + " " + (this === globalThis));
}, 2, 1, "x", null);

// clearTimeout: before it runs; unknown ids and junk are no-ops
const gone = setTimeout(() => log.push("cleared timeout ran"), 1);
clearTimeout(gone);
clearTimeout(999999);
clearTimeout("nope");
clearTimeout();
clearInterval(gone);

// setInterval stopped by clearInterval after three runs
let runs = 0;
const iv = setInterval((tag) => {
    runs++;
    log.push(tag + runs);
    if (runs === 3) clearInterval(iv);
}, 1, "iv");

// clearTimeout and clearInterval share ids
const shared = setInterval(() => log.push("shared interval ran"), 1);
clearTimeout(shared);

// a timer cancelling a later one
const later = setTimeout(() => log.push("later ran"), 40);
setTimeout(() => clearTimeout(later), 10);

// microtasks: before any timer, and in order with promise jobs
queueMicrotask(() => log.push("m1"));
Promise.resolve().then(() => log.push("p1"));
queueMicrotask(() => log.push("m2"));
// a microtask queued by a timer runs before the next timer
setTimeout(() => { queueMicrotask(() => log.push("m-in-t")); log.push("t3"); }, 3);
setTimeout(() => log.push("t3b"), 3);

// non-callables are TypeErrors
assertThrows(TypeError, () => setTimeout("log.push(1)"), "setTimeout(string)");
assertThrows(TypeError, () => setTimeout(), "setTimeout()");
assertThrows(TypeError, () => setInterval({}, 1), "setInterval(object)");
assertThrows(TypeError, () => queueMicrotask(1), "queueMicrotask(number)");
// delay coercion runs valueOf
let coerced = false;
clearTimeout(setTimeout(() => {}, { valueOf() { coerced = true; return 1; } }));
assertEq(coerced, true, "delay is coerced with ToNumber");

// an exception in a microtask callback is caught where the callback throws
queueMicrotask(() => {
    try { null.x; } catch (e) { log.push("caught " + e.constructor.name); }
});

setTimeout(() => {
    const s = log.join(",");
    const idx = (x) => { const i = log.indexOf(x); if (i < 0) throw new Error("missing " + x + " in " + s); return i; };
    // microtasks first, in queueing order
    assertEq(log.slice(0, 4).join(","), "m1,p1,m2,caught TypeError", "microtasks first: " + s);
    // zero-delay timers in creation order
    if (!(idx("t0") < idx("neg") && idx("neg") < idx("nan"))) throw new Error("zero delays out of order: " + s);
    if (!(idx("a5") < idx("b5"))) throw new Error("equal delays out of creation order: " + s);
    if (!(idx("nan") < idx("a5") && idx("b5") < idx("t20"))) throw new Error("delays out of order: " + s);
    assertEq(log[idx("t3") + 1], "m-in-t", "microtask right after its timer: " + s);
    if (!(idx("t3") < idx("t3b"))) throw new Error("t3 order: " + s);
    idx("str");
    idx("args 1xnull true");
    assertEq(runs, 3, "interval ran three times");
    if (!(idx("iv1") < idx("iv2") && idx("iv2") < idx("iv3"))) throw new Error("interval order: " + s);
    for (const bad of ["cleared timeout ran", "shared interval ran", "later ran"])
        if (log.includes(bad)) throw new Error(bad + ": " + s);
    print("host_timers: ok");
}, 60);
