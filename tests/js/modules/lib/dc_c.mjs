import './dc_middle.mjs';
import './dc_unblock.mjs';
