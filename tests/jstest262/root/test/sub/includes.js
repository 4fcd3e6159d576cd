/*---
description: includes in block form
includes:
  - extra.js
flags: [onlyStrict]
---*/
assert.sameValue(fromInclude, 42);
