/*---
description: the host hook aborts the worker; the runner records CRASH and goes on
---*/
$262.abort();
