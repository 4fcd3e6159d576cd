// Minimal stand-in for test262's harness/assert.js, for the runner's own tests.
function Test262Error(message) { this.message = message || ""; }
Test262Error.prototype.toString = function () { return "Test262Error: " + this.message; };
var assert = function (v, m) { if (v !== true) throw new Test262Error(m || "expected true"); };
assert.sameValue = function (a, b, m) { if (a !== b) throw new Test262Error(m || (a + " !== " + b)); };
