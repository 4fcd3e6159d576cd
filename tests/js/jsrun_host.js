// jsrun's host globals: print, console.*, scriptArgs (issue 2).
function assert(cond, what) { if (!cond) throw new Error("assertion failed: " + what); }
assert(typeof print === "function", "print is a function");
assert(print.length === 1, "print.length");
assert(typeof console === "object", "console is an object");
for (const m of ["log", "info", "debug", "error", "warn"])
    assert(typeof console[m] === "function", "console." + m);
assert(Array.isArray(scriptArgs), "scriptArgs is an array");
assert(scriptArgs[0].indexOf("jsrun_host.js") >= 0, "scriptArgs[0] is the script");
assert(print("jsrun_host: print works") === undefined, "print returns undefined");
console.log("jsrun_host:", "console.log", 42);
assert(!Object.getOwnPropertyDescriptor(globalThis, "print").enumerable, "print is not enumerable");
