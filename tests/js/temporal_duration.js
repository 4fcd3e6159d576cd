// Temporal.Duration round/total/compare relative to a date or a zoned date-time:
// exact totals, the rounding window, zoned time rounding and the range limits.
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}
var D = Temporal.Duration;

// total() is the exactly rounded quotient, not a sum of rounded parts.
eq(D.from({ hours: 7825, nanoseconds: 1865665040770 }).total("hours"), 7825.518240289103, "total hours, one rounding");
eq(D.from({ milliseconds: 2 ** 53, microseconds: 1999 }).total("milliseconds"), 9007199254740994, "total ms past 2**53");
eq(new D(0, 0, 0, 0, 0, 0, 8692288669465520, 0, 0, 321414345).total("nanoseconds"),
   Number(8692288669465520321414345n), "total ns of a huge duration");
eq(new D(0, 0, 5, 5).total({ unit: "months", relativeTo: "1972-01-31" }), 1.3548387096774193, "months total, one rounding");

// A constrained month end moves the rounding window one unit on.
var feb29 = new Temporal.PlainDate(2020, 2, 29);
eq(new D(1, 0, 0, 0, 1).total({ unit: "years", relativeTo: feb29 }), 1.0001141552511414, "total across a constrained Feb 29");
eq(new D(1, 0, 0, 0, 1).round({ smallestUnit: "years", relativeTo: feb29 }).toString(), "P1Y", "round across a constrained Feb 29");
eq(new D(0, 1, 0, 0, 10).round({ smallestUnit: "months", roundingMode: "expand", relativeTo: new Temporal.PlainDate(2020, 1, 31) }).toString(),
   "P2M", "expand past a constrained Jan 31");

// A zoned relativeTo rounds time units within the last day, days kept apart.
var opts = { smallestUnit: "hours", roundingIncrement: 8, roundingMode: "halfEven" };
var d = new D(0, 0, 0, 3, 12);
eq(d.round(opts).toString(), "P3DT8H", "halfEven without relativeTo");
eq(d.round(Object.assign({ relativeTo: new Temporal.PlainDate(1970, 1, 1) }, opts)).toString(), "P3DT8H", "halfEven, plain relativeTo");
eq(d.round(Object.assign({ relativeTo: new Temporal.ZonedDateTime(0n, "UTC") }, opts)).toString(), "P3DT16H", "halfEven, zoned relativeTo");

// Intermediate results past the limits are RangeErrors.
var rel = new Temporal.PlainDate(2000, 1, 1);
throws(RangeError, function () { D.compare(new D(0, 0, 1, Math.trunc(2 ** 53 / 86400)), new D(), { relativeTo: rel }); }, "compare: weeks + days too long");
throws(RangeError, function () { D.compare(D.from({ years: 1, seconds: 2 ** 53 - 1 }), D.from({ years: 2 }), { relativeTo: rel }); }, "compare: days + time too long");
var last = new Temporal.ZonedDateTime(864n * 10n ** 19n, "UTC");
throws(RangeError, function () { D.compare(new D(0, 0, 0, 1), new D(), { relativeTo: last }); }, "compare: zoned target out of range");
throws(RangeError, function () { new D(0, 0, 0, 0, 0, 0, 0, 0, 0, 1).total({ unit: "nanoseconds", relativeTo: last }); }, "total: zoned target out of range");
throws(RangeError, function () { new D().round({ largestUnit: "days", smallestUnit: "minutes", relativeTo: last }); }, "round: next day out of range");
throws(RangeError, function () { new D().total({ unit: "days", relativeTo: "+275760-09-12T00:00:01+00:00[UTC]" }); }, "total: day window out of range");
eq(new D().total({ unit: "days", relativeTo: "+275760-09-12T00:00:00+00:00[UTC]" }), 0, "total: last whole day");
eq(new D().round({ smallestUnit: "minutes", relativeTo: "+275760-09-13T00:00Z[UTC]" }).toString(), "PT0S", "round: zero at the last instant");
throws(RangeError, function () { new D(0, 0, 0, 0, 0, 5).round({ smallestUnit: "minutes", relativeTo: "+275760-09-13T00:00Z[UTC]" }); }, "round: past the last instant");

// ZonedDateTime differences round the same way.
var z0 = new Temporal.ZonedDateTime(0n, "UTC");
eq(z0.until(new Temporal.ZonedDateTime(86400n * 10n ** 9n * 10n + 3600n * 10n ** 9n, "UTC"), { largestUnit: "days", smallestUnit: "days", roundingMode: "ceil" }).toString(),
   "P11D", "zoned until rounds days");
throws(RangeError, function () { z0.until(new Temporal.ZonedDateTime(5n, "UTC"), { largestUnit: "days", smallestUnit: "days", roundingIncrement: 1e8 + 1, roundingMode: "ceil" }); },
       "zoned until: rounding window past the limits");
