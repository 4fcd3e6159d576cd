// Function.prototype.apply with arrays and arguments objects: the copying fast path
// must see what CreateListFromArrayLike would.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
function list() { return Array.prototype.slice.call(arguments).join(","); }
function count() { return arguments.length; }

check(list.apply(null, [1, 2, 3]), "1,2,3", "array");
check(list.apply(null, []), "", "empty array");
check(count.apply(null, [, , ]), 2, "holes count");
Array.prototype[1] = "proto";
check(list.apply(null, [0, , 2]), "0,proto,2", "hole reads the prototype");
delete Array.prototype[1];
var long = []; long.length = 3;
check(count.apply(null, long), 3, "length beyond elements");

// Mapped arguments: a reassigned parameter is what the arguments object reads.
function mapped(a, b) { a = "A"; return list.apply(null, arguments); }
check(mapped(1, 2, 3), "A,2,3", "mapped parameter");
function unmappedAfterDelete(a) { delete arguments[0]; return count.apply(null, arguments); }
check(unmappedAfterDelete(1, 2), 2, "deleted index keeps length");
function strictArgs(a) { "use strict"; a = "A"; return list.apply(null, arguments); }
check(strictArgs(1, 2), "1,2", "unmapped parameter");
function lengthChanged() { arguments.length = 1; return list.apply(null, arguments); }
check(lengthChanged(1, 2, 3), "1", "redefined length");
function lengthGetter() {
    var calls = 0;
    Object.defineProperty(arguments, "length", { get: function () { calls++; return 2; } });
    var r = list.apply(null, arguments);
    return r + ":" + calls;
}
check(lengthGetter(7, 8, 9), "7,8:1", "length getter called once");
function indexGetter() {
    Object.defineProperty(arguments, "0", { get: function () { return "g"; } });
    return list.apply(null, arguments);
}
check(indexGetter(1, 2), "g,2", "index accessor");

// Many arguments take the general path.
var big = [];
for (var i = 0; i < 100; i++) big.push(i);
check(count.apply(null, big), 100, "long list");
function forward() { return count.apply(null, arguments); }
check(forward.apply(null, big), 100, "long arguments");

// The constructor pattern of Prototype-style classes.
function Point() { this.init.apply(this, arguments); }
Point.prototype.init = function (x, y) { this.x = x; this.y = y; };
var p = new Point(3, 4);
check(p.x + p.y, 7, "initialize.apply(this, arguments)");
