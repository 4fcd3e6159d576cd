// Defers dc_d: must wait for the whole cycle {a, b}, then evaluate d on use.
import { log } from './dc_setup.mjs';
import defer * as d from './dc_d.mjs';
log.push('m1'); log.push('z' + d.z); log.push('m2');
