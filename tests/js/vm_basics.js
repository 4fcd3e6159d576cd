// Language basics run by the VM: operators, control flow, closures, completion values.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
check(fib(20), 6765, "recursion");
check(2 ** 10, 1024, "exponent");
check(-5 >>> 28, 15, "unsigned shift");
check(0.1 + 0.2, 0.30000000000000004, "double add");
check(2147483647 + 1, 2147483648, "int overflow");
check(typeof notDefinedAnywhere, "undefined", "typeof unresolvable");
var fns = [];
for (let i = 0; i < 3; i++) fns.push(() => i);
check(fns.map(f => f()).join(), "0,1,2", "per-iteration let bindings");
var out = [];
outer: for (var i = 0; i < 3; i++) {
    for (var j = 0; j < 3; j++) {
        if (j == 1) continue outer;
        if (i == 2) break outer;
        out.push(i + "" + j);
    }
}
check(out.join(), "00,10", "labelled break/continue");
check(eval("1; if (1) {}"), undefined, "completion of if");
check(eval("2; {}"), 2, "completion of empty block");
check(eval("3; try { 4 } finally { 5 }"), 4, "completion of try/finally");
check(eval("var zz = 3; zz"), 3, "eval var");
var log = [];
function tf() { try { log.push("t"); return "r"; } finally { log.push("f"); } }
check(tf(), "r", "return through finally");
check(log.join(), "t,f", "finally ran");
check((function () { return arguments.length; })(1, 2, 3), 3, "arguments.length");
check((function (a) { arguments[0] = 9; return a; })(1), 9, "mapped arguments");
check((function (a) { "use strict"; arguments[0] = 9; return a; })(1), 1, "unmapped arguments");
var sw = [];
switch (3) { case 1: sw.push(1); case 3: sw.push(3); case 4: sw.push(4); break; default: sw.push("d"); }
check(sw.join(), "3,4", "switch fallthrough");
var o = null;
check(o?.a, undefined, "optional member");
check(o?.a.b.c, undefined, "optional chain short circuit");
var q = { f() { return this.v; }, v: 3 };
check(q?.f(), 3, "optional call this");
check(`a${1 + 1}b`, "a2b", "template");
function tag(s, ...v) { return s.raw.join("|") + v.join(","); }
check(tag`x${1}y${2}z`, "x|y|z1,2", "tagged template");
function site() { return tag2`q`; }
function tag2(s) { return s; }
check(site() === site(), true, "template object cached per site");
var x = 1; { let x = 2; check(x, 2, "block shadow"); } check(x, 1, "outer binding");
var threw = false;
try { tdz; let tdz = 1; } catch (e) { threw = e instanceof ReferenceError; }
check(threw, true, "TDZ");
with ({ wx: 5 }) { check(wx, 5, "with lookup"); }
check((function () { "use strict"; return this; })(), undefined, "strict this");
var cnt = 0, og = { get x() { return ++cnt; } };
og.x; og.x;
check(cnt, 2, "getter calls");
var a = 1; a ||= 2; check(a, 1, "||=");
var b = null; b ??= 7; check(b, 7, "??=");
var oo = { n: 0 }; oo.n += 5; oo["n"] *= 2; check(oo.n, 10, "compound member assignment");
var k = 0; var arr = [1, 2]; arr[k++] += 10; check(arr.join() + k, "11,21", "compound element assignment");
check(delete oo.n, true, "delete");
check("n" in oo, false, "in after delete");
check([..."abc"].join("-"), "a-b-c", "spread string");
check(Math.max(...[1, 5, 3]), 5, "spread call");
check(new Date(...[2020, 0, 1]).getFullYear(), 2020, "spread new");
print("vm_basics ok");
