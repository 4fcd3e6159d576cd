// RegExp protocol: @@replace/@@split/@@match stay observable through exec,
// lastIndex and flags even though pristine RegExps take a direct fast path.
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function arr(a, b, what) { eq(JSON.stringify(a), JSON.stringify(b), what); }

var calls = 0;
var re = /a/g;
re.exec = function (s) { calls++; return RegExp.prototype.exec.call(this, s); };
eq("aXa".replace(re, "b"), "bXb", "own exec replace");
eq(calls, 3, "own exec called per match and once more");

var orig = RegExp.prototype.exec;
var seen = 0;
RegExp.prototype.exec = function (s) { seen++; return orig.call(this, s); };
arr("a,b".split(/,/), ["a", "b"], "patched prototype exec split");
eq(seen > 0, true, "split used patched exec");
RegExp.prototype.exec = orig;

var r2 = /x/g;
Object.defineProperty(r2, "flags", { value: "" });
eq("xx".replace(r2, "y"), "yx", "flags property decides global");

var r3 = /(?<d>\d)/g;
eq("a1b2".replace(r3, function (m, d, pos, str, groups) { r3.compile("z"); return "<" + groups.d + ">"; }), "a<1>b<2>", "recompile in replacer");

eq(RegExp.lastMatch !== undefined, true, "legacy accessor readable");
arr("x1y22z".split(/(\d)/, 3), ["x", "1", "y"], "split limit");
arr("abc".match(/(?:)/g), ["", "", "", ""], "empty global matches");
eq("aaa".replace(/a*?/g, "-"), "-a-a-a-", "lazy empty replace");
eq("\u{1F600}\u{1F600}".replace(/(?:)/gu, "|"), "|\u{1F600}|\u{1F600}|", "unicode empty advance");
var sticky = /a/y;
eq("baa".replace(sticky, "X"), "baa", "sticky replace at 0 fails");
sticky.lastIndex = 1;
eq("baa".replace(sticky, "X"), "bXa", "sticky replace at lastIndex");
eq(sticky.lastIndex, 2, "sticky lastIndex advanced");
