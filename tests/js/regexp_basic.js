// RegExp engine and RegExp built-in (lib/regexp/, lib/builtins/regexp.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function arr(a, b, what) { eq(JSON.stringify(a), JSON.stringify(b), what); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

// matching
arr(/a(b)c/.exec("xxabcx").slice(), ["abc", "b"], "exec");
eq(/a(b)c/.exec("xxabcx").index, 2, "index");
arr(/(z)((a+)?(b+)?(c))*/.exec("zaacbbbcac").slice(), ["zaacbbbcac", "z", "ac", "a", null, "c"], "captures reset per iteration");
arr(/(a|ab)(c|bcd)(d*)/.exec("abcd").slice(), ["abcd", "a", "bcd", ""], "backtracking order");
arr(/(?=(a+))a*b\1/.exec("baaabac").slice(), ["aba", "a"], "lookahead captures");
arr(/(?<=(\d+)(\d+))$/.exec("1053").slice(), ["", "1", "053"], "lookbehind right to left");
arr(/(.)\1/i.exec("xaA").slice(), ["aA", "a"], "backref ignoreCase");
eq(/\u212a/i.test("k"), false, "non-unicode ignoreCase keeps ASCII apart");
eq(/\u212a/iu.test("k"), true, "unicode ignoreCase folds");
eq(/^.$/u.test("\u{1F600}"), true, "unicode dot");
eq(/^.$/.test("\u{1F600}"), false, "non-unicode dot");
eq(/(?i:a)b/.test("AB"), false, "modifiers scope");
eq(/[\p{L}--[a-z]]+/v.exec("abcDEF")[0], "DEF", "v subtraction");
eq(/^\p{RGI_Emoji}$/v.test("\u{1F468}\u200D\u{1F469}\u200D\u{1F467}"), true, "property of strings");
eq(/[\q{abc|d}]/v.exec("xabc")[0], "abc", "class strings longest first");

// named groups
var m = /(?<y>\d{4})-(?<m>\d\d)/.exec("on 2024-05");
eq(m.groups.y, "2024", "named group");
eq(Object.getPrototypeOf(m.groups), null, "groups prototype");
eq(/(?:(?<a>x)|(?<a>y))\k<a>/.exec("yy").groups.a, "y", "duplicate names");
var d = /(?<a>b)/d.exec("abc");
arr(d.indices[0], [1, 2], "indices");
arr(d.indices.groups.a, [1, 2], "indices groups");

// global / sticky / lastIndex
var g = /a/g;
eq(g.test("aa"), true, "g test 1"); eq(g.lastIndex, 1, "lastIndex 1");
eq(g.test("aa"), true, "g test 2"); eq(g.test("aa"), false, "g test 3"); eq(g.lastIndex, 0, "lastIndex reset");
var y = /b/y;
eq(y.test("ab"), false, "sticky no skip");
y.lastIndex = 1;
eq(y.test("ab"), true, "sticky at 1");

// symbol methods
eq("aBc".replace(/b/i, "[$&]"), "a[B]c", "replace $&");
eq("abc".replace(/(?<x>b)/, "$<x>$<x>"), "abbc", "replace named");
eq("a1b2".replace(/\d/g, function (d) { return d * 2; }), "a2b4", "replace fn");
arr("a,b,,c".split(/,/), ["a", "b", "", "c"], "split");
arr("abc".split(/(b)/), ["a", "b", "c"], "split captures");
arr("".split(/x/), [""], "split empty");
arr("aaa".match(/a/g), ["a", "a", "a"], "match g");
eq("xyz".search(/z/), 2, "search");
arr([..."a1b2".matchAll(/\d/g)].map(function (m) { return m[0] + m.index; }), ["11", "23"], "matchAll");
arr("\u{1F600}".match(/(?:)/gu), ["", ""], "empty matches advance by code point");

// properties
eq(/a/gimsuyd.flags, "dgimsuy", "flags order");
eq(String(/a\/b/), "/a\\/b/", "toString");
eq(new RegExp("/").source, "\\/", "source escape");
eq(new RegExp("\n").source, "\\n", "source line terminator");
eq(RegExp.prototype.source, "(?:)", "prototype source");
eq(RegExp.prototype.global, undefined, "prototype flag getter");
eq(RegExp.escape("foo.bar"), "\\x66oo\\.bar", "RegExp.escape");
eq(RegExp(g), g, "RegExp(re) returns re");
eq(new RegExp(/x/g, "i").flags, "i", "flags override");
/(\w)(\w)/.exec("--ab--");
eq(RegExp.$1 + RegExp.$2 + RegExp.lastMatch + RegExp["$`"] + RegExp["$'"], "abab----", "legacy statics");
var re = /a/; re.compile("b", "g");
eq(re.source + re.flags, "bg", "compile");

// errors
throws(SyntaxError, function () { new RegExp("a**"); }, "nothing to repeat");
throws(SyntaxError, function () { new RegExp("(?<a>x)(?<a>y)"); }, "duplicate name");
throws(SyntaxError, function () { new RegExp("a", "gg"); }, "duplicate flag");
throws(SyntaxError, function () { new RegExp("\\p{Nope}", "u"); }, "unknown property");
throws(SyntaxError, function () { new RegExp("(".repeat(1000) + ")".repeat(1000)); }, "nesting bounded");
throws(TypeError, function () { RegExp.prototype.exec.call({}, ""); }, "exec receiver");
eq(new RegExp("(".repeat(100) + ")".repeat(100)).test(""), true, "nesting 100 ok");
