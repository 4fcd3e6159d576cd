// Both star exports resolve `src` to the same module's ~source~: unambiguous.
export * from './source_reexport.mjs';
export * from './source_reexport2.mjs';
