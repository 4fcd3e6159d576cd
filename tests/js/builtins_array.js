// Array constructor, Array.prototype and array iterators (lib/builtins/array.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

eq(Array.length, 1, "Array.length");
eq(Array(3).length, 3, "Array(3)");
eq(Array(1, 2).join(), "1,2", "Array(1,2)");
eq(new Array("3").length, 1, "new Array('3')");
throws(RangeError, function () { new Array(-1); }, "Array(-1)");
throws(RangeError, function () { Array(1.5); }, "Array(1.5)");
eq(Array.isArray([]), true, "isArray");
eq(Array.isArray(new Proxy([], {})), true, "isArray proxy");
eq(Array.of(1, 2, 3).join("-"), "1-2-3", "of");
eq(Array.from("abc").join(), "a,b,c", "from string");
eq(Array.from({ length: 2, 0: "x", 1: "y" }, function (v, i) { return v + i; }).join(), "x0,y1", "from array-like");
eq(Array.from(new Set([1, 2, 2])).length, 2, "from set");
var a = [1, 2, 3, 4, 5];
eq(a.at(-1), 5, "at");
eq(a.slice(1, -1).join(), "2,3,4", "slice");
eq([1, 2, 3].concat([4], 5, [[6]]).length, 6, "concat");
eq([0, 1, 2, 3, 4].copyWithin(0, 3).join(), "3,4,2,3,4", "copyWithin");
eq([1, 2, 3].fill(0, 1).join(), "1,0,0", "fill");
eq([1, 2, 3].map(function (x) { return x * 2; }).join(), "2,4,6", "map");
eq([1, 2, 3, 4].filter(function (x) { return x % 2; }).join(), "1,3", "filter");
eq([1, 2, 3].reduce(function (a, b) { return a + b; }), 6, "reduce");
eq([1, 2, 3].reduceRight(function (a, b) { return a + "" + b; }), "321", "reduceRight");
throws(TypeError, function () { [].reduce(function () {}); }, "reduce empty");
eq([1, 2, 3].find(function (x) { return x > 1; }), 2, "find");
eq([1, 2, 3].findIndex(function (x) { return x > 1; }), 1, "findIndex");
eq([1, 2, 3].findLast(function (x) { return x > 1; }), 3, "findLast");
eq([1, 2, 3].findLastIndex(function (x) { return x > 5; }), -1, "findLastIndex");
eq([1, [2, [3, [4]]]].flat(Infinity).join(), "1,2,3,4", "flat");
eq([1, 2].flatMap(function (x) { return [x, x]; }).join(), "1,1,2,2", "flatMap");
eq([NaN].includes(NaN), true, "includes NaN");
eq([NaN].indexOf(NaN), -1, "indexOf NaN");
eq([1, 2, 1].lastIndexOf(1), 2, "lastIndexOf");
eq([1, null, undefined, 2].join("-"), "1---2", "join nullish");
eq(String([1, [2, 3]]), "1,2,3", "toString");
var p = [1, 2]; eq(p.push(3, 4), 4, "push"); eq(p.pop(), 4, "pop");
eq(p.shift(), 1, "shift"); eq(p.unshift(0), 3, "unshift"); eq(p.join(), "0,2,3", "after unshift");
var s = [1, 2, 3, 4, 5]; eq(s.splice(1, 2, "a").join(), "2,3", "splice removed"); eq(s.join(), "1,a,4,5", "splice result");
eq([3, 1, 2].reverse().join(), "2,1,3", "reverse");
eq([10, 9, 1, 2].sort().join(), "1,10,2,9", "default sort");
eq([3, undefined, 1, , 2].sort().length, 5, "sort holes length");
var srt = [3, undefined, 1, , 2].sort(); eq(srt[3], undefined, "sort undefined"); eq(3 in srt, true, "undef kept"); eq(4 in srt, false, "hole last");
throws(TypeError, function () { [].sort(1); }, "sort bad comparator");
var stable = [];
for (var i = 0; i < 100; i++) stable.push({ k: i % 3, i: i });
stable.sort(function (x, y) { return x.k - y.k; });
for (var i = 1; i < 100; i++) if (stable[i - 1].k === stable[i].k) assert(stable[i - 1].i < stable[i].i, "stable sort");
eq([3, 1, 2].toSorted().join(), "1,2,3", "toSorted");
eq([1, 2, 3].toReversed().join(), "3,2,1", "toReversed");
eq([1, 2, 3].toSpliced(1, 1, "x", "y").join(), "1,x,y,3", "toSpliced");
eq([1, 2, 3].with(-1, 9).join(), "1,2,9", "with");
throws(RangeError, function () { [1].with(5, 0); }, "with range");
eq([1, 2].every(function (x) { return x > 0; }), true, "every");
eq([1, 2].some(function (x) { return x > 1; }), true, "some");
var it = ["a", "b"].entries(); var r = it.next();
eq(r.value.join(), "0,a", "entries");
eq(Object.prototype.toString.call(it), "[object Array Iterator]", "iterator tag");
eq(Array.prototype[Symbol.iterator], Array.prototype.values, "@@iterator is values");
eq(Array.prototype[Symbol.unscopables].flat, true, "unscopables");
eq(Object.getPrototypeOf(Array.prototype[Symbol.unscopables]), null, "unscopables proto");
class MyArray extends Array {}
var m = new MyArray(1, 2, 3);
eq(m.length, 3, "subclass length");
assert(m.map(function (x) { return x; }) instanceof MyArray, "species map");
eq(Array[Symbol.species], Array, "species");
var big = []; big[5] = 1; eq(big.length, 6, "hole length"); eq(big.indexOf(undefined), -1, "indexOf skips holes");
var log = [];
Array.prototype.forEach.call({ length: 2, 0: "a", 1: "b" }, function (v, i) { log.push(v + i); });
eq(log.join(), "a0,b1", "generic forEach");
