// ShadowRealm and wrapped function exotic objects (lib/builtins/shadowrealm.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

eq(ShadowRealm.length, 0, "ctor length");
eq(Object.prototype.toString.call(new ShadowRealm()), "[object ShadowRealm]", "tag");
throws(TypeError, function () { ShadowRealm(); }, "call without new");

var r = new ShadowRealm();
// primitives cross unchanged; globals are separate
eq(r.evaluate("1 + 1"), 2, "number");
eq(r.evaluate("'a' + 'b'"), "ab", "string");
eq(r.evaluate("10n ** 3n"), 1000n, "bigint");
eq(r.evaluate("undefined"), undefined, "undefined");
r.evaluate("var x = 42; globalThis.shared = 1;");
eq(typeof shared, "undefined", "globals are not shared");
eq(r.evaluate("x"), 42, "state persists in the realm");
eq(r.evaluate("Array === globalThis.Array"), true, "own intrinsics");
var sym = r.evaluate("Symbol.iterator");
eq(sym, Symbol.iterator, "well-known symbols are shared");

// errors
throws(SyntaxError, function () { r.evaluate("let let"); }, "syntax error is the caller's SyntaxError");
throws(TypeError, function () { r.evaluate("throw new RangeError('x')"); }, "abrupt completion becomes TypeError");
throws(TypeError, function () { r.evaluate("throw 1"); }, "thrown primitive becomes TypeError");
throws(TypeError, function () { r.evaluate("({})"); }, "objects cannot cross");
throws(TypeError, function () { r.evaluate("[]"); }, "arrays cannot cross");
throws(TypeError, function () { r.evaluate(1); }, "non-string source");
throws(TypeError, function () { ShadowRealm.prototype.evaluate.call({}, "1"); }, "bad receiver");
eq(r.evaluate("x"), 42, "realm still usable after errors");

// wrapped functions
var f = r.evaluate("(function add(a, b) { return a + b; })");
eq(typeof f, "function", "callable crosses as a function");
eq(f.name, "add", "name copied");
eq(f.length, 2, "length copied");
eq(Object.getPrototypeOf(f), Function.prototype, "proto from the caller realm");
assert(!("prototype" in f), "no prototype property");
eq(f(1, 2), 3, "call");
throws(TypeError, function () { new f(); }, "not a constructor");
throws(TypeError, function () { f({}, 1); }, "object arguments rejected");
var g = r.evaluate("(function (cb) { return cb(20) + 1; })");
eq(g(function (v) { return v * 2; }), 41, "callbacks are wrapped both ways");
var thrower = r.evaluate("(function () { throw new Error('inner'); })");
throws(TypeError, thrower, "errors cross as TypeError");
var mk = r.evaluate("(function () { return {}; })");
throws(TypeError, mk, "object results rejected");
var f1 = r.evaluate("globalThis.fn = function () {}; fn"), f2 = r.evaluate("fn");
assert(f1 !== f2, "a new wrapper on each crossing");
var bound = r.evaluate("(function () { 'use strict'; return typeof this; }).bind(undefined)");
eq(bound(), "undefined", "bound function crosses");
var weird = r.evaluate("var w = function () {}; Object.defineProperty(w, 'name', { value: 5 }); " +
                       "Object.defineProperty(w, 'length', { value: Infinity }); w");
eq(weird.name, "", "non-string name becomes empty");
eq(weird.length, Infinity, "infinite length kept");
throws(TypeError, function () {
    r.evaluate("var z = function () {}; Object.defineProperty(z, 'name', { get() { throw 1; } }); z");
}, "throwing name getter");

// each evaluate() is an indirect eval of the realm: lexical declarations
// are per call, var and function declarations land on its global object
var lex = new ShadowRealm();
eq(lex.evaluate("const k = 1; var kv = 2; function kf() { return 3; } k + kv"), 3, "first evaluate");
eq(lex.evaluate("const k = 10; k + kv + kf()"), 15, "redeclared const in a second evaluate");
eq(lex.evaluate("typeof k + ',' + Object.prototype.hasOwnProperty.call(globalThis, 'kv')"), "undefined,true", "let/const do not persist");
throws(SyntaxError, function () { lex.evaluate("let d = 1; let d = 2;"); }, "duplicate let in one evaluate");

// nested realms
var inner = r.evaluate("var rr = new ShadowRealm(); (function (s) { return rr.evaluate(s); })");
eq(inner("'deep'"), "deep", "nested ShadowRealm");

// importValue
eq(ShadowRealm.prototype.importValue.length, 2, "importValue length");
throws(TypeError, function () { r.importValue("x", 1); }, "exportName must be a string");
var p = r.importValue("./does-not-exist-shadowrealm.mjs", "x");
assert(p instanceof Promise, "importValue returns a caller promise");
p.then(function () { print("FAIL importValue of a missing module resolved"); },
       function (e) { if (!(e instanceof TypeError)) print("FAIL importValue rejected with " + e); });
