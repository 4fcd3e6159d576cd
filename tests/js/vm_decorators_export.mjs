// Decorators with export (proposal-decorators): `export @dec class`,
// `@dec export class` and `export default @dec class`.
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
const seen = [];
function dec(C, ctx) { seen.push(ctx.name); return class extends C { static decorated = ctx.name; }; }

export @dec class A {}
@dec export class B {}
export default @dec class {}

eq(A.decorated, "A", "export @dec class");
eq(B.decorated, "B", "@dec export class");
eq(seen.join(), "A,B,default", "decorators ran, in order");
const self = await import("./vm_decorators_export.mjs");
eq(self.A, A, "exported binding is the decorated class");
eq(self.default.decorated, "default", "export default @dec class");
