// Symbol, Function.prototype, Reflect, globals (symbol.c, function.c, reflect.c, global.c).
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}
var s = Symbol("d");
eq(s.toString(), "Symbol(d)", "Symbol toString");
eq(s.description, "d", "description");
eq(Symbol().description, undefined, "no description");
throws(TypeError, function () { new Symbol(); }, "new Symbol");
eq(Symbol.for("k"), Symbol.for("k"), "registry");
eq(Symbol.keyFor(Symbol.for("k")), "k", "keyFor");
eq(Symbol.keyFor(s), undefined, "keyFor unregistered");
eq(typeof Symbol.iterator, "symbol", "well-known");
eq(Object(s)[Symbol.toPrimitive](), s, "toPrimitive");
eq(function f(a, b) {}.bind(null, 1).length, 1, "bind length");
eq(function f() {}.bind().name, "bound f", "bind name");
eq(Math.max.apply(null, [1, 3, 2]), 3, "apply");
eq(function () { return this; }.call(5) instanceof Number, true, "call sloppy this");
eq(Function.prototype.name, "", "Function.prototype.name");
eq(Function.prototype.length, 0, "Function.prototype.length");
eq(Function.prototype[Symbol.hasInstance].call(Array, []), true, "hasInstance");
eq(new Function("a", "b", "return a + b")(1, 2), 3, "Function ctor");
throws(TypeError, function () { Function.prototype.toString.call({}); }, "toString non-function");
eq(Math.max.toString().indexOf("[native code]") > 0, true, "native toString");
var tte = Object.getOwnPropertyDescriptor(Function.prototype, "caller").get;
throws(TypeError, function () { tte(); }, "ThrowTypeError");
eq(Object.isFrozen(tte), true, "ThrowTypeError frozen");
eq(Reflect.apply(Math.max, null, [1, 2]), 2, "Reflect.apply");
eq(Reflect.construct(Date, [0]) instanceof Date, true, "Reflect.construct");
eq(Reflect.has({ a: 1 }, "a"), true, "Reflect.has");
eq(Reflect.ownKeys({ b: 1, 0: 2 }).join(), "0,b", "Reflect.ownKeys");
eq(Reflect.defineProperty(Object.freeze({}), "x", { value: 1 }), false, "Reflect.defineProperty false");
throws(TypeError, function () { Reflect.get(1, "x"); }, "Reflect.get non-object");
eq(Reflect.getPrototypeOf([]), Array.prototype, "Reflect.getPrototypeOf");
eq(globalThis.globalThis, globalThis, "globalThis");
eq(Object.getOwnPropertyDescriptor(globalThis, "NaN").writable, false, "NaN not writable");
eq(isNaN("x"), true, "isNaN");
eq(isFinite("1"), true, "isFinite");
eq(encodeURIComponent("a b&\u00e9"), "a%20b%26%C3%A9", "encodeURIComponent");
eq(encodeURI("http://x/a b?c#d"), "http://x/a%20b?c#d", "encodeURI");
eq(decodeURIComponent("%F0%9F%98%80"), "\u{1F600}", "decodeURIComponent 4-byte");
eq(decodeURI("%23%41"), "%23A", "decodeURI keeps reserved");
throws(URIError, function () { decodeURIComponent("%E0%A4%A"); }, "decode truncated");
throws(URIError, function () { encodeURIComponent("\ud800"); }, "encode lone surrogate");
eq(escape("a b\u0100"), "a%20b%u0100", "escape");
eq(unescape("%u0100%41%"), "\u0100A%", "unescape");
eq(eval("1 + 1"), 2, "eval");
eq((0, eval)("typeof globalThis"), "object", "indirect eval");
