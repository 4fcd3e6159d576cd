/*---
description: fails only in strict mode, so the file fails
---*/
(function () { if (this === undefined) throw new Test262Error("strict"); })();
