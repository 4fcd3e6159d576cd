// Proxy exotic objects and their invariants (lib/builtins/proxy.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var log = [];
var target = { a: 1 };
var p = new Proxy(target, {
    get: function (t, k, r) { log.push("get:" + String(k)); return Reflect.get(t, k, r); },
    has: function (t, k) { log.push("has:" + k); return k in t; },
    set: function (t, k, v) { t[k] = v * 2; return true; },
    deleteProperty: function (t, k) { return delete t[k]; },
    ownKeys: function (t) { return Reflect.ownKeys(t).concat(["virt"]); },
    getOwnPropertyDescriptor: function (t, k) { return k === "virt" ? { value: 0, configurable: true, enumerable: true } : Reflect.getOwnPropertyDescriptor(t, k); }
});
eq(p.a, 1, "get trap");
eq("a" in p, true, "has trap");
p.b = 2; eq(target.b, 4, "set trap");
eq(Object.keys(p).join(), "a,b,virt", "ownKeys trap");
delete p.b; eq("b" in target, false, "deleteProperty trap");
eq(typeof new Proxy(function () {}, {}), "function", "callable proxy");
eq(typeof new Proxy({}, {}), "object", "object proxy");
eq(new Proxy(function (x) { return x + 1; }, { apply: function (t, th, args) { return t(args[0]) * 10; } })(1), 20, "apply trap");
function C(x) { this.x = x; }
eq(new (new Proxy(C, {}))(3).x, 3, "construct forwarding");
throws(TypeError, function () { new (new Proxy(C, { construct: function () { return 1; } }))(); }, "construct non-object");
var frozen = Object.freeze({ k: 1 });
throws(TypeError, function () { new Proxy(frozen, { get: function () { return 2; } }).k; }, "get invariant");
throws(TypeError, function () { Object.keys(new Proxy(frozen, { ownKeys: function () { return []; } })); }, "ownKeys invariant");
throws(TypeError, function () { Object.getOwnPropertyNames(new Proxy({}, { ownKeys: function () { return ["a", "a"]; } })); }, "ownKeys duplicates");
throws(TypeError, function () { Object.getPrototypeOf(new Proxy(Object.preventExtensions({}), { getPrototypeOf: function () { return Array.prototype; } })); }, "getPrototypeOf invariant");
var r = Proxy.revocable({}, {});
r.revoke(); r.revoke();
throws(TypeError, function () { r.proxy.x; }, "revoked get");
throws(TypeError, function () { Array.isArray(r.proxy); }, "revoked isArray");
eq(r.revoke.length, 0, "revoke length");
eq(r.revoke.name, "", "revoke name");
throws(TypeError, function () { Proxy({}, {}); }, "Proxy without new");
throws(TypeError, function () { new Proxy(1, {}); }, "non-object target");
eq(Proxy.prototype, undefined, "no Proxy.prototype");
var deep = {};
for (var i = 0; i < 100000; i++) deep = new Proxy(deep, {});
// A deep chain either forwards to the end (optimized builds turn the C
// recursion into a loop) or stops with a RangeError; it never crashes.
try { eq(deep.x, undefined, "deep proxy chain forwards"); }
catch (e) { if (!(e instanceof RangeError)) throw e; }
