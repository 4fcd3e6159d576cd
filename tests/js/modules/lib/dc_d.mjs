// Deferred; its only dependency is dc_b.
import { log } from './dc_setup.mjs';
import './dc_b.mjs';
log.push('d');
export const z = 1;
