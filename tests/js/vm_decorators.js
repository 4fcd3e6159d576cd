// Decorators (proposal-decorators): lib/compiler/parser_class.c,
// codegen_class.c and lib/vm/decorators.c.
function assert(c, what) { if (!c) throw new Error("assertion failed: " + what); }
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}
function syntaxError(src, what) { throws(SyntaxError, function () { new Function(src); }, what); }

// ---- the context object of each kind ----
var seen = {};
function record(v, ctx) {
    var key = ctx.kind + ":" + String(ctx.name);
    seen[key] = { v: v, ctx: ctx };
}
@record class K {
    @record m() { return "m"; }
    @record static sm() {}
    @record get g() { return 1; }
    @record set g(v) {}
    @record #pm() { return "pm"; }
    @record f = 1;
    @record static sf;
    @record #pf = 2;
    @record accessor a = 3;
    @record static accessor #sa = 4;
    @record [Symbol.iterator]() {}
    static callPm(o) { return o.#pm(); }
}
eq(seen["class:K"].v, K, "class value");
eq(seen["class:K"].ctx.name, "K", "class name");
assert(!("static" in seen["class:K"].ctx) && !("access" in seen["class:K"].ctx), "class context has no static/access");
eq(typeof seen["method:m"].v, "function", "method value");
eq(seen["method:m"].v.name, "m", "method keeps its name");
eq(seen["method:m"].ctx.static, false, "method static");
eq(seen["method:m"].ctx.private, false, "method private");
eq(seen["method:sm"].ctx.static, true, "static method");
eq(seen["getter:g"].v.name, "get g", "getter value");
eq(seen["setter:g"].v.name, "set g", "setter value");
eq(seen["method:#pm"].ctx.private, true, "private method");
eq(seen["method:#pm"].v.name, "#pm", "private method name");
eq(seen["field:f"].v, undefined, "field value");
eq(seen["field:sf"].ctx.static, true, "static field");
eq(seen["field:#pf"].ctx.private, true, "private field");
eq(seen["accessor:a"].ctx.kind, "accessor", "accessor kind");
eq(typeof seen["accessor:a"].v.get, "function", "accessor value get");
eq(typeof seen["accessor:a"].v.set, "function", "accessor value set");
eq(seen["accessor:#sa"].ctx.static && seen["accessor:#sa"].ctx.private, true, "static private accessor");
eq(seen["method:Symbol(Symbol.iterator)"].ctx.name, Symbol.iterator, "symbol name");
eq(seen["method:m"].ctx.metadata, seen["class:K"].ctx.metadata, "one metadata object per class");
eq(K[Symbol.metadata], seen["class:K"].ctx.metadata, "Symbol.metadata on the class");
eq(Object.getPrototypeOf(K[Symbol.metadata]), null, "base metadata has a null prototype");

// access objects: which functions each kind gets, and that they work
var acc = seen["method:m"].ctx.access;
assert("get" in acc && !("set" in acc) && "has" in acc, "method access");
acc = seen["getter:g"].ctx.access;
assert("get" in acc && !("set" in acc), "getter access");
acc = seen["setter:g"].ctx.access;
assert(!("get" in acc) && "set" in acc, "setter access");
var k = new K();
eq(seen["method:m"].ctx.access.get(k)(), "m", "method access.get");
eq(seen["method:#pm"].ctx.access.get(k).call(k), "pm", "private method access.get");
eq(seen["method:#pm"].ctx.access.has(k), true, "private access.has");
eq(seen["method:#pm"].ctx.access.has({}), false, "private access.has on another object");
throws(TypeError, function () { seen["method:#pm"].ctx.access.get({}); }, "private access.get brand check");
eq(seen["field:#pf"].ctx.access.get(k), 2, "private field get");
seen["field:#pf"].ctx.access.set(k, 20);
eq(seen["field:#pf"].ctx.access.get(k), 20, "private field set");
seen["field:f"].ctx.access.set(k, 9);
eq(k.f, 9, "public field set");
eq(seen["field:f"].ctx.access.has(k), true, "public has");
eq(seen["accessor:a"].ctx.access.get(k), 3, "accessor access.get");
eq(seen["accessor:#sa"].ctx.access.get(K), 4, "static private accessor access.get");
throws(TypeError, function () { seen["field:f"].ctx.access.has(1); }, "has on a primitive");
throws(TypeError, function () { seen["class:K"].ctx.addInitializer(function () {}); }, "addInitializer after the decorator returned");

// ---- order of evaluation and application ----
var log = [];
function tag(name) {
    log.push("eval " + name);
    return function (v, ctx) {
        log.push("apply " + name);
        if (ctx.kind === "field") return function (x) { log.push("init " + name); return x + name; };
    };
}
function key(name) { log.push("key " + name); return name; }
@tag("c1") @tag("c2") class Order {
    @tag("m1") @tag("m2") [key("m")]() {}
    @tag("s") static [key("s")]() {}
    @tag("f1") @tag("f2") f = "";
    @tag("sf") static sf = "";
}
eq(log.join(), "eval c1,eval c2,eval m1,eval m2,key m,eval s,key s,eval f1,eval f2,eval sf," +
   "apply s,apply m2,apply m1,apply sf,apply f2,apply f1,apply c2,apply c1,init sf", "evaluation and application order");
log = [];
eq(new Order().f, "f1f2", "field initializers: outermost decorator's first");
eq(log.join(), "init f1,init f2", "field initializer order");

// ---- replacement ----
function double(v, ctx) {
    if (ctx.kind === "field") return function (x) { return x * 2; };
    if (ctx.kind === "accessor") return { get: function () { return v.get.call(this) * 2; }, init: function (x) { return x + 1; } };
    return function () { return v.apply(this, arguments) * 2; };
}
class R {
    @double m(x) { return x; }
    @double static s() { return 5; }
    @double get g() { return 3; }
    @double #p() { return 4; }
    @double f = 10;
    @double accessor a = 1;
    p() { return this.#p(); }
}
var r = new R();
eq(r.m(21), 42, "method replaced");
eq(R.s(), 10, "static method replaced");
eq(r.g, 6, "getter replaced");
eq(r.p(), 8, "private method replaced");
eq(r.f, 20, "field initializer");
eq(r.a, 4, "accessor get replaced and init applied");
r.a = 7;
eq(r.a, 14, "accessor set kept");

function wrap(C, ctx) {
    return class extends C { static wrapped = true; };
}
@wrap class W { static self() { return W; } }
eq(W.wrapped, true, "class replaced");
eq(W.self(), W, "inner binding is the replacement");
var Anon = @((c, ctx) => { log.push(String(ctx.name)); }) class {};
eq(log[log.length - 1], "Anon", "anonymous class gets the binding's name");

// ---- bad return values ----
throws(TypeError, function () { class X { @((v, c) => 1) m() {} } }, "method decorator returning a number");
throws(TypeError, function () { class X { @((v, c) => ({})) f; } }, "field decorator returning an object");
throws(TypeError, function () { class X { @((v, c) => 1) accessor a; } }, "accessor decorator returning a number");
throws(TypeError, function () { class X { @((v, c) => ({ init: 1 })) accessor a; } }, "accessor init not callable");
throws(TypeError, function () { @((v, c) => 1) class X {} }, "class decorator returning a number");
throws(TypeError, function () { class X { @((v, c) => { c.addInitializer(1); }) m() {} } }, "addInitializer(non-callable)");
throws(ReferenceError, function () { @D class D {} }, "a class decorator cannot see its own binding");

// ---- addInitializer timing ----
log = [];
function init(name) {
    return function (v, ctx) { ctx.addInitializer(function () { log.push(name + ":" + (typeof this)); }); };
}
@init("class") class I {
    @init("method") m() {}
    @init("static") static s() {}
    @init("field") f = log.push("f");
    static sf = log.push("sf");
    constructor() { log.push("ctor"); }
}
eq(log.join(), "static:function,sf,class:function", "static and class initializers");
log = [];
new I();
eq(log.join(), "method:object,f,field:object,ctor", "instance initializers");

// ---- metadata ----
class M1 { @((v, c) => { c.metadata.a = 1; }) x; }
class M2 extends M1 { @((v, c) => { c.metadata.b = 2; }) y; }
eq(M2[Symbol.metadata].a, 1, "metadata inherits");
eq(M2[Symbol.metadata].b, 2, "own metadata");
eq(Object.getPrototypeOf(M2[Symbol.metadata]), M1[Symbol.metadata], "metadata prototype");
eq(M1[Symbol.metadata].b, undefined, "parent metadata untouched");
var d = Object.getOwnPropertyDescriptor(M1, Symbol.metadata);
eq(d.enumerable, false, "metadata not enumerable");
eq(d.configurable, true, "metadata configurable");
assert(!Object.getOwnPropertySymbols(class {}).length, "undecorated classes get no metadata");
eq(typeof Symbol.metadata, "symbol", "Symbol.metadata");

// ---- grammar ----
var o = { d: function () {}, e: { f: function () {} }, g: function () { return function () {}; } };
class G1 { @o.d @o.e.f @o.g() @(o.d) m() {} }
var C2 = class { @o.d static #x; };
syntaxError("@o.d() .e class A {}", "call then member");
syntaxError("@o[0] class A {}", "computed member");
syntaxError("class A { @o.d constructor() {} }", "decorated constructor");
syntaxError("class A { @o.d static {} }", "decorated static block");
syntaxError("@o.d function f() {}", "decorated function");
syntaxError("@o.d let x;", "decorated let");
syntaxError("class A { @o.d }", "decorator without an element");
syntaxError("if (1) @o.d class A {}", "class declaration in a statement position");
eq(typeof (@o.d class {}), "function", "class expression");

// ---- decorators are called with the this value of their reference ----
log = [];
var holder = {
    d: function (v, ctx) { log.push(this === holder); },
    inner: { f: function (v, ctx) { log.push(this === holder.inner); } },
    make: function () { return function (v, ctx) { "use strict"; log.push(this === undefined); }; }
};
function plain(v, ctx) { "use strict"; log.push(this === undefined); }
class Recv {
    static #pd(v, ctx) { log.push(this === Recv); }
    @holder.d m() {}
    @holder.inner.f n() {}
    @(holder.d) p() {}
    @holder.make() q() {}
    @plain r() {}
    static { class Inner { @Recv.#pd x; } }
}
eq(log.join(), "true,true,true,true,true,true", "decorator receivers");
