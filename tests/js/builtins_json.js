// JSON.parse / JSON.stringify / rawJSON (lib/builtins/json.c).
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}
var v = JSON.parse('{"a":[1,2.5,"x\\u0041",true,null,{}],"b":-0,"__proto__":1}');
eq(v.a[2], "xA", "unicode escape");
eq(v.b, -0, "-0");
eq(Object.getOwnPropertyNames(v).join(), "a,b,__proto__", "__proto__ is own");
throws(SyntaxError, function () { JSON.parse("{'a':1}"); }, "single quotes");
throws(SyntaxError, function () { JSON.parse("[1,]"); }, "trailing comma");
throws(SyntaxError, function () { JSON.parse("01"); }, "leading zero");
throws(SyntaxError, function () { JSON.parse('"\t"'); }, "control char");
eq(JSON.parse(' [1] ')[0], 1, "whitespace");
eq(JSON.parse('{"a":1,"b":2}', function (k, x) { return k === "a" ? undefined : x; }).a, undefined, "reviver delete");
var srcs = [];
JSON.parse('[1.0, "x", {"y": 1e2}]', function (k, x, ctx) { srcs.push(ctx.source); return x; });
eq(srcs.join("|"), '1.0|"x"|1e2||', "context.source");
eq(JSON.stringify({ a: [1, "b", null, undefined, function () {}], c: undefined }), '{"a":[1,"b",null,null,null]}', "stringify basic");
eq(JSON.stringify("\ud800\u2028\u0007"), '"\\ud800\u2028\\u0007"', "well-formed stringify");
eq(JSON.stringify({ a: 1, b: [] }, null, 2), '{\n  "a": 1,\n  "b": []\n}', "gap");
eq(JSON.stringify({ a: 1, b: 2, c: 3 }, ["c", "a", "c"]), '{"c":3,"a":1}', "property list");
eq(JSON.stringify({ a: 1 }, function (k, x) { return typeof x === "number" ? x * 2 : x; }), '{"a":2}', "replacer fn");
eq(JSON.stringify({ toJSON: function (k) { return "K" + k; } }), '"K"', "toJSON");
eq(JSON.stringify(new Number(3)), "3", "Number wrapper");
eq(JSON.stringify(NaN), "null", "NaN");
eq(JSON.stringify(undefined), undefined, "undefined");
var cyc = {}; cyc.self = cyc;
throws(TypeError, function () { JSON.stringify(cyc); }, "cycle");
throws(TypeError, function () { JSON.stringify(1n); }, "bigint");
eq(JSON.stringify({ n: JSON.rawJSON("123456789012345678901234567890") }), '{"n":123456789012345678901234567890}', "rawJSON");
eq(JSON.isRawJSON(JSON.rawJSON("1")), true, "isRawJSON");
eq(Object.isFrozen(JSON.rawJSON("1")), true, "rawJSON frozen");
throws(SyntaxError, function () { JSON.rawJSON("{}"); }, "rawJSON object");
throws(SyntaxError, function () { JSON.rawJSON(" 1"); }, "rawJSON space");
eq(JSON[Symbol.toStringTag], "JSON", "toStringTag");
var deep = "";
for (var i = 0; i < 100000; i++) deep += "[";
throws(RangeError, function () { JSON.parse(deep); }, "deep nesting is bounded");
