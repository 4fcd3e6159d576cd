// Classes: inheritance, super, fields, private names, static blocks, accessors.
function check(actual, expected, what) {
    if (actual !== expected) throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
}
class A {
    #x = 5;
    static count = 0;
    constructor(y) { this.y = y; A.count++; }
    get x() { return this.#x; }
    static s() { return "S"; }
    m() { return this.y; }
}
class B extends A {
    z = this.y * 2;
    constructor() { super(7); this.w = 3; }
    m() { return super.m() + 1; }
}
var b = new B();
check(b.x, 5, "private field through getter");
check(b.y, 7, "super() arguments");
check(b.z, 14, "field initializer sees this after super");
check(b.m(), 8, "super method call");
check(A.s(), "S", "static method");
check(b instanceof A, true, "instanceof");
check(A.count, 1, "static field");
class C {
    static #p = 1;
    #m() { return "pm"; }
    get #a() { return "ga"; }
    set #a(v) { this.log = v; }
    static { C.blk = C.#p + 1; }
    test() { this.#a = 5; return [this.#m(), this.#a, this.log, #m in this, C.blk].join(); }
}
check(new C().test(), "pm,ga,5,true,2", "private methods and accessors");
var threw = false;
try { C(); } catch (e) { threw = e instanceof TypeError; }
check(threw, true, "class constructor call throws");
class D extends null { constructor() { return Object.create(D.prototype); } }
check(Object.getPrototypeOf(D.prototype), null, "extends null");
var E = class { static name2() { return E.name; } };
check(E.name2(), "E", "class name from binding");
class F { ["comp" + "uted"]() { return 1; } static get g() { return 2; } }
check(new F().computed(), 1, "computed method");
check(F.g, 2, "static getter");
class G extends Array {}
var g = new G();
g.push(1, 2);
check(g.length, 2, "subclass builtin");
class H { constructor() { this.arrow = () => this; } }
var h = new H();
check(h.arrow(), h, "arrow this in constructor");
class I extends A { constructor() { var f = () => super(1); f(); } }
check(new I().y, 1, "super() inside arrow");
// auto-accessors: private storage behind a getter/setter pair
class Auto {
    accessor x = 1;
    static accessor s = "st";
    accessor #p = 5;
    getP() { return this.#p; }
    setP(v) { this.#p = v; }
    accessor
    plain = 3;   // a field named `accessor`, then a field `plain`
}
var au = new Auto();
check(au.x, 1, "accessor initial value");
au.x = 10;
check(au.x, 10, "accessor setter");
check(new Auto().x, 1, "storage is per instance");
check(Auto.s, "st", "static accessor");
au.setP(7);
check(au.getP(), 7, "private accessor");
check(Object.keys(au).join(), "accessor,plain", "storage is not a property");
var axd = Object.getOwnPropertyDescriptor(Auto.prototype, "x");
check(typeof axd.get + typeof axd.set + axd.enumerable, "functionfunctionfalse", "accessor pair on the prototype");
var axErr = null;
try { axd.get.call({}); } catch (e) { axErr = e; }
check(axErr instanceof TypeError, true, "getter on an object without the storage");
var akCount = 0;
function akKey() { akCount++; return "k" + akCount; }
class AutoComputed { accessor [akKey()] = 1; static accessor [akKey()] = 2; }
check(akCount, 2, "computed auto-accessor names are evaluated once");
check(new AutoComputed().k1 + AutoComputed.k2, 3, "computed auto-accessors");
print("vm_classes ok");
