// Direct and indirect eval, with, dynamic scoping, using declarations.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
function f() { eval("var inner = 5"); return inner; }
check(f(), 5, "eval var hoists into the function");
function g() { "use strict"; eval("var hidden = 1"); return typeof hidden; }
check(g(), "undefined", "strict eval has its own var scope");
var geval = eval;
(function () { var local = 1; check(geval("typeof local"), "undefined", "indirect eval is global"); })();
function h(a) { return eval("a + 1"); }
check(h(41), 42, "eval sees parameters");
var thrown = null;
try { (function () { let x; eval("var x"); })(); } catch (e) { thrown = e; }
check(thrown instanceof SyntaxError, true, "eval var conflicting with let");
var obj = { p: 1 };
with (obj) { p = 2; var q = p + 1; }
check(obj.p, 2, "with assignment");
check(q, 3, "var in with");
var scope = { x: 1 };
with (scope) { x += (delete scope.x, 2); }
check(scope.x, 3, "reference resolved before the right side");
var log = [];
{
    using a = { [Symbol.dispose]() { log.push("a"); } };
    using b = { [Symbol.dispose]() { log.push("b"); } };
    log.push("body");
}
check(log.join(), "body,b,a", "using disposes in reverse order");
var err = null;
try {
    using c = { [Symbol.dispose]() { throw new Error("d"); } };
    throw new Error("body");
} catch (e) { err = e; }
check(err instanceof SuppressedError, true, "disposal error suppresses the body error");
check(new Function("a", "b", "return a + b")(2, 3), 5, "Function constructor");
check(Function("return this")(), globalThis, "Function constructor sloppy this");
// Annex B.3.2: a block function in eval code keeps its own block binding and
// copies its value into the variable environment when evaluated
eval('{ function annexBlock() { annexBlock = 1; return "decl"; } }');
check(typeof annexBlock, "function", "eval block function reaches the global var");
check(annexBlock(), "decl", "assignment inside changes only the block binding");
check(typeof annexBlock, "function", "var binding unchanged");
(function () {
    eval('if (true) function inIf() { inIf = 2; return "if"; } var copy = inIf;');
    check(inIf(), "if", "eval if-function copied into the function var env");
    check(typeof inIf, "function", "function var binding independent of the block binding");
})();
// and is skipped when the name is a parameter or `arguments`
(function (p) { { function p() {} } check(p, 3, "parameter not overwritten"); })(3);
(function () { { function arguments() {} } check(typeof arguments, "object", "arguments not overwritten"); })();
check(Function("a", "b", "return a").toString(), "function anonymous(a,b\n) {\nreturn a\n}", "dynamic function source text");
check(typeof Function("-->"), "function", "HTML close comment opens a dynamic function body");
// eval checks every declaration before creating any
try { eval("var evalVarNotCreated; function NaN() {}"); } catch (e) {}
check(Object.getOwnPropertyDescriptor(globalThis, "evalVarNotCreated"), undefined, "no var when a function cannot be declared");
// `var arguments` does not hide the arguments object
check((function () { return typeof arguments; var arguments = 1; })(), "object", "var arguments is the arguments object");
check((function (a = 1) { var arguments; return typeof arguments; })(), "object", "var arguments starts with the object (parameter expressions)");
// strict code: a with binding deleted during the lookup is a ReferenceError
var withEnv = { gone: 0, get [Symbol.unscopables]() { delete withEnv.gone; return null; } };
var withErr = null;
with (withEnv) { try { (function () { "use strict"; return gone; })(); } catch (e) { withErr = e; } }
check(withErr instanceof ReferenceError, true, "deleted with binding in strict code");
print("vm_eval_scope ok");
