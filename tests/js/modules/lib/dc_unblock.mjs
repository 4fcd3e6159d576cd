// Lets dc_a finish.
import { log, blocker } from './dc_setup.mjs';
log.push('unblock'); blocker.resolve();
