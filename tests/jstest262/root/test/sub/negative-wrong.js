/*---
description: negative test that does not throw: fails
negative:
  phase: runtime
  type: TypeError
---*/
var x = 1;
