// Object constructor, statics and Object.prototype (lib/builtins/object.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

eq(typeof Object(1), "object", "Object(1)");
eq(Object.length, 1, "Object.length");
var o = { b: 1, a: 2, 1: 3 };
eq(Object.keys(o).join(), "1,b,a", "keys order");
eq(Object.values(o).join(), "3,1,2", "values");
eq(JSON.stringify(Object.entries(o)), '[["1",3],["b",1],["a",2]]', "entries");
eq(Object.assign({}, o, null, { c: 4 }).c, 4, "assign");
var f = Object.freeze({ x: 1 });
assert(Object.isFrozen(f) && Object.isSealed(f) && !Object.isExtensible(f), "freeze");
eq(Object.isFrozen(1), true, "isFrozen primitive");
var c = Object.create(null, { p: { value: 5, enumerable: true } });
eq(Object.getPrototypeOf(c), null, "create null");
eq(c.p, 5, "create props");
throws(TypeError, function () { Object.create(1); }, "create 1");
throws(TypeError, function () { Object.defineProperty(1, "x", {}); }, "defineProperty non-object");
var d = Object.getOwnPropertyDescriptor({ get x() { return 1; } }, "x");
eq(typeof d.get, "function", "gOPD getter");
eq(d.set, undefined, "gOPD setter");
eq(Object.getOwnPropertyNames("ab").join(), "0,1,length", "gOPN string");
var s = Symbol("s");
var os = {}; os[s] = 1;
eq(Object.getOwnPropertySymbols(os)[0], s, "gOPS");
eq(Object.fromEntries([["a", 1], ["b", 2]]).b, 2, "fromEntries");
var g = Object.groupBy([1, 2, 3, 4], function (x) { return x % 2 ? "odd" : "even"; });
eq(Object.getPrototypeOf(g), null, "groupBy null proto");
eq(g.odd.join(), "1,3", "groupBy odd");
eq(Object.hasOwn({ q: 1 }, "q"), true, "hasOwn");
eq(Object.is(NaN, NaN), true, "is NaN");
eq(Object.is(0, -0), false, "is -0");
eq(Object.setPrototypeOf(1, null), 1, "setPrototypeOf primitive");
throws(TypeError, function () { Object.setPrototypeOf(undefined, null); }, "setPrototypeOf undefined");
throws(TypeError, function () { Object.setPrototypeOf(Object.preventExtensions({}), {}); }, "setPrototypeOf non-extensible");
eq(Object.prototype.toString.call(null), "[object Null]", "toString null");
eq(Object.prototype.toString.call([]), "[object Array]", "toString array");
eq(Object.prototype.toString.call(function () {}), "[object Function]", "toString fn");
eq(Object.prototype.toString.call(new Error()), "[object Error]", "toString error");
eq(Object.prototype.toString.call(Math), "[object Math]", "toString tag");
eq({}.hasOwnProperty.call({ a: 1 }, "a"), true, "hasOwnProperty");
eq(Object.prototype.isPrototypeOf.call(Array.prototype, []), true, "isPrototypeOf");
eq({ a: 1 }.propertyIsEnumerable("a"), true, "propertyIsEnumerable");
var p = {}; p.__proto__ = Array.prototype;
eq(Array.isArray(p), false, "__proto__ setter");
eq(p.__proto__, Array.prototype, "__proto__ getter");
var acc = {};
acc.__defineGetter__("v", function () { return 7; });
eq(acc.v, 7, "__defineGetter__");
eq(typeof acc.__lookupGetter__("v"), "function", "__lookupGetter__");
eq(acc.__lookupSetter__("v"), undefined, "__lookupSetter__");
eq(Object.getOwnPropertyDescriptor(Object.prototype, "__proto__").get.name, "get __proto__", "__proto__ getter name");
class K extends Object { constructor() { super(); } }
assert(new K() instanceof K, "subclass Object");
