// Property reads through prototype chains with the per-site inline cache: each
// site runs several times so the cache fills, then a prototype changes under it.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
function A() {}
A.prototype.m = function () { return "A"; };
function B() {}
B.prototype = Object.create(A.prototype);
function C() {}
C.prototype = Object.create(B.prototype);
var c = new C();
function callM(o) { return o.m(); }
function readM(o) { return o.m; }
for (var i = 0; i < 3; i++) check(callM(c), "A", "two levels up");

B.prototype.m = function () { return "B"; };           // shadows on the way
for (var i = 0; i < 3; i++) check(callM(c), "B", "shadowed in the middle");
delete B.prototype.m;
for (var i = 0; i < 3; i++) check(callM(c), "A", "shadow deleted");

A.prototype.m = function () { return "A2"; };          // value change, same shape
check(callM(c), "A2", "new value in the holder");
Object.defineProperty(A.prototype, "m", { get: function () { return function () { return "getter"; }; }, configurable: true });
for (var i = 0; i < 3; i++) check(callM(c), "getter", "accessor in the holder");
Object.defineProperty(A.prototype, "m", { value: function () { return "A3"; }, writable: true, configurable: true });
for (var i = 0; i < 3; i++) check(callM(c), "A3", "data again");

function D() {}
D.prototype.m = function () { return "D"; };
Object.setPrototypeOf(B.prototype, D.prototype);       // the middle re-links
for (var i = 0; i < 3; i++) check(callM(c), "D", "prototype changed in the middle");
delete D.prototype.m;
check(readM(c), undefined, "gone from the chain");
Object.prototype.m = "top";
check(readM(c), "top", "found on Object.prototype");
delete Object.prototype.m;
check(readM(c), undefined, "gone again");

// A prototype in dictionary mode (many keys added then deleted).
var P = {};
for (var k = 0; k < 200; k++) P["k" + k] = k;
for (var k = 0; k < 150; k++) delete P["k" + k];
P.v = "pv";
var mid = Object.create(P), leaf = Object.create(mid);
function readV(o) { return o.v; }
for (var i = 0; i < 3; i++) check(readV(leaf), "pv", "dictionary holder");
for (var k = 150; k < 200; k++) delete P["k" + k];     // compaction moves slots
check(readV(leaf), "pv", "dictionary holder after compaction");
P.v = "pv2";
check(readV(leaf), "pv2", "dictionary holder new value");
mid.v = "mid";
check(readV(leaf), "mid", "shadowed in the middle of a dictionary chain");

// Proxies on the chain are never cached past.
var seen = 0;
var px = new Proxy({ w: 1 }, { get: function (t, k, r) { seen++; return t[k]; } });
var overProxy = Object.create(Object.create(px));
function readW(o) { return o.w; }
for (var i = 0; i < 3; i++) check(readW(overProxy), 1, "through a proxy");
check(seen, 3, "proxy trap runs every time");

// Classes: inherited methods two levels up.
class Base { who() { return "base"; } }
class Mid extends Base {}
class Leaf extends Mid {}
var l = new Leaf();
for (var i = 0; i < 3; i++) check(l.who(), "base", "class chain");
Mid.prototype.who = function () { return "mid"; };
check(l.who(), "mid", "class chain shadowed");

// Stores that add a property replay a cached transition only while no prototype
// has grown a setter or a read-only property of that name.
function Q() {}
function makeQ() { var q = new Q(); q.a = 1; q.b = 2; return q; }
for (var i = 0; i < 3; i++) check(makeQ().b, 2, "added by the cached transition");
var setterRuns = 0;
Object.defineProperty(Q.prototype, "b", { set: function (v) { setterRuns++; }, get: function () { return "gb"; }, configurable: true });
var q1 = makeQ();
check(setterRuns, 1, "setter on the prototype runs");
check(Object.prototype.hasOwnProperty.call(q1, "b"), false, "no own property past a setter");
delete Q.prototype.b;
for (var i = 0; i < 3; i++) check(makeQ().b, 2, "added again");
Object.defineProperty(Object.prototype, "b", { value: "ro", writable: false, configurable: true });
check(makeQ().b, "ro", "read-only on Object.prototype blocks the add");
function strictAdd(o) { "use strict"; o.b = 5; }
var threw = false;
try { strictAdd(new Q()); } catch (e) { threw = e instanceof TypeError; }
check(threw, true, "strict add past read-only throws");
delete Object.prototype.b;
function addB(o) { o.b = 3; return o; }
for (var i = 0; i < 3; i++) check(addB(new Q()).b, 3, "add cached");
var sealed = Object.preventExtensions(new Q());
addB(sealed);
check(Object.prototype.hasOwnProperty.call(sealed, "b"), false, "non-extensible object not extended");
threw = false;
try { strictAdd(Object.preventExtensions(new Q())); } catch (e) { threw = e instanceof TypeError; }
check(threw, true, "strict add to non-extensible throws");
// A prototype object extended through a cached site must invalidate reads below it.
function R() {}
var rp = R.prototype;
function readZ(o) { return o.z; }
var r = new R();
for (var i = 0; i < 3; i++) check(readZ(r), undefined, "z absent");
function addZ(o) { o.z = "z"; }
addZ({}); addZ({});
addZ(rp);
check(readZ(r), "z", "prototype extended through a cached store");

// A writable data property on the prototype (Prototype.js classes keep defaults
// there): the store adds an own property, until the default turns read-only.
function S() {}
S.prototype = { red: 0 };
function setRed(o, v) { o.red = v; return o; }
for (var i = 0; i < 3; i++) check(Object.prototype.hasOwnProperty.call(setRed(new S(), i), "red"), true, "own red added");
check(S.prototype.red, 0, "prototype default untouched");
Object.defineProperty(S.prototype, "red", { writable: false });
var s1 = setRed(new S(), 9);
check(Object.prototype.hasOwnProperty.call(s1, "red"), false, "read-only default blocks the add");
check(s1.red, 0, "reads the default");
