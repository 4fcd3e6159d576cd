// ArrayBuffer, SharedArrayBuffer and DataView (lib/builtins/arraybuffer.c, dataview.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var b = new ArrayBuffer(8);
eq(b.byteLength, 8, "byteLength");
eq(b.resizable, false, "fixed");
eq(b.maxByteLength, 8, "max of fixed");
throws(TypeError, function () { ArrayBuffer(8); }, "call without new");
throws(RangeError, function () { new ArrayBuffer(-1); }, "negative length");
throws(RangeError, function () { new ArrayBuffer(7 * 1125899906842624); }, "huge length");
eq(ArrayBuffer.isView(new Uint8Array(1)), true, "isView ta");
eq(ArrayBuffer.isView(new DataView(b)), true, "isView dv");
eq(ArrayBuffer.isView(b), false, "isView buffer");
eq(ArrayBuffer[Symbol.species], ArrayBuffer, "species");

new Uint8Array(b).set([1, 2, 3, 4, 5, 6, 7, 8]);
var s = b.slice(2, -2);
eq(s.byteLength, 4, "slice length");
eq(new Uint8Array(s)[0], 3, "slice content");

// resizable buffers and length-tracking views
var r = new ArrayBuffer(4, { maxByteLength: 16 });
eq(r.resizable, true, "resizable");
var lt = new Uint8Array(r), fixed = new Uint8Array(r, 0, 4);
r.resize(12);
eq(lt.length, 12, "tracking view grows");
eq(fixed.length, 4, "fixed view stays");
r.resize(2);
eq(lt.length, 2, "tracking view shrinks");
eq(fixed.length, 0, "out of bounds view reads 0 length");
throws(TypeError, function () { fixed.fill(0); }, "out of bounds method");
throws(RangeError, function () { r.resize(17); }, "beyond max");

// transfer and detach
var t = new ArrayBuffer(4);
var v = new Uint8Array(t);
v[0] = 9;
var t2 = t.transfer(8);
eq(t.detached, true, "detached after transfer");
eq(t.byteLength, 0, "detached length");
eq(v.length, 0, "view of detached");
eq(v[0], undefined, "element of detached");
eq(new Uint8Array(t2)[0], 9, "transferred content");
eq(t2.byteLength, 8, "transfer length");
throws(TypeError, function () { t.slice(0); }, "slice detached");
var t3 = new ArrayBuffer(2, { maxByteLength: 4 }).transferToFixedLength();
eq(t3.resizable, false, "transferToFixedLength");

// SharedArrayBuffer
var sab = new SharedArrayBuffer(4, { maxByteLength: 8 });
eq(sab.growable, true, "growable");
sab.grow(8);
eq(sab.byteLength, 8, "grown");
throws(RangeError, function () { sab.grow(4); }, "no shrink");
eq(Object.prototype.toString.call(sab), "[object SharedArrayBuffer]", "sab tag");
throws(TypeError, function () { ArrayBuffer.prototype.slice.call(sab); }, "AB method on SAB");

// DataView
var dv = new DataView(new ArrayBuffer(16), 4);
eq(dv.byteLength, 12, "dv length");
eq(dv.byteOffset, 4, "dv offset");
dv.setUint16(0, 0x1234);
eq(dv.getUint8(0), 0x12, "big endian default");
dv.setUint16(0, 0x1234, true);
eq(dv.getUint8(0), 0x34, "little endian");
dv.setFloat64(2, Math.PI);
eq(dv.getFloat64(2), Math.PI, "float64");
dv.setFloat16(0, 1.337);
eq(dv.getFloat16(0), 1.3369140625, "float16 rounding");
dv.setBigInt64(4, -2n, true);
eq(dv.getBigUint64(4, true), 18446744073709551614n, "bigint64");
throws(RangeError, function () { dv.getInt32(10); }, "past the end");
throws(TypeError, function () { new DataView({}); }, "not a buffer");
throws(RangeError, function () { new DataView(new ArrayBuffer(4), 5); }, "offset past end");
