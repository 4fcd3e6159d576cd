// Temporal plain types and Duration (lib/builtins/temporal/).
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var d = new Temporal.PlainDate(2024, 2, 29);
eq(d.toString(), "2024-02-29", "PlainDate toString");
eq(d.dayOfWeek, 4, "dayOfWeek");
eq(d.monthCode, "M02", "monthCode");
eq(d.add({ years: 1 }).toString(), "2025-02-28", "constrain on add");
throws(RangeError, function () { d.add({ years: 1 }, { overflow: "reject" }); }, "reject on add");
eq(Temporal.PlainDate.from("2020-01-31").until("2021-03-01", { largestUnit: "year" }).toString(), "P1Y1M1D", "until");
eq(Temporal.PlainDate.from("2020-01-31").since("2021-03-01", { largestUnit: "month", smallestUnit: "month", roundingMode: "halfExpand" }).toString(), "-P13M", "since rounded");
eq(d.toString({ calendarName: "critical" }), "2024-02-29[!u-ca=iso8601]", "calendarName");
throws(RangeError, function () { Temporal.PlainDate.from("2020-01-01[u-ca=hebrew]"); }, "non-ISO calendar");
throws(TypeError, function () { d.valueOf(); }, "valueOf");
throws(TypeError, function () { Temporal.PlainDate(2020, 1, 1); }, "call without new");
eq(Temporal.PlainDate.compare("2020-01-01", { year: 2019, month: 12, day: 31 }), 1, "compare");

var t = Temporal.PlainTime.from("12:34:56.789");
eq(t.round({ smallestUnit: "second" }).toString(), "12:34:57", "PlainTime round");
eq(t.toString({ fractionalSecondDigits: 1 }), "12:34:56.7", "fractionalSecondDigits");
eq(t.add({ hours: 12 }).toString(), "00:34:56.789", "time wraps");
throws(RangeError, function () { Temporal.PlainTime.from("1214"); }, "ambiguous time string");

var dt = Temporal.PlainDateTime.from("2020-01-01T23:59:59.9");
eq(dt.round("second").toString(), "2020-01-02T00:00:00", "PlainDateTime round carries");
eq(Temporal.PlainDateTime.from("2020-01-01T12:00").until("2020-01-02T06:00").toString(), "PT18H", "datetime until");

var ym = Temporal.PlainYearMonth.from("2019-11");
eq(ym.add({ months: 3 }).toString(), "2020-02", "year-month add");
throws(RangeError, function () { ym.add({ days: 1 }); }, "year-month rejects days");
eq(Temporal.PlainMonthDay.from({ monthCode: "M02", day: 29 }).toString(), "02-29", "month-day");

var du = Temporal.Duration.from("P1Y2M3W4DT5H6M7.123456789S");
eq(du.toString(), "P1Y2M3W4DT5H6M7.123456789S", "duration round trip");
eq(new Temporal.Duration().toString(), "PT0S", "blank duration");
eq(du.negated().sign, -1, "negated sign");
eq(Temporal.Duration.from({ hours: 25 }).round({ largestUnit: "day" }).toString(), "P1DT1H", "balance to days");
eq(Temporal.Duration.from({ hours: 25 }).total("minute"), 1500, "total");
eq(Temporal.Duration.from({ months: 1 }).total({ unit: "day", relativeTo: "2020-02-01" }), 29, "total relativeTo");
throws(RangeError, function () { Temporal.Duration.from({ months: 1 }).total("day"); }, "calendar units need relativeTo");
throws(RangeError, function () { new Temporal.Duration(1, -1); }, "mixed signs");
eq(Temporal.Duration.compare({ days: 1 }, { hours: 24 }), 0, "compare days and hours");

// Times and instants carry no calendar: a u-ca annotation in their strings is not resolved.
eq(Temporal.PlainTime.from("12:34:56[u-ca=hebrew]").toString(), "12:34:56", "PlainTime string with a calendar annotation");
eq(Temporal.Instant.from("1970-01-01T00:00Z[u-ca=discord]").epochNanoseconds, 0n, "Instant string with an unknown calendar");
throws(RangeError, function () { Temporal.PlainDate.from("2020-01-01[u-ca=discord]"); }, "a date's calendar is still resolved");
