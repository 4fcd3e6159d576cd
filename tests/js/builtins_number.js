// Number, Boolean, BigInt, parseInt/parseFloat (number.c, boolean.c, bigint.c).
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}
eq(Number(), 0, "Number()");
eq(Number(10n), 10, "Number(bigint)");
eq(typeof new Number(1), "object", "new Number");
eq((255).toString(16), "ff", "toString 16");
eq((0.5).toString(2), "0.1", "toString 2");
eq((-255).toString(36), "-73", "toString 36");
throws(RangeError, function () { (1).toString(1); }, "radix 1");
eq((1.005).toFixed(2), "1.00", "toFixed below tie");
eq((2.5).toFixed(0), "3", "toFixed tie");
eq((1e21).toFixed(2), "1e+21", "toFixed big");
eq((123.456).toExponential(2), "1.23e+2", "toExponential");
eq((0.000001).toPrecision(2), "0.0000010", "toPrecision");
eq((NaN).toFixed(2), "NaN", "NaN toFixed");
throws(RangeError, function () { (1).toFixed(101); }, "toFixed 101");
eq(Number.isInteger(5.0), true, "isInteger");
eq(Number.isSafeInteger(2 ** 53), false, "isSafeInteger");
eq(Number.parseInt, parseInt, "parseInt identity");
eq(parseInt("  -0x1F"), -31, "parseInt hex");
eq(parseInt("08"), 8, "parseInt 08");
eq(parseInt("z", 36), 35, "parseInt radix 36");
eq(parseInt("-0"), -0, "parseInt -0");
eq(parseInt(""), NaN, "parseInt empty");
eq(parseFloat(".5e1x"), 5, "parseFloat");
eq(parseFloat("-Infinityx"), -Infinity, "parseFloat inf");
eq(parseFloat("1e"), 1, "parseFloat 1e");
eq(Number.MAX_SAFE_INTEGER, 9007199254740991, "MAX_SAFE_INTEGER");
eq(Boolean(""), false, "Boolean('')");
eq(new Boolean(false).valueOf(), false, "Boolean valueOf");
eq(Boolean.prototype.toString.call(true), "true", "Boolean toString");
throws(TypeError, function () { Boolean.prototype.valueOf.call(1); }, "Boolean valueOf wrong this");
eq(BigInt("0x10"), 16n, "BigInt string");
eq(BigInt(" 12 "), 12n, "BigInt whitespace");
throws(SyntaxError, function () { BigInt("1.5"); }, "BigInt bad string");
throws(RangeError, function () { BigInt(1.5); }, "BigInt fraction");
throws(TypeError, function () { new BigInt(1); }, "new BigInt");
eq(BigInt.asIntN(8, 255n), -1n, "asIntN");
eq(BigInt.asUintN(8, -1n), 255n, "asUintN");
eq((255n).toString(16), "ff", "BigInt toString");
eq(BigInt.prototype[Symbol.toStringTag], "BigInt", "BigInt tag");
