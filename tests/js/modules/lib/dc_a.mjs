// The async root of the cycle {a, b}: suspended until dc_unblock runs.
import { log, blocker, started } from './dc_setup.mjs';
import './dc_b.mjs';
log.push('a1'); started.resolve(); await blocker.promise; log.push('a2');
