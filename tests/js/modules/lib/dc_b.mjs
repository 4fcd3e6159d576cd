// In the cycle with dc_a: EVALUATED while its cycle root still awaits.
import { log } from './dc_setup.mjs';
import './dc_a.mjs';
log.push('b');
