/*---
description: fails
---*/
assert.sameValue(1 + 1, 3, "arithmetic is broken");
