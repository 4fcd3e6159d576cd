// DisposableStack and AsyncDisposableStack (lib/builtins/disposable.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

// shape of the builtins
eq(DisposableStack.length, 0, "ctor length");
eq(DisposableStack.prototype[Symbol.dispose], DisposableStack.prototype.dispose, "@@dispose is dispose");
eq(AsyncDisposableStack.prototype[Symbol.asyncDispose], AsyncDisposableStack.prototype.disposeAsync, "@@asyncDispose");
eq(Object.prototype.toString.call(new DisposableStack()), "[object DisposableStack]", "tag");
eq(Object.prototype.toString.call(new AsyncDisposableStack()), "[object AsyncDisposableStack]", "async tag");
throws(TypeError, function () { DisposableStack(); }, "call without new");
throws(TypeError, function () { DisposableStack.prototype.use.call({}, null); }, "bad receiver");
throws(TypeError, function () { DisposableStack.prototype.dispose.call(new AsyncDisposableStack()); }, "async receiver");

// LIFO order, use/adopt/defer and their return values
var log = [];
var s = new DisposableStack();
var res = { [Symbol.dispose]() { log.push("use"); } };
eq(s.use(res), res, "use returns value");
eq(s.use(null), null, "use null");
eq(s.adopt(7, function (v) { "use strict"; log.push("adopt" + v + (this === undefined)); }), 7, "adopt returns value");
eq(s.defer(function () { log.push("defer"); }), undefined, "defer returns undefined");
throws(TypeError, function () { s.use(1); }, "use primitive");
throws(TypeError, function () { s.use({}); }, "use non-disposable");
throws(TypeError, function () { s.adopt(1, 2); }, "adopt non-callable");
throws(TypeError, function () { s.defer({}); }, "defer non-callable");
eq(s.disposed, false, "not disposed");
eq(s.dispose(), undefined, "dispose result");
eq(log.join(), "defer,adopt7true,use", "LIFO order");
eq(s.disposed, true, "disposed");
eq(s.dispose(), undefined, "second dispose is a no-op");
throws(ReferenceError, function () { s.use(res); }, "use after dispose");
throws(ReferenceError, function () { s.defer(function () {}); }, "defer after dispose");
throws(ReferenceError, function () { s.move(); }, "move after dispose");

// move transfers the resources
log = [];
var a = new DisposableStack();
a.defer(function () { log.push("moved"); });
var b = a.move();
eq(a.disposed, true, "moved-from is disposed");
eq(Object.getPrototypeOf(b), DisposableStack.prototype, "move result proto");
a.dispose();
eq(log.length, 0, "disposing the old stack does nothing");
b.dispose();
eq(log.join(), "moved", "new stack disposes");

// errors: the first is thrown, later ones wrap it in SuppressedError
var e1 = new Error("one"), e2 = new Error("two"), e3 = new Error("three");
var c = new DisposableStack();
c.defer(function () { throw e1; });
c.defer(function () { throw e2; });
c.defer(function () { throw e3; });
try { c.dispose(); throw new Error("no throw"); } catch (e) {
    assert(e instanceof SuppressedError, "SuppressedError");
    eq(e.error, e1, "outer error is the last thrown");
    assert(e.suppressed instanceof SuppressedError, "nested");
    eq(e.suppressed.error, e2, "inner error");
    eq(e.suppressed.suppressed, e3, "first thrown");
    eq(Object.getOwnPropertyDescriptor(e, "error").enumerable, false, "error non-enumerable");
}

// with `using`
log = [];
{
    using st = new DisposableStack();
    st.defer(function () { log.push("scope"); });
}
eq(log.join(), "scope", "using DisposableStack");

// subclassing
class MyStack extends DisposableStack {}
var ms = new MyStack();
assert(ms instanceof MyStack, "subclass instance");
eq(Object.getPrototypeOf(ms.move()), DisposableStack.prototype, "move ignores subclass");

// AsyncDisposableStack (jsrun does not fail on a rejected job: failures print FAIL)
var alog = [];
var done = false;
(async function () {
    var as = new AsyncDisposableStack();
    as.use({ [Symbol.dispose]() { alog.push("syncres"); return Promise.reject(new Error("not awaited")); } });
    as.use({ async [Symbol.asyncDispose]() { alog.push("asyncres"); } });
    as.use(undefined);
    as.adopt(3, async function (v) { alog.push("adopt" + v); });
    as.defer(function () { alog.push("defer"); });
    var p = as.disposeAsync();
    assert(p instanceof Promise, "disposeAsync returns a promise");
    eq(as.disposed, true, "disposed at once");
    eq(await p, undefined, "resolves to undefined");
    eq(alog.join(), "defer,adopt3,asyncres,syncres", "async LIFO order");
    eq(await as.disposeAsync(), undefined, "second disposeAsync");
    var bad = await AsyncDisposableStack.prototype.disposeAsync.call({}).then(function () { return "ok"; }, function (e) { return e; });
    assert(bad instanceof TypeError, "bad receiver rejects");
    var es = new AsyncDisposableStack();
    es.defer(async function () { throw e1; });
    es.defer(function () { throw e2; });
    var err = await es.disposeAsync().then(function () { return null; }, function (e) { return e; });
    assert(err instanceof SuppressedError, "async SuppressedError");
    eq(err.error, e1, "async outer");
    eq(err.suppressed, e2, "async suppressed");
    var moved = new AsyncDisposableStack();
    moved.defer(function () { alog.push("m"); });
    await moved.move().disposeAsync();
    eq(alog[alog.length - 1], "m", "async move");
    throws(ReferenceError, function () { moved.use(null); }, "async use after move");
    done = true;
})().catch(function (e) { print("FAIL " + e); throw e; });
Promise.resolve().then(function () {}).then(function () {}).then(function () {}).then(function () {})
    .then(function () {}).then(function () {}).then(function () {}).then(function () {})
    .then(function () {}).then(function () {}).then(function () {}).then(function () {})
    .then(function () { if (!done) { print("FAIL async part did not finish"); throw new Error("async part did not finish"); } });
