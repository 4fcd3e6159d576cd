export * from './star_a.mjs';
export * from './star_b.mjs';
export * as nsA from './star_a.mjs';
