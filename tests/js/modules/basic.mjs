// Static imports, live bindings, cycles, namespaces, default exports.
import counter, { count, inc, aliased, 'string name' as inc2, early } from './lib/counter.mjs';
import * as ns from './lib/counter.mjs';
export function fromMain() { return 1; }

function assert(c, m) { if (!c) throw new Error('assertion failed: ' + m); }

assert(early === 'function', 'hoisted function visible through a cycle before evaluation');
assert(count === 0 && aliased === 0, 'initial value');
inc(); inc2();
assert(count === 2 && aliased === 2 && ns.count === 2, 'live binding');
assert(counter() === 'anon' && counter.name === 'default', 'anonymous default function');
let threw = false;
try { count = 5; } catch (e) { threw = e instanceof TypeError; }
assert(threw, 'import bindings are immutable');

// namespace object
assert(Object.getPrototypeOf(ns) === null, 'null prototype');
assert(ns[Symbol.toStringTag] === 'Module', 'toStringTag');
assert(JSON.stringify(Object.keys(ns)) === '["aliased","count","default","early","inc","string name"]', 'sorted keys: ' + Object.keys(ns));
assert(!Object.isExtensible(ns) && Object.isFrozen(ns) === false, 'non-extensible, not frozen');
assert(Reflect.set(ns, 'count', 1) === false, 'set fails');
assert(Reflect.deleteProperty(ns, 'count') === false && Reflect.deleteProperty(ns, 'nope') === true, 'delete');
const d = Object.getOwnPropertyDescriptor(ns, 'count');
assert(d.value === 2 && d.writable && d.enumerable && !d.configurable, 'descriptor');
assert(Reflect.defineProperty(ns, 'count', { value: 2 }) === true, 'define same value');
assert(Reflect.defineProperty(ns, 'count', { value: 3 }) === false, 'define other value');
assert('inc' in ns && !('nope' in ns), 'has');
assert(typeof import.meta === 'object' && Object.getPrototypeOf(import.meta) === null, 'import.meta');
assert(import.meta === import.meta, 'import.meta identity');
assert(this === undefined, 'module this');
