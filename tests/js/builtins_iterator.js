// Iterator, Iterator helpers, Iterator.from/concat/zip (lib/builtins/iterator.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

function* g(n) { for (var i = 0; i < n; i++) yield i; }
eq(typeof Iterator, "function", "Iterator");
throws(TypeError, function () { new Iterator(); }, "abstract Iterator");
throws(TypeError, function () { Iterator(); }, "Iterator call");
class MyIt extends Iterator { next() { return { done: true }; } }
assert(new MyIt() instanceof Iterator, "subclass");
eq(g(5).map(function (x) { return x * 2; }).toArray().join(), "0,2,4,6,8", "map");
eq(g(5).filter(function (x) { return x & 1; }).toArray().join(), "1,3", "filter");
eq(g(10).take(3).toArray().join(), "0,1,2", "take");
eq(g(5).drop(3).toArray().join(), "3,4", "drop");
throws(RangeError, function () { g(1).take(-1); }, "take negative");
throws(RangeError, function () { g(1).drop(NaN); }, "drop NaN");
eq(g(3).flatMap(function (x) { return [x, x]; }).toArray().join(), "0,0,1,1,2,2", "flatMap");
throws(TypeError, function () { g(1).flatMap(function (x) { return 1; }).next(); }, "flatMap primitive");
eq(g(4).reduce(function (a, b) { return a + b; }), 6, "reduce");
eq(g(4).reduce(function (a, b) { return a + b; }, 10), 16, "reduce init");
var seen = []; g(3).forEach(function (x) { seen.push(x); }); eq(seen.join(), "0,1,2", "forEach");
eq(g(3).some(function (x) { return x == 2; }), true, "some");
eq(g(3).every(function (x) { return x < 2; }), false, "every");
eq(g(3).find(function (x) { return x > 0; }), 1, "find");
var closed = 0;
var src = { i: 0, next: function () { return { value: this.i++, done: false }; }, return: function () { closed++; return {}; }, __proto__: Iterator.prototype };
var h = src.map(function (x) { return x; });
h.next(); h.return();
eq(closed, 1, "return forwarded");
throws(TypeError, function () { src.map(); }, "non-callable mapper");
eq(closed, 2, "closed on bad argument");
var h2 = g(3).map(function (x) { return x; });
eq(Object.prototype.toString.call(h2), "[object Iterator Helper]", "helper tag");
var w = Iterator.from({ next: function () { return { value: 1, done: false }; } });
eq(w.next().value, 1, "Iterator.from wrap");
eq(Iterator.from([1, 2]).toArray().join(), "1,2", "Iterator.from array");
eq(Iterator.from("ab").toArray().join(), "a,b", "Iterator.from string");
eq(Iterator.concat([1], [2, 3]).toArray().join(), "1,2,3", "concat");
throws(TypeError, function () { Iterator.concat(1); }, "concat non-object");
var z = Iterator.zip([[1, 2], ["a", "b", "c"]]).toArray();
eq(JSON.stringify(z), '[[1,"a"],[2,"b"]]', "zip shortest");
z = Iterator.zip([[1], ["a", "b"]], { mode: "longest", padding: [0, "z"] }).toArray();
eq(JSON.stringify(z), '[[1,"a"],[0,"b"]]', "zip longest");
throws(TypeError, function () { Iterator.zip([[1], [1, 2]], { mode: "strict" }).toArray(); }, "zip strict");
var zk = Iterator.zipKeyed({ a: [1, 2], b: [3, 4] }).toArray();
eq(JSON.stringify(zk), '[{"a":1,"b":3},{"a":2,"b":4}]', "zipKeyed");
eq(Iterator.prototype[Symbol.iterator].call(5), 5, "@@iterator returns this");
eq(Iterator.prototype.constructor, Iterator, "constructor accessor");
eq(Iterator.prototype[Symbol.toStringTag], "Iterator", "toStringTag accessor");
var running = g(2).map(function (x) { return running.next(); });
throws(TypeError, function () { running.next(); }, "running helper");
