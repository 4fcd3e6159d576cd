// helper for live-binding and cycle tests (not run by itself)
import { fromMain } from '../basic.mjs';
export let count = 0;
export function inc() { count++; }
export default function () { return 'anon'; }
export { count as aliased, inc as 'string name' };
export const early = typeof fromMain;
