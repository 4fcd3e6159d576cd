// Date (date.c): construction, time arithmetic, getters/setters, formatting, parsing.
// Independent of the host time zone: local-time checks go through getTimezoneOffset.
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

// Constructor forms
eq(typeof Date(), "string", "Date() is a string");
eq(typeof new Date(), "object", "new Date()");
eq(Date.length, 7, "Date.length");
eq(new Date(0).getTime(), 0, "new Date(0)");
eq(new Date(-0).getTime(), 0, "TimeClip(-0) is +0");
eq(new Date(1.9).getTime(), 1, "TimeClip truncates");
eq(new Date(8.64e15).getTime(), 8.64e15, "max time");
eq(new Date(8.64e15 + 1).getTime(), NaN, "beyond max time");
eq(new Date(NaN).getTime(), NaN, "NaN");
eq(new Date(new Date(1234)).getTime(), 1234, "copy a Date");
eq(new Date("1970-01-01T00:00:00.000Z").getTime(), 0, "string argument");
eq(new Date(true).getTime(), 1, "boolean argument");
eq(new Date({ valueOf() { return 42; } }).getTime(), 42, "valueOf");
eq(new Date(2020, 0).getFullYear(), 2020, "two arguments");
eq(new Date(99, 0).getFullYear(), 1999, "two-digit year");
eq(new Date(2020, 1, 29, 12, 30, 15, 500).getMilliseconds(), 500, "seven arguments");
eq(new Date(2020, 1, 30).getDate(), 1, "day overflow wraps into March");
eq(new Date(2020, 12, 1).getFullYear(), 2021, "month overflow");
eq(new Date(2020, -1, 1).getMonth(), 11, "negative month");
eq(new Date(2020, NaN).getTime(), NaN, "NaN month");
throws(TypeError, function () { new Date(Symbol()); }, "symbol argument");
var order = [];
new Date({ valueOf() { order.push("y"); return 2000; } }, { valueOf() { order.push("m"); return 0; } });
eq(order.join(), "y,m", "argument coercion order");

// Date.UTC and statics
eq(Date.UTC(1970, 0, 1), 0, "Date.UTC epoch");
eq(Date.UTC(2000), 946684800000, "Date.UTC year only");
eq(Date.UTC(), NaN, "Date.UTC()");
eq(Date.UTC(275760, 8, 13), 8.64e15, "Date.UTC max");
eq(Date.UTC(275760, 8, 13, 0, 0, 0, 1), NaN, "Date.UTC above max");
eq(Date.UTC(-271821, 3, 20), -8.64e15, "Date.UTC min");
eq(Date.UTC(2016, 1, 29, 23, 59, 59, 999), 1456790399999, "Date.UTC leap day");
eq(Date.UTC(1e20, 0), NaN, "Date.UTC huge year");
eq(typeof Date.now(), "number", "Date.now");

// UTC getters
var d = new Date(Date.UTC(2022, 1, 1, 13, 45, 30, 123));
eq(d.getUTCFullYear(), 2022, "getUTCFullYear");
eq(d.getUTCMonth(), 1, "getUTCMonth");
eq(d.getUTCDate(), 1, "getUTCDate");
eq(d.getUTCDay(), 2, "getUTCDay (Tuesday)");
eq(d.getUTCHours(), 13, "getUTCHours");
eq(d.getUTCMinutes(), 45, "getUTCMinutes");
eq(d.getUTCSeconds(), 30, "getUTCSeconds");
eq(d.getUTCMilliseconds(), 123, "getUTCMilliseconds");
eq(new Date(-1).getUTCFullYear(), 1969, "negative time year");
eq(new Date(-1).getUTCMilliseconds(), 999, "negative time ms");
eq(new Date(-62198755200000).getUTCFullYear(), -1, "year -1");
eq(new Date(NaN).getUTCDay(), NaN, "NaN getter");

// Local time is consistent with getTimezoneOffset
var off = d.getTimezoneOffset();
eq(d.getTime() - off * 60000 >= 0, true, "offset sane");
var local = new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
eq(local.getTime(), d.getTime(), "local fields round trip");
eq(new Date(0).getYear(), new Date(0).getFullYear() - 1900, "getYear");

// Setters
var s = new Date(Date.UTC(2000, 0, 31));
eq(s.setUTCMonth(1), Date.UTC(2000, 2, 2), "setUTCMonth overflow");
eq(s.setUTCFullYear(2001, 0, 1), Date.UTC(2001, 0, 1), "setUTCFullYear 3 args");
eq(s.setUTCHours(25), Date.UTC(2001, 0, 2, 1), "setUTCHours carries");
eq(s.setUTCMinutes(0, 0, 0), Date.UTC(2001, 0, 2, 1), "setUTCMinutes");
eq(s.setUTCSeconds(-1), Date.UTC(2001, 0, 2, 0, 59, 59), "setUTCSeconds negative");
eq(s.setUTCMilliseconds(1000), Date.UTC(2001, 0, 2, 1, 0, 0), "setUTCMilliseconds");
eq(s.setUTCDate(0), Date.UTC(2000, 11, 31, 1), "setUTCDate 0");
eq(s.setUTCHours(), NaN, "setUTCHours() is NaN");
eq(s.getTime(), NaN, "date became invalid");
eq(s.setUTCMinutes(1), NaN, "setter on invalid date");
eq(s.setUTCFullYear(2010), Date.UTC(2010, 0, 1), "setUTCFullYear revives NaN date");
eq(s.setTime(5), 5, "setTime");
eq(s.setTime(), NaN, "setTime()");
var calls = [];
var inv = new Date(NaN);
inv.setHours({ valueOf() { calls.push("h"); return 1; } }, { valueOf() { calls.push("m"); return 1; } });
eq(calls.join(), "h,m", "setter converts arguments even for NaN dates");
var l = new Date(2000, 0, 1);
l.setDate(15); eq(l.getDate(), 15, "setDate");
l.setMonth(5, 3); eq(l.getMonth() * 100 + l.getDate(), 503, "setMonth 2 args");
l.setFullYear(1999); eq(l.getFullYear(), 1999, "setFullYear");
l.setHours(10, 20, 30, 40); eq(l.getHours() * 1e6 + l.getMinutes() * 1e4 + l.getSeconds() * 100 + l.getMilliseconds(), 10203040, "setHours 4 args");
var y = new Date(2000, 0, 1);
y.setYear(95); eq(y.getFullYear(), 1995, "setYear two digits");
y.setYear(2005); eq(y.getFullYear(), 2005, "setYear four digits");
eq(y.setYear(NaN), NaN, "setYear NaN");
throws(TypeError, function () { Date.prototype.getTime.call({}); }, "getTime on non-Date");
throws(TypeError, function () { Date.prototype.setTime.call(Date.prototype, 1); }, "Date.prototype is not a Date");

// Formatting
var e = new Date(Date.UTC(2022, 1, 1, 0, 0, 0));
eq(e.toISOString(), "2022-02-01T00:00:00.000Z", "toISOString");
eq(e.toUTCString(), "Tue, 01 Feb 2022 00:00:00 GMT", "toUTCString");
eq(Date.prototype.toGMTString, Date.prototype.toUTCString, "toGMTString is toUTCString");
eq(e.toJSON(), "2022-02-01T00:00:00.000Z", "toJSON");
eq(new Date(NaN).toJSON(), null, "toJSON invalid");
eq(new Date(8.64e15).toISOString(), "+275760-09-13T00:00:00.000Z", "extended year");
eq(new Date(-8.64e15).toISOString(), "-271821-04-20T00:00:00.000Z", "negative extended year");
eq(new Date(-1).toISOString(), "1969-12-31T23:59:59.999Z", "before the epoch");
throws(RangeError, function () { new Date(NaN).toISOString(); }, "toISOString invalid");
eq(String(new Date(NaN)), "Invalid Date", "Invalid Date");
eq(new Date(NaN).toUTCString(), "Invalid Date", "toUTCString invalid");
// shape("Aaa 99", s): A upper, a lower, 9 digit, ± sign, anything else literal.
function shape(pat, s) {
    if (s.length < pat.length) return false;
    for (var i = 0; i < pat.length; i++) {
        var p = pat[i], c = s[i];
        if (p === "A" ? !(c >= "A" && c <= "Z") : p === "a" ? !(c >= "a" && c <= "z") :
            p === "9" ? !(c >= "0" && c <= "9") : p === "±" ? !(c === "+" || c === "-") : p !== c)
            return false;
    }
    return s.length === pat.length || s.substring(pat.length, pat.length + 2) === " (";
}
eq(shape("Aaa Aaa 99 9999 99:99:99 GMT±9999", e.toString()), true, "toString shape " + e.toString());
eq(shape("Aaa Aaa 99 9999", e.toDateString()), true, "toDateString shape");
eq(shape("99:99:99 GMT±9999", e.toTimeString()), true, "toTimeString shape");
eq(new Date(Date.UTC(-1, 0, 1)).toUTCString(), "Fri, 01 Jan -0001 00:00:00 GMT", "negative year in toUTCString");
eq(JSON.stringify({ d: new Date(0) }), '{"d":"1970-01-01T00:00:00.000Z"}', "JSON.stringify");
eq(Date.prototype.toJSON.call({ toISOString() { return "x"; } }), "x", "toJSON is generic");

// Symbol.toPrimitive
eq(typeof (new Date(0) + 1), "string", "+ uses the string hint");
eq(new Date(5) - 1, 4, "- uses the number hint");
eq(new Date(7)[Symbol.toPrimitive]("number"), 7, "@@toPrimitive number");
eq(typeof new Date(7)[Symbol.toPrimitive]("default"), "string", "@@toPrimitive default");
throws(TypeError, function () { new Date(7)[Symbol.toPrimitive]("bogus"); }, "@@toPrimitive bad hint");
throws(TypeError, function () { Date.prototype[Symbol.toPrimitive].call(1, "number"); }, "@@toPrimitive on primitive");

// Parsing
eq(Date.parse("1970-01-01"), 0, "date-only is UTC");
eq(Date.parse("1970-01-01T00:00:00"), new Date(0).getTimezoneOffset() * 60000, "date-time is local");
eq(Date.parse("1970-01-01T00:00:00Z"), 0, "Z");
eq(Date.parse("1970-01-01T01:00:00+01:00"), 0, "offset");
eq(Date.parse("2000-02"), Date.UTC(2000, 1), "year-month");
eq(Date.parse("2000"), Date.UTC(2000, 0), "year only");
eq(Date.parse("2000-01-01T00:00:00.5Z"), Date.UTC(2000, 0, 1, 0, 0, 0, 500), "one fraction digit");
eq(Date.parse("+275760-09-13T00:00:00.000Z"), 8.64e15, "max");
eq(Date.parse("+275760-09-13T00:00:00.001Z"), NaN, "above max");
eq(Date.parse("-000000-01-01T00:00:00Z"), NaN, "minus zero year");
eq(Date.parse("2019-02-29"), NaN, "no Feb 29 in 2019");
eq(Date.parse("2000-01-01T24:00:00Z"), Date.UTC(2000, 0, 2), "24:00");
eq(Date.parse("2000-01-01T24:00:01Z"), NaN, "24:00:01");
eq(Date.parse("Tue, 01 Feb 2022 00:00:00 GMT"), Date.UTC(2022, 1, 1), "toUTCString format");
eq(Date.parse("Tue Feb 01 2022 01:00:00 GMT+0100 (Central European Standard Time)"), Date.UTC(2022, 1, 1), "toString format");
eq(Date.parse("Mon, 25 Dec 1995 13:30:00 +0430"), Date.UTC(1995, 11, 25, 9, 0), "RFC 2822 offset");
eq(Date.parse("Dec 25, 1995 1:30 PM UTC"), Date.UTC(1995, 11, 25, 13, 30), "month name, PM");
eq(Date.parse("12/25/1995 UTC"), Date.UTC(1995, 11, 25), "m/d/y");
eq(Date.parse("1995/12/25 10:00 UTC"), Date.UTC(1995, 11, 25, 10), "y/m/d");
eq(Date.parse("December 17, 1995 03:24:00"), new Date(1995, 11, 17, 3, 24, 0).getTime(), "local legacy");
eq(Date.parse("garbage"), NaN, "garbage");
eq(Date.parse(""), NaN, "empty");
var z = new Date(0);
eq(Date.parse(z.toString()), 0, "parse(toString())");
eq(Date.parse(z.toUTCString()), 0, "parse(toUTCString())");
eq(Date.parse(z.toISOString()), 0, "parse(toISOString())");
var r = new Date(2023, 6, 4, 5, 6, 7);
eq(Date.parse(r.toString()), r.getTime(), "round trip local");

// Subclassing and prototype
class MyDate extends Date { constructor(v) { super(v); } get yr() { return this.getUTCFullYear(); } }
eq(new MyDate(0).yr, 1970, "subclass");
eq(Object.getPrototypeOf(Date.prototype), Object.prototype, "Date.prototype chain");
eq(Object.prototype.toString.call(new Date(0)), "[object Date]", "class string");
eq(Object.prototype.toString.call(Date.prototype), "[object Object]", "Date.prototype is ordinary");
