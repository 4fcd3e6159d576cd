// Error, NativeErrors, AggregateError, SuppressedError (lib/builtins/error.c).
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
var e = new Error("m", { cause: 0 });
eq(e.message, "m", "message");
eq(e.cause, 0, "cause");
eq(Object.getOwnPropertyDescriptor(e, "message").enumerable, false, "message not enumerable");
eq(Error("x") instanceof Error, true, "Error() as function");
eq("cause" in new Error("m", {}), false, "no cause");
eq(String(new TypeError("t")), "TypeError: t", "toString");
eq(Object.getPrototypeOf(RangeError), Error, "NativeError proto");
eq(RangeError.prototype.name, "RangeError", "name");
eq(RangeError.prototype.message, "", "message default");
eq(Object.prototype.hasOwnProperty.call(RangeError.prototype, "toString"), false, "no own toString");
var a = new AggregateError([1, 2], "agg");
eq(a.errors.length, 2, "errors");
eq(a.message, "agg", "agg message");
eq(AggregateError.length, 2, "AggregateError.length");
var s = new SuppressedError(1, 2, "sup");
eq(s.error, 1, "suppressed error");
eq(s.suppressed, 2, "suppressed");
eq(SuppressedError.length, 3, "SuppressedError.length");
eq(Error.isError(e), true, "isError");
eq(Error.isError({ __proto__: Error.prototype }), false, "isError fake");
eq(Error.prototype.toString.call({ name: "", message: "only" }), "only", "empty name");
class MyErr extends Error {}
eq(new MyErr("q") instanceof MyErr, true, "subclass");
eq(new MyErr("q").message, "q", "subclass message");
try { null.x; } catch (err) { eq(err instanceof TypeError, true, "engine TypeError"); }
try { undefinedVariable; } catch (err) { eq(err.constructor, ReferenceError, "engine ReferenceError"); }
// Error.prototype.stack accessor (error-stack-accessor): no own "stack" on instances.
var sd = Object.getOwnPropertyDescriptor(Error.prototype, "stack");
eq(sd.get.name, "get stack", "stack getter name");
eq(sd.set.length, 1, "stack setter length");
var se = new RangeError("r");
eq(Object.prototype.hasOwnProperty.call(se, "stack"), false, "no own stack");
eq(typeof se.stack, "string", "stack is a string");
eq(sd.get.call({}), undefined, "stack getter on non-error");
se.stack = "custom";
eq(Object.getOwnPropertyDescriptor(se, "stack").value, "custom", "stack setter makes own property");
try { sd.set.call(se, 1); throw new Error("no throw"); } catch (x) { eq(x instanceof TypeError, true, "stack setter non-string"); }
