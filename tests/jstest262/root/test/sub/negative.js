/*---
description: parse-phase negative test
negative:
  phase: parse
  type: SyntaxError
---*/
$DONOTEVALUATE();
var = ;
