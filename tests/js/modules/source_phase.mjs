// Source phase imports: `import source x from` parses, and a JavaScript
// module (no [[ModuleSource]]) makes linking fail with a SyntaxError;
// `import source from` is still a default import named `source`.
function assert(c, m) { if (!c) throw new Error('assertion failed: ' + m); }
let err = null;
try { await import('./lib/source_import.mjs'); } catch (e) { err = e; }
assert(err instanceof SyntaxError, 'source import of a JS module: ' + err);
const named = await import('./lib/source_named.mjs');
assert(named.kind === 'string', 'default import named source: ' + named.kind);
