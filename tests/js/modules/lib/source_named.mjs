// Fixture for source_phase.mjs: `source` as an ordinary default binding.
import source from './star_a.mjs';
export const kind = typeof source;
