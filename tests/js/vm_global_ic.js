// Global variable reads and writes through the per-site inline cache: each site runs
// several times so the cache is filled, then the global changes under it.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
globalThis.g1 = 1;   // configurable, unlike a var
function readG1() { return g1; }
function readG1Typeof() { return typeof g1; }
function writeG1(v) { g1 = v; }
function writeG1Strict(v) { "use strict"; g1 = v; }
for (var i = 0; i < 3; i++) check(readG1(), 1, "cached read");
writeG1(2); writeG1(3);
check(readG1(), 3, "cached write");

// Non-writable: sloppy writes are ignored, strict ones throw.
Object.defineProperty(globalThis, "g1", { writable: false });
writeG1(4);
check(readG1(), 3, "write to non-writable ignored");
var threw = false;
try { writeG1Strict(5); } catch (e) { threw = e instanceof TypeError; }
check(threw, true, "strict write to non-writable throws");

// Accessor in place of the data property.

delete globalThis.g1;
check(readG1Typeof(), "undefined", "typeof after delete");
threw = false;
try { readG1(); } catch (e) { threw = e instanceof ReferenceError; }
check(threw, true, "read after delete throws");
var setCalls = 0;
Object.defineProperty(globalThis, "g1", { get: function () { return "got"; }, set: function (v) { setCalls++; }, configurable: true });
check(readG1(), "got", "accessor read");
writeG1(9);
check(setCalls, 1, "accessor write");
delete globalThis.g1;
globalThis.g1 = 10;
check(readG1(), 10, "re-added as data");

// Many deletes compact a dictionary: cached indices must not read a moved slot.
for (var k = 0; k < 40; k++) globalThis["tmp" + k] = k;
var g2 = "two";
function readG2() { return g2; }
for (var i = 0; i < 3; i++) check(readG2(), "two", "g2 cached");
for (var k = 0; k < 40; k++) delete globalThis["tmp" + k];
check(readG2(), "two", "g2 after compaction");
check(readG1(), 10, "g1 after compaction");

// Sloppy direct eval adds a var to the global object.
function readG3() { return typeof g3 === "undefined" ? "none" : g3; }
for (var i = 0; i < 3; i++) check(readG3(), "none", "g3 absent");
eval("var g3 = 'three'");
check(readG3(), "three", "g3 from eval");

// The same function text in two realms reads each realm's own global.
if (typeof ShadowRealm === "function") {
    var r = new ShadowRealm();
    r.evaluate("var g4 = 'inner'; function readG4() { return g4; }");
    var readInner = r.evaluate("readG4");
    var g4 = "outer";
    function readG4() { return g4; }
    for (var i = 0; i < 3; i++) {
        check(readInner(), "inner", "other realm's global");
        check(readG4(), "outer", "this realm's global");
    }
}
