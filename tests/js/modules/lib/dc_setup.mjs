// Shared state of defer_cycle.mjs.
export const log = [];
export const blocker = Promise.withResolvers();
export const started = Promise.withResolvers();
