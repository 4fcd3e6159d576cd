// String constructor, String.prototype and string iterators (lib/builtins/string.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

eq(String(Symbol("x")), "Symbol(x)", "String(symbol)");
throws(TypeError, function () { new String(Symbol()); }, "new String(symbol)");
eq(new String("ab").length, 2, "wrapper length");
eq(String.fromCharCode(65, 66, 0x10041), "ABA", "fromCharCode");
eq(String.fromCodePoint(0x1F600).length, 2, "fromCodePoint");
throws(RangeError, function () { String.fromCodePoint(-1); }, "fromCodePoint range");
eq(String.raw`a\n${1}b`, "a\\n1b", "raw");
eq("abc".at(-1), "c", "at");
eq("abc".charAt(1), "b", "charAt");
eq("abc".charCodeAt(5), NaN, "charCodeAt NaN");
eq("\uD83D\uDE00".codePointAt(0), 0x1F600, "codePointAt");
eq("a".concat(1, null), "a1null", "concat");
eq("abc".endsWith("bc"), true, "endsWith");
eq("abc".startsWith("b", 1), true, "startsWith");
eq("abc".includes("d"), false, "includes");
throws(TypeError, function () { "a".includes({ [Symbol.match]: true }); }, "includes regexp");
eq("abcabc".indexOf("c", 3), 5, "indexOf");
eq("abcabc".lastIndexOf("a"), 3, "lastIndexOf");
eq("abcabc".lastIndexOf("a", 2), 0, "lastIndexOf pos");
eq("ab\uD800".isWellFormed(), false, "isWellFormed");
eq("ab\uD800".toWellFormed(), "ab\uFFFD", "toWellFormed");
eq("a".localeCompare("b"), -1, "localeCompare");
eq("\u0041\u030A".normalize("NFC"), "\u00C5", "normalize NFC");
eq("\u00C5".normalize("NFD"), "\u0041\u030A", "normalize NFD");
throws(RangeError, function () { "a".normalize("x"); }, "normalize bad form");
eq("5".padStart(3, "0"), "005", "padStart");
eq("5".padEnd(4, "ab"), "5aba", "padEnd");
eq("ab".repeat(3), "ababab", "repeat");
throws(RangeError, function () { "a".repeat(-1); }, "repeat negative");
eq("abcdef".slice(-3, -1), "de", "slice");
eq("abcdef".substring(4, 1), "bcd", "substring");
eq("abcdef".substr(-3, 2), "de", "substr");
eq("Hello".toUpperCase(), "HELLO", "toUpperCase");
eq("\u00DF".toUpperCase(), "SS", "sharp s");
eq("\u0130".toLowerCase().length, 2, "dotted I lower");
eq("A\u03A3".toLowerCase(), "a\u03C2", "final sigma");
eq("A\u03A3B".toLowerCase(), "a\u03C3b", "non-final sigma");
eq("  a b \n".trim(), "a b", "trim");
eq("\uFEFF a".trimStart(), "a", "trimStart");
eq(String.prototype.trimLeft, String.prototype.trimStart, "trimLeft alias");
eq("a-b-c".split("-").join(), "a,b,c", "split");
eq("abc".split("").length, 3, "split empty");
eq("a-b-c".split("-", 2).length, 2, "split limit");
eq("aaa".replace("a", "$&b"), "abaa", "replace $&");
eq("abc".replace("b", "[$`|$']"), "a[a|c]c", "replace $` $'");
eq("abc".replace("b", function (m, i) { return m + i; }), "ab1c", "replace fn");
eq("a.a.a".replaceAll(".", "$$"), "a$a$a", "replaceAll");
eq("xx".replaceAll("", "_"), "_x_x_", "replaceAll empty");
eq("a".anchor('"'), '<a name="&quot;">a</a>', "anchor");
eq("a".big(), "<big>a</big>", "big");
var cps = []; for (var c of "a\uD83D\uDE00b") cps.push(c);
eq(cps.length, 3, "string iterator code points");
eq(Object.prototype.toString.call(""[Symbol.iterator]()), "[object String Iterator]", "iterator tag");
throws(TypeError, function () { String.prototype.trim.call(null); }, "trim null");
eq(String.prototype.toString.call(new String("w")), "w", "toString wrapper");
throws(TypeError, function () { String.prototype.valueOf.call({}); }, "valueOf non-string");
var called = false;
"x".split({ [Symbol.split]: function () { called = true; return []; } });
eq(called, true, "split delegates to @@split");
