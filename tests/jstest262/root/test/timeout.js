/*---
description: never ends; the runner records TIMEOUT
---*/
for (;;) {}
