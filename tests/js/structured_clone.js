// structuredClone (lib/builtins/structuredclone.c over lib/threads/clone.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function cloneError(f, what) {
    try { f(); } catch (e) {
        if (!(e instanceof Error) || e.name !== "DataCloneError") throw new Error(what + ": wrong error " + e);
        return;
    }
    throw new Error(what + ": did not throw");
}

eq(typeof structuredClone, "function", "global");
eq(structuredClone.length, 1, "length");

// primitives
[undefined, null, true, false, 0, -0, 1.5, NaN, Infinity, -2147483648, "", "abc", "\u00e9", "\u2603\ud83d\ude00", "\ud800",
 0n, -1n, 2n ** 200n].forEach(function (v, i) { eq(structuredClone(v), v, "primitive " + i); });

// plain objects: own enumerable string keys in order, no accessors, no prototype
var proto = { inherited: 1 };
var o = Object.create(proto);
o.b = 1; o.a = 2; o[5] = "five"; o[1] = "one";
Object.defineProperty(o, "hidden", { value: 1, enumerable: false });
o[Symbol("s")] = 3;
Object.defineProperty(o, "getter", { get: function () { return "got"; }, enumerable: true });
var c = structuredClone(o);
eq(Object.getPrototypeOf(c), Object.prototype, "plain proto");
eq(JSON.stringify(Object.keys(c)), '["1","5","b","a","getter"]', "key order");
eq(c.getter, "got", "getter value copied");
assert(Object.getOwnPropertyDescriptor(c, "getter").writable, "getter became data");
assert(!("hidden" in c) && !("inherited" in c), "non-enumerable / inherited dropped");
eq(Object.getOwnPropertySymbols(c).length, 0, "symbols dropped");

// arrays: holes, extra properties, length
var a = [1, , 3];
a.length = 6; a.extra = "x";
var ca = structuredClone(a);
assert(Array.isArray(ca), "array");
eq(ca.length, 6, "array length");
assert(!(1 in ca) && !(4 in ca), "holes");
eq(ca.extra, "x", "extra property");
eq(structuredClone(new Array(1e6)).length, 1e6, "sparse big length");

// identity and cycles
var shared = { v: 1 };
var g = { x: shared, y: shared, list: [shared] };
g.self = g;
g.list.push(g.list);
var cg = structuredClone(g);
assert(cg.x === cg.y && cg.list[0] === cg.x, "shared references");
assert(cg.self === cg && cg.list[1] === cg.list, "cycles");
assert(cg.x !== shared, "fresh objects");

// Date, RegExp, wrappers
var d = structuredClone(new Date(1700000000000));
assert(d instanceof Date, "Date");
eq(d.getTime(), 1700000000000, "Date value");
eq(structuredClone(new Date(NaN)).getTime(), NaN, "invalid Date");
var re = /a(b)?c/dgimsuy;
re.lastIndex = 5;
var cre = structuredClone(re);
assert(cre instanceof RegExp && cre !== re, "RegExp");
eq(cre.source, re.source, "RegExp source");
eq(cre.flags, re.flags, "RegExp flags");
eq(cre.lastIndex, 0, "RegExp lastIndex reset");
eq(structuredClone(new Boolean(false)).valueOf(), false, "Boolean wrapper");
eq(typeof structuredClone(new Number(-0)), "object", "Number wrapper type");
eq(structuredClone(new Number(-0)).valueOf(), -0, "Number wrapper");
eq(structuredClone(new String("s\u2603")).valueOf(), "s\u2603", "String wrapper");
eq(structuredClone(Object(5n)).valueOf(), 5n, "BigInt wrapper");

// Map and Set, with objects as keys and order kept
var key = { k: 1 };
var m = new Map([[key, "v"], ["self", null], [NaN, 1]]);
m.set("self", m);
var cm = structuredClone(m);
assert(cm instanceof Map && cm.size === 3, "Map");
eq(cm.get("self"), cm, "Map cycle");
eq(cm.get(NaN), 1, "Map NaN key");
var firstKey = cm.keys().next().value;
eq(firstKey.k, 1, "Map object key");
eq(cm.get(firstKey), "v", "Map object key identity");
var s = new Set([3, 1, key]);
var cs = structuredClone({ s: s, key: key });
eq(JSON.stringify([...cs.s].slice(0, 2)), "[3,1]", "Set order");
assert(cs.s.has(cs.key), "Set keeps identity with other references");
// a patched Map.prototype does not disturb cloning
var premade = new Map([[1, 2]]);
var savedSet = Map.prototype.set, savedForEach = Map.prototype.forEach;
Map.prototype.set = function () { throw new Error("patched set called"); };
Map.prototype.forEach = function () { throw new Error("patched forEach called"); };
eq(structuredClone(premade).size, 1, "Map clone with patched prototype");
Map.prototype.set = savedSet;
Map.prototype.forEach = savedForEach;

// Errors
var e = new RangeError("boom", { cause: { why: 1 } });
var ce = structuredClone(e);
assert(ce instanceof RangeError, "RangeError kind");
eq(ce.message, "boom", "message");
eq(ce.cause.why, 1, "cause");
eq(ce.name, "RangeError", "name");
eq(typeof ce.stack, "string", "stack");
assert(!Object.getOwnPropertyDescriptor(ce, "message").enumerable, "message non-enumerable");
class MyError extends Error {}
var cme = structuredClone(new MyError("m"));
eq(Object.getPrototypeOf(cme), Error.prototype, "subclass becomes Error");
var weird = new Error("w"); weird.name = "SyntaxError";
assert(structuredClone(weird) instanceof SyntaxError, "name picks the prototype");
assert(Object.getOwnPropertyNames(structuredClone(new Error())).indexOf("message") < 0, "no message");
var selfCause = new Error("loop"); selfCause.cause = selfCause;
var csc = structuredClone(selfCause);
eq(csc.cause, csc, "error cause cycle");

// ArrayBuffer, typed arrays, DataView
var ab = new ArrayBuffer(16, { maxByteLength: 64 });
var u8 = new Uint8Array(ab);
for (var i = 0; i < 16; i++) u8[i] = i;
var views = structuredClone({ ab: ab, i16: new Int16Array(ab, 2, 3), f32: new Float32Array(ab, 4),
                              dv: new DataView(ab, 1, 3), big: new BigUint64Array(ab, 8, 1) });
assert(views.ab !== ab && views.ab.resizable && views.ab.maxByteLength === 64, "resizable kept resizable");
assert(views.i16.buffer === views.ab && views.f32.buffer === views.ab && views.dv.buffer === views.ab, "views share the buffer");
eq(views.i16.byteOffset, 2, "view offset");
eq(views.i16.length, 3, "view length");
eq(views.f32.length, 3, "length-tracking view");
views.ab.resize(32);
eq(views.f32.length, 7, "length-tracking after resize");
eq(views.dv.getUint8(0), 1, "DataView content");
eq(views.big[0], new BigUint64Array(ab, 8, 1)[0], "BigUint64Array content");
u8[0] = 99;
eq(new Uint8Array(views.ab)[0], 0, "bytes were copied");
var f16 = typeof Float16Array === "function" ? structuredClone(new Float16Array([1.5])) : null;
if (f16) eq(f16[0], 1.5, "Float16Array");

// SharedArrayBuffer: storage shared, not copied
var sab = new SharedArrayBuffer(8);
var csab = structuredClone(sab);
assert(csab instanceof SharedArrayBuffer && csab !== sab, "SharedArrayBuffer");
new Int32Array(csab)[0] = 42;
eq(new Int32Array(sab)[0], 42, "shared storage");
var gsab = new SharedArrayBuffer(4, { maxByteLength: 16 });
var cgsab = structuredClone(gsab);
assert(cgsab.growable && cgsab.maxByteLength === 16, "growable SAB");
gsab.grow(8);
eq(cgsab.byteLength, 8, "growth is seen through the clone");

// transfer
var t = new ArrayBuffer(8);
new Uint8Array(t)[7] = 7;
var tv = new Uint8Array(t, 4);
var moved = structuredClone({ buf: t, view: tv }, { transfer: [t] });
eq(t.detached, true, "source detached");
eq(t.byteLength, 0, "source empty");
eq(tv.length, 0, "old views see nothing");
eq(moved.buf.byteLength, 8, "bytes moved");
eq(moved.view[3], 7, "moved view content");
assert(moved.view.buffer === moved.buf, "moved view over moved buffer");
var rt = new ArrayBuffer(4, { maxByteLength: 8 });
var rmoved = structuredClone(rt, { transfer: [rt] });
assert(rmoved.resizable && rmoved.maxByteLength === 8, "transferred resizable");
rmoved.resize(8);
var onlyListed = new ArrayBuffer(2);
eq(structuredClone(1, { transfer: [onlyListed] }), 1, "unreferenced transfer");
eq(onlyListed.detached, true, "unreferenced transfer detaches");
var iterTransfer = new ArrayBuffer(1);
structuredClone(iterTransfer, { transfer: new Set([iterTransfer]) });
eq(iterTransfer.detached, true, "transfer list is iterated");

// DataCloneError
cloneError(function () { structuredClone(function () {}); }, "function");
cloneError(function () { structuredClone({ f: Math.max }); }, "native function");
cloneError(function () { structuredClone(class {}); }, "class");
cloneError(function () { structuredClone(Symbol()); }, "symbol");
cloneError(function () { structuredClone({ s: Symbol.iterator }); }, "nested symbol");
cloneError(function () { structuredClone(Object(Symbol())); }, "Symbol wrapper");
cloneError(function () { structuredClone(new Proxy({}, {})); }, "proxy");
cloneError(function () { structuredClone(new Proxy([], {})); }, "array proxy");
cloneError(function () { structuredClone(Promise.resolve()); }, "promise");
cloneError(function () { structuredClone(new WeakMap()); }, "WeakMap");
cloneError(function () { structuredClone(new WeakSet()); }, "WeakSet");
cloneError(function () { structuredClone(new WeakRef({})); }, "WeakRef");
cloneError(function () { structuredClone(new Map().keys()); }, "iterator");
cloneError(function () { structuredClone(globalThis); }, "global object");
cloneError(function () { var b = new ArrayBuffer(1); structuredClone(b, { transfer: [b] }); structuredClone(b); }, "detached buffer");
cloneError(function () { structuredClone(sab, { transfer: [sab] }); }, "SAB transfer");
cloneError(function () { var b = new ArrayBuffer(1); structuredClone(b, { transfer: [b, b] }); }, "duplicate transfer");
cloneError(function () { structuredClone(1, { transfer: [{}] }); }, "non-buffer transfer");
var notMoved = new ArrayBuffer(4);
cloneError(function () { structuredClone([notMoved, function () {}], { transfer: [notMoved] }); }, "failed clone");
eq(notMoved.detached, false, "a failed clone transfers nothing");
var err;
try { structuredClone(function () {}); } catch (x) { err = x; }
eq(err.code, 25, "DOMException code");
eq(Object.prototype.toString.call(err), "[object Error]", "an Error object");
try { structuredClone(1, 2); throw new Error("options not checked"); } catch (x) { assert(x instanceof TypeError, "options type"); }
eq(structuredClone(1, null), 1, "null options");
eq(structuredClone(1, {}), 1, "empty options");

// getters run during cloning and may change what is left
var order = [];
var live = { get a() { order.push("a"); delete this.b; return 1; }, b: 2, c: 3 };
var cl = structuredClone(live);
eq(JSON.stringify(cl), '{"a":1,"c":3}', "deleted during clone");

// deep nesting gives an exception, not a crash
var deep = [];
for (var j = 0; j < 100000; j++) deep = [deep];
try { structuredClone(deep); throw new Error("deep clone passed"); }
catch (x) { assert(x.name === "DataCloneError" || x instanceof RangeError, "deep: " + x); }
var ok = [];
for (var k = 0; k < 500; k++) ok = { n: ok };
assert(structuredClone(ok).n.n.n !== undefined, "moderate nesting clones");

"ok";
