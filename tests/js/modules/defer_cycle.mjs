// import defer and an async cycle in flight (IsModuleSCCEvaluated): a module
// deferring d, whose dependency b is EVALUATED but whose cycle root a still
// awaits, runs only after a finishes; d itself is evaluated on first use.
import { log, started } from './lib/dc_setup.mjs';
function assert(c, m) { if (!c) throw new Error('assertion failed: ' + m); }
const pa = import('./lib/dc_a.mjs');
await started.promise;
await Promise.all([pa, import('./lib/dc_c.mjs')]);
assert(log.join() === 'b,a1,unblock,a2,m1,d,z1,m2', 'order: ' + log.join());
