// WeakRef and FinalizationRegistry (lib/builtins/weakref.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var o = {};
var w = new WeakRef(o);
eq(w.deref(), o, "deref");
throws(TypeError, function () { new WeakRef(1); }, "primitive target");
throws(TypeError, function () { WeakRef({}); }, "without new");
new WeakRef(Symbol("ok"));
throws(TypeError, function () { new WeakRef(Symbol.for("reg")); }, "registered symbol");
eq(Object.prototype.toString.call(w), "[object WeakRef]", "tag");
var fr = new FinalizationRegistry(function () {});
eq(fr.register({}, 1), undefined, "register");
var tok = {};
fr.register({}, 2, tok);
eq(fr.unregister(tok), true, "unregister");
eq(fr.unregister(tok), false, "unregister again");
throws(TypeError, function () { fr.register(o, o); }, "target === held");
throws(TypeError, function () { fr.register(o, 1, 1); }, "bad token");
throws(TypeError, function () { new FinalizationRegistry(1); }, "non-callable cleanup");
