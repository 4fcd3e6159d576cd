// Destructuring patterns, defaults, rest, iterator closing.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
var [p, q = 4, ...r] = [1, undefined, 3, 4];
check(p + "," + q + "," + r.join(), "1,4,3,4", "array pattern");
var { u, v: w = 8, ...rest } = { u: 1, x: 2, y: 3 };
check(u + "," + w + "," + JSON.stringify(rest), '1,8,{"x":2,"y":3}', "object pattern");
var o = {};
[o.a, o["b"]] = [1, 2];
check(o.a + o.b, 3, "member targets");
var [, , third] = [1, 2, 3];
check(third, 3, "holes");
function f({ a, b: [c, d] = [5, 6] } = {}) { return [a, c, d].join(); }
check(f(), ",5,6", "parameter patterns");
check(f({ a: 1, b: [2, 3] }), "1,2,3", "parameter patterns with values");
var closed = 0;
var iter = { [Symbol.iterator]() { return { next() { return { value: 1, done: false }; }, return() { closed++; return {}; } }; } };
var [z1] = iter;
check(closed, 1, "array pattern closes the iterator");
var fname = function () {};
var { fn = function () {} } = {};
check(fn.name, "fn", "named default");
var threw = false;
try { var { nope } = null; } catch (e) { threw = e instanceof TypeError; }
check(threw, true, "destructuring null throws");
var x, y;
[x, y] = [y, x] = [1, 2];
check(x + "," + y, "1,2", "chained assignment patterns");
print("vm_destructuring ok");
