// jsrun-flags: --test262-host
// Host-defined module sources (jse_define_source_module; the test262 host
// defines "<module source>"): import source, import.source(), and source
// bindings re-exported through named imports, namespaces and star exports.
import source src from '<module source>';
import { src as re, src2 } from './lib/source_reexport.mjs';
import * as ns from './lib/source_reexport.mjs';
import { src as starred } from './lib/source_star.mjs';
import * as host from '<module source>';
function assert(c, m) { if (!c) throw new Error('assertion failed: ' + m); }
const AMS = $262.AbstractModuleSource;
assert(typeof src === 'object' && src instanceof AMS, 'source is an AbstractModuleSource');
assert(Object.getPrototypeOf(Object.getPrototypeOf(src)) === AMS.prototype, 'prototype chain');
assert(Object.prototype.toString.call(src) === '[object TestModuleSource]', 'class name tag');
assert(re === src && src2 === src && starred === src, 'named imports of re-exports');
assert(ns.src === src && ns.src2 === src, 'namespace [[Get]]');
assert(Object.keys(ns).join() === 'src,src2', 'namespace keys: ' + Object.keys(ns));
const d = Object.getOwnPropertyDescriptor(ns, 'src');
assert(d.value === src && d.writable && d.enumerable && !d.configurable, 'namespace descriptor');
assert(Object.keys(host).length === 0, 'the host module has no exports');
assert(await import.source('<module source>') === src, 'import.source() of the host module');
const dyn = await import('./lib/source_reexport.mjs');
assert(dyn === ns, 'dynamic import gives the same namespace');
let err = null;
try { await import.source('./lib/counter.mjs'); } catch (e) { err = e; }
assert(err instanceof SyntaxError, 'import.source() of a JS module: ' + err);
