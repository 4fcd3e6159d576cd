// export * ambiguity, export * as ns, JSON modules, TLA, errors, dynamic import.
import * as star from './lib/star.mjs';
import data from './lib/data.json' with { type: 'json' };
import { value } from './lib/tla.mjs';

function assert(c, m) { if (!c) throw new Error('assertion failed: ' + m); }

assert(!('shared' in star), 'ambiguous star export is left out of the namespace');
assert(star.onlyA === 1 && star.onlyB === 2, 'star exports');
assert(!('default' in star), 'export * skips default');
assert(star.nsA.default === 'a-default', 'export * as ns');
assert(data.name === 'jsengine' && data.list.length === 3, 'JSON module');
assert(value === 'after', 'top-level await finished before the importer ran');

const results = [];
await import('./lib/bad_import.mjs').then(() => results.push('resolved'), e => results.push(e.constructor.name));
await import('./lib/throws.mjs').then(() => results.push('resolved'), e => results.push(e.constructor.name));
await import('./lib/throws.mjs').then(() => results.push('resolved'), e => results.push(e.constructor.name));
await import('./lib/missing.mjs').then(() => results.push('resolved'), e => results.push(e.constructor.name));
await import('./lib/data.json').then(() => results.push('resolved'), e => results.push(e.constructor.name));
await import('./lib/data.json', { with: { type: 'css' } }).then(() => results.push('resolved'), e => results.push(e.constructor.name));
await import('./lib/data.json', 1).then(() => results.push('resolved'), e => results.push(e.constructor.name));
const m = await import('./lib/data.json', { with: { type: 'json' } });
assert(m.default === data, 'same JSON module instance');
const s2 = await import('./lib/star.mjs');
assert(s2 === star, 'same namespace from dynamic import');
assert(results.join() === 'SyntaxError,RangeError,RangeError,TypeError,SyntaxError,TypeError,TypeError', results.join());
