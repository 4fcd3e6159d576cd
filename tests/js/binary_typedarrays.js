// Typed arrays and Atomics (lib/builtins/typedarray*.c, atomics.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var u8 = new Uint8Array([257, -1, 3.7]);
eq(u8.join(), "1,255,3", "modular conversion");
var c = new Uint8ClampedArray([300, -5, 1.5, 2.5, 0.5]);
eq(c.join(), "255,0,2,2,0", "clamped, half to even");
var i16 = new Int16Array([40000]);
eq(i16[0], -25536, "int16 wrap");
var f16 = new Float16Array([65504, 65520, 1e-8, 0.1]);
eq(f16[0], 65504, "f16 max");
eq(f16[1], Infinity, "f16 overflow rounds to infinity");
eq(f16[2], 0, "f16 underflow");
eq(f16[3], 0.0999755859375, "f16 rounding");
var big = new BigInt64Array([-1n]);
eq(new BigUint64Array(big.buffer)[0], 18446744073709551615n, "bigint reinterpretation");
throws(TypeError, function () { new BigInt64Array([1]); }, "number into bigint array");
throws(TypeError, function () { new Int8Array([1n]); }, "bigint into number array");

// the exotic object
var ta = new Int32Array(4);
eq(ta["-0"], undefined, "-0 is a numeric key");
ta["1.5"] = 5;
eq(Object.keys(ta).join(), "0,1,2,3", "numeric strings never become properties");
ta.foo = 1;
eq(Object.keys(ta).join(), "0,1,2,3,foo", "ordinary keys after indices");
eq(4 in ta, false, "has past the end");
eq(delete ta[0], false, "cannot delete an element");
eq(delete ta[9], true, "deleting a missing index");
eq(Reflect.defineProperty(ta, 0, { value: 7 }), true, "define value");
eq(ta[0], 7, "defined");
eq(Reflect.defineProperty(ta, 0, { value: 7, configurable: false }), false, "non-configurable refused");
var d = Object.getOwnPropertyDescriptor(ta, 0);
assert(d.writable && d.enumerable && d.configurable, "element descriptor");
ta[10] = 1;
eq(ta[10], undefined, "write past the end ignored");

// methods
var a = new Float64Array([3, NaN, -0, 0, -1]);
a.sort();
eq(a.join(), "-1,0,0,3,NaN", "default numeric sort");
assert(Object.is(a[1], -0), "-0 sorts before +0");
var m = new Int8Array([1, 2, 3]).map(function (x) { return x * 50; });
eq(m.join(), "50,100,-106", "map converts");
eq(new Int8Array([1, 2, 3, 4]).filter(function (x) { return x & 1; }).join(), "1,3", "filter");
eq(new Uint8Array([1, 2, 3]).reduce(function (s, x) { return s + x; }), 6, "reduce");
eq(new Uint8Array([1, 2, 3, 4, 5]).copyWithin(0, 3).join(), "4,5,3,4,5", "copyWithin");
eq(new Uint8Array([1, 2, 3]).subarray(1).join(), "2,3", "subarray");
eq(new Uint8Array([1, 2, 3]).toReversed().join(), "3,2,1", "toReversed");
eq(new Uint8Array([1, 2, 3]).with(-1, 9).join(), "1,2,9", "with");
eq(new Uint8Array([1, 2, 3]).at(-1), 3, "at");
eq(new Uint8Array([1, 2, 3]).includes(2), true, "includes");
eq(new Float32Array([NaN]).includes(NaN), true, "includes NaN");
eq(new Float32Array([NaN]).indexOf(NaN), -1, "indexOf NaN");
var tgt = new Uint16Array(5);
tgt.set([1, 2], 3);
tgt.set(new Uint8Array([7]), 0);
eq(tgt.join(), "7,0,0,1,2", "set");
throws(RangeError, function () { tgt.set([1, 2, 3], 3); }, "set past the end");
eq([...new Uint8Array([5, 6]).entries()].join(";"), "0,5;1,6", "entries");
eq(Uint8Array.from({ length: 2, 0: 4, 1: 5 }).join(), "4,5", "from array-like");
eq(Int16Array.of(1, -2).join(), "1,-2", "of");
eq(Object.getPrototypeOf(Int8Array), Object.getPrototypeOf(Uint8Array), "%TypedArray%");
throws(TypeError, function () { new (Object.getPrototypeOf(Int8Array))(); }, "abstract constructor");

// base64 / hex
eq(new Uint8Array([72, 105]).toBase64(), "SGk=", "toBase64");
eq(new Uint8Array([251, 255]).toBase64({ alphabet: "base64url", omitPadding: true }), "-_8", "base64url");
eq(Uint8Array.fromBase64("SGk=").join(), "72,105", "fromBase64");
eq(Uint8Array.fromHex("cafe").join(), "202,254", "fromHex");
eq(new Uint8Array([202, 254]).toHex(), "cafe", "toHex");
throws(SyntaxError, function () { Uint8Array.fromBase64("SGk=", { lastChunkHandling: "strict" }) && Uint8Array.fromBase64("SGl", { lastChunkHandling: "strict" }); }, "strict partial chunk");
var into = new Uint8Array(4);
throws(SyntaxError, function () { into.setFromHex("0102zz"); }, "bad hex");
eq(into.join(), "1,2,0,0", "bytes before the error are written");
var rw = new Uint8Array(3).setFromBase64("SGVsbG8=");
eq(rw.read, 4, "read stops at the last whole chunk that fits");
eq(rw.written, 3, "written");

// detachment is checked on every path
var buf = new ArrayBuffer(8), view = new Uint8Array(buf);
buf.transfer();
throws(TypeError, function () { view.fill(1); }, "method on detached");
eq(view.byteLength, 0, "byteLength of detached");
throws(TypeError, function () { new Uint8Array(buf); }, "constructing on detached");

// Atomics on shared and non-shared storage
var ia = new Int32Array(new SharedArrayBuffer(16));
eq(Atomics.add(ia, 0, 5), 0, "add returns old");
eq(Atomics.sub(ia, 0, 2), 5, "sub");
eq(Atomics.or(ia, 0, 8), 3, "or");
eq(Atomics.and(ia, 0, 9), 11, "and");
eq(Atomics.xor(ia, 0, 1), 9, "xor");
eq(Atomics.exchange(ia, 0, 42), 8, "exchange");
eq(Atomics.compareExchange(ia, 0, 42, 1), 42, "compareExchange hit");
eq(Atomics.compareExchange(ia, 0, 42, 2), 1, "compareExchange miss");
eq(Atomics.store(ia, 1, -0), 0, "store returns the integer");
eq(Atomics.load(ia, 0), 1, "load");
var u8a = new Uint8Array(4);
eq(Atomics.add(u8a, 0, 300), 0, "non-shared add");
eq(Atomics.load(u8a, 0), 44, "wraps at the element width");
var bi = new BigInt64Array(new SharedArrayBuffer(8));
eq(Atomics.add(bi, 0, 1n), 0n, "bigint add");
eq(Atomics.load(bi, 0), 1n, "bigint load");
eq(Atomics.isLockFree(4), true, "isLockFree(4)");
throws(TypeError, function () { Atomics.add(new Float64Array(1), 0, 1); }, "float array");
throws(RangeError, function () { Atomics.load(ia, 4); }, "index out of range");
eq(Atomics.notify(new Int32Array(4), 0), 0, "notify on non-shared");
throws(TypeError, function () { Atomics.wait(new Int32Array(4), 0, 0); }, "wait on non-shared");
eq(Atomics.pause(), undefined, "pause");
throws(TypeError, function () { Atomics.pause(1.5); }, "pause non-integral");
