// Promise (lib/builtins/promise.c): reactions, combinators, ordering.
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var log = [];
var p = Promise.resolve(1);
p.then(function (v) { log.push("a" + v); });
Promise.reject(2).catch(function (e) { log.push("b" + e); });
new Promise(function (res) { res(3); }).finally(function () { log.push("f"); }).then(function (v) { log.push("c" + v); });
Promise.all([1, Promise.resolve(2)]).then(function (v) { log.push("all" + v.join("")); });
Promise.allSettled([Promise.reject(1), 2]).then(function (v) { log.push("settled" + v[0].status + v[1].value); });
Promise.any([Promise.reject(1), Promise.reject(2)]).catch(function (e) { log.push("any" + (e instanceof AggregateError) + e.errors.length); });
Promise.race([new Promise(function () {}), Promise.resolve("r")]).then(function (v) { log.push("race" + v); });
var wr = Promise.withResolvers(); wr.promise.then(function (v) { log.push("wr" + v); }); wr.resolve(9);
Promise.try(function (x) { return x * 2; }, 21).then(function (v) { log.push("try" + v); });
var thenable = { then: function (r) { r("t"); } };
Promise.resolve(thenable).then(function (v) { log.push("thenable" + v); });
throws(TypeError, function () { Promise(); }, "Promise without new");
throws(TypeError, function () { new Promise(1); }, "non-callable executor");
eq(Promise.resolve(p), p, "resolve same promise");
class MyP extends Promise {}
assert(MyP.resolve(1) instanceof MyP, "subclass resolve");
assert(p.then() instanceof Promise, "then result");
eq(Object.prototype.toString.call(p), "[object Promise]", "tag");
var done = false;
(async function () {
    var r = await Promise.resolve(5);
    eq(r, 5, "await");
    await null; await null; await null; await null; await null;
    // order independent checks
    ["a1", "b2", "f", "c3", "all12", "settledrejected2", "anytrue2", "racer", "wr9", "try42", "thenablet"].forEach(function (x) {
        assert(log.indexOf(x) >= 0, "missing " + x + " in " + log.join());
    });
    assert(log.indexOf("a1") < log.indexOf("c3"), "ordering");
    done = true;
})().catch(function (e) { print("FAIL " + e); throw e; });
var order = [];
Promise.resolve().then(function () { order.push(1); }).then(function () { order.push(3); });
Promise.resolve().then(function () { order.push(2); });
Promise.resolve().then(function () {}).then(function () {}).then(function () { eq(order.join(), "1,2,3", "job order"); });
