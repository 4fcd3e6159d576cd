// Proper tail calls (PrepareForTailCall): strict calls in tail position run in
// constant stack; calls that are not in tail position keep their frame.
"use strict";
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
var N = 300000;   // far beyond the frame limit without tail calls

function down(n) { if (n === 0) return "done"; return down(n - 1); }
check(down(N), "done", "self tail call");

function even(n) { return n === 0 ? true : odd(n - 1); }
function odd(n) { return n === 0 ? false : even(n - 1); }
check(even(N), true, "mutual tail calls through ?:");

function logic(n) { return n === 0 || logic(n - 1); }
check(logic(N), true, "|| right operand");
function comma(n) { return n === 0 ? 1 : (0, comma(n - 1)); }
check(comma(N), 1, "comma last operand");
var obj = { v: 7, m(n) { return n === 0 ? this.v : this.m(n - 1); } };
check(obj.m(N), 7, "method tail call keeps this");
var arrow = (n) => n === 0 ? "arrow" : arrow(n - 1);
check(arrow(N), "arrow", "concise arrow body");
function inCatch(n) { if (n === 0) return "c"; try { throw n; } catch (e) { return inCatch(e - 1); } }
check(inCatch(N), "c", "catch block is a tail position");

// not tail positions: the frame must stay and the pending work must run
function plusOne(n) { if (n === 0) return 0; return 1 + plusOne(n - 1); }
var threw = null;
try { plusOne(N); } catch (e) { threw = e; }
check(threw instanceof RangeError, true, "non-tail recursion still overflows cleanly");
var fin = 0;
function withFinally(n) { try { return n === 0 ? 0 : withFinally(n - 1); } finally { fin++; } }
check(withFinally(100), 0, "call in try block");
check(fin, 101, "finally blocks all ran");
var closed = 0;
var iterable = { [Symbol.iterator]() { return { next() { return { value: 1, done: false }; }, return() { closed++; return {}; } }; } };
function inForOf(n) { for (var x of iterable) return n === 0 ? x : inForOf(n - 1); }
check(inForOf(50), 1, "call in for-of body");
check(closed, 51, "iterators closed after the call returned");
function inTry(n) { try { return n === 0 ? thrower() : inTry(n - 1); } catch (e) { return "caught " + n; } }
function thrower() { throw 1; }
check(inTry(10), "caught 0", "handler of the caller stays live");

// callers and callees that cannot share a frame
function Ctor() { return helper(); }
function helper() { return 5; }
check(new Ctor() instanceof Ctor, true, "[[Construct]] result rules still apply");
function Make() { return make(); }
function make() { return { made: true }; }
check(new Make().made, true, "constructor returning a tail call's object");
class Base { constructor() { return make(); } }
class Derived extends Base { constructor() { super(); return helperU(); } }
function helperU() { return undefined; }
check(new Derived().made, true, "derived constructor with a tail call");
function* gen() { return down(10); }
check(gen().next().value, "done", "generator return of a call");
Number.prototype.sloppyType = Function("return typeof this;");
function viaPrimitive(n) { return n.sloppyType(); }
check(viaPrimitive(3), "object", "sloppy callee boxes a primitive this");
function native(n) { return Math.max(n, 1); }
check(native(5), 5, "native callee");
var bound = down.bind(null, 3);
function viaBound() { return bound(); }
check(viaBound(), "done", "bound callee");
function viaCall(n) { return n === 0 ? "call" : viaCall.call(null, n - 1); }
check(viaCall(1000), "call", "callee reached through Function.prototype.call");
function withEval(n) { return eval("n + 1"); }
check(withEval(1), 2, "direct eval in tail position");

// the error stack of a tail-called function stays readable
function boom() { throw new Error("boom"); }
function callsBoom() { return boom(); }
try { callsBoom(); } catch (e) { check(/boom/.test(String(e.stack)), true, "stack names the thrower"); }
function spreadDown(n) { return n === 0 ? "spread" : spreadDown(...[n - 1]); }
check(spreadDown(N), "spread", "spread call in tail position");
