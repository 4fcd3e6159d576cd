// Minimal stand-in for test262's harness/sta.js.
function $DONOTEVALUATE() { throw "Test262: This statement should not be evaluated."; }
