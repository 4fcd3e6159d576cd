// Map, Set, WeakMap, WeakSet and the set methods (lib/builtins/collection.c).
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var m = new Map([[1, "a"], ["1", "b"], [NaN, "n"], [-0, "z"]]);
eq(m.size, 4, "size");
eq(m.get(1), "a", "number key");
eq(m.get("1"), "b", "string key");
eq(m.get(NaN), "n", "NaN key");
eq(m.get(0), "z", "-0 normalized");
eq([...m.keys()][3], 0, "-0 stored as +0");
eq(m.get(1.0), "a", "1.0 == 1");
eq(m.delete(1), true, "delete"); eq(m.has(1), false, "deleted"); eq(m.delete(1), false, "delete again");
var s1 = "ab", s2 = "a" + "b".repeat(1);
m.set(s1, 1); eq(m.get(s2), 1, "string contents equal");
m.set(10n, "big"); eq(m.get(10n), "big", "bigint key");
throws(TypeError, function () { Map(); }, "Map without new");
var order = new Map(); for (var i = 0; i < 100; i++) order.set(i, i);
for (var i = 0; i < 90; i++) order.delete(i);
for (var i = 100; i < 200; i++) order.set(i, i);
eq([...order.keys()].slice(0, 12).join(), "90,91,92,93,94,95,96,97,98,99,100,101", "order after rehash");
// mutation during iteration: deleted entries are skipped, added ones visited
var mm = new Map([[1, 1], [2, 2], [3, 3]]), visited = [];
for (var [k] of mm) { visited.push(k); if (k === 1) { mm.delete(2); mm.set(4, 4); } }
eq(visited.join(), "1,3,4", "iteration with mutation");
var cl = new Map([[1, 1], [2, 2]]), it = cl.entries(); it.next(); cl.clear(); cl.set(5, 5);
eq(it.next().value[0], 5, "iterator after clear");
var big = new Set(), bit = big.values();
for (var i = 0; i < 50; i++) big.add(i);
for (var i = 0; i < 49; i++) big.delete(i);
for (var i = 50; i < 100; i++) big.add(i);
eq(bit.next().value, 49, "iterator survives rehash");
var s = new Set([1, 2, 2, 3]);
eq(s.size, 3, "set size");
eq(Set.prototype.keys, Set.prototype.values, "keys === values");
eq([...new Set([1, 2]).union(new Set([2, 3]))].join(), "1,2,3", "union");
eq([...new Set([1, 2, 3]).intersection(new Set([2, 3, 4]))].join(), "2,3", "intersection");
eq([...new Set([1, 2, 3]).difference(new Set([2]))].join(), "1,3", "difference");
eq([...new Set([1, 2]).symmetricDifference(new Set([2, 3]))].join(), "1,3", "symmetricDifference");
eq(new Set([1]).isSubsetOf(new Set([1, 2])), true, "isSubsetOf");
eq(new Set([1, 2]).isSupersetOf(new Set([1])), true, "isSupersetOf");
eq(new Set([1]).isDisjointFrom(new Set([2])), true, "isDisjointFrom");
throws(TypeError, function () { new Set().union([1]); }, "union array (no size)");
eq(Map.groupBy([1, 2, 3], function (x) { return x % 2; }).get(1).join(), "1,3", "groupBy");
eq(new Map().getOrInsert("k", 1), 1, "getOrInsert");
eq(new Map([["k", 2]]).getOrInsertComputed("k", function () { return 3; }), 2, "getOrInsertComputed existing");
var wm = new WeakMap(), key = {};
wm.set(key, 1); eq(wm.get(key), 1, "weakmap get"); eq(wm.has({}), false, "weakmap has");
throws(TypeError, function () { wm.set(1, 1); }, "weakmap primitive key");
throws(TypeError, function () { wm.set(Symbol.for("x"), 1); }, "weakmap registered symbol");
wm.set(Symbol("u"), 2);
var ws = new WeakSet([key]); eq(ws.has(key), true, "weakset");
eq(ws.delete(key), true, "weakset delete");
eq(Object.prototype.toString.call(new Map().entries()), "[object Map Iterator]", "map iterator tag");
eq(Object.prototype.toString.call(new Set().values()), "[object Set Iterator]", "set iterator tag");
var fe = []; new Map([[1, "a"]]).forEach(function (v, k, mp) { fe.push(k + v); }); eq(fe.join(), "1a", "forEach");
throws(TypeError, function () { Map.prototype.get.call({}, 1); }, "incompatible receiver");
