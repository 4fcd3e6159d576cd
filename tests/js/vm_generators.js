// Generators, async functions, async generators, for-await.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
function* g() { var x = yield 1; try { yield x + 1; } finally { log.push("fin"); } return 9; }
var log = [];
var it = g();
check(JSON.stringify(it.next()), '{"value":1,"done":false}', "first next");
check(it.next(5).value, 6, "sent value");
check(JSON.stringify(it.return(4)), '{"value":4,"done":true}', "return runs finally");
check(log.join(), "fin", "finally on return");
function* d() { yield* [1, 2]; var r = yield* inner(); yield r; }
function* inner() { yield "i"; return "ret"; }
check([...d()].join(), "1,2,i,ret", "yield*");
var closed = false;
var iterable = { [Symbol.iterator]() { return { next() { return { value: 1, done: false }; }, return() { closed = true; return {}; } }; } };
for (var v of iterable) break;
check(closed, true, "for-of break closes the iterator");
var results = [];
async function af() { var x = await 5; return x + 1; }
async function* ag() { yield 1; yield await Promise.resolve(2); return 3; }
(async () => {
    results.push(await af());
    for await (var x of ag()) results.push(x);
    for await (var y of [Promise.resolve("p"), "q"]) results.push(y);
    try { await Promise.reject(new Error("rej")); } catch (e) { results.push(e.message); }
})().then(() => {
    check(results.join(), "6,1,2,p,q,rej", "async results");
    print("vm_generators ok");
}).catch(e => { print("FAIL " + e); throw e; });
