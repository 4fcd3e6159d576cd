// Fixture for source_phase.mjs: a source phase import of a JavaScript module,
// which has no source representation (linking throws a SyntaxError).
import source counterSource from './star_a.mjs';
export { counterSource };
