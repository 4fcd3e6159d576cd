// Temporal.Instant, ZonedDateTime (UTC and offset zones) and Temporal.Now.
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}

var i = Temporal.Instant.from("2020-01-01T00:00:00.5+01:00");
eq(i.toString(), "2019-12-31T23:00:00.5Z", "Instant toString");
eq(i.epochNanoseconds, 1577833200500000000n, "epochNanoseconds");
eq(i.epochMilliseconds, 1577833200500, "epochMilliseconds");
eq(new Temporal.Instant(-5n).toString(), "1969-12-31T23:59:59.999999995Z", "negative epoch");
eq(new Temporal.Instant(-1n).round({ smallestUnit: "second", roundingMode: "trunc" }).toString(), "1969-12-31T23:59:59Z", "rounding toward the past");
eq(i.toString({ timeZone: "-05:30" }), "2019-12-31T17:30:00.5-05:30", "toString timeZone");
throws(RangeError, function () { new Temporal.Instant(8640000000000000000001n); }, "instant range");
throws(RangeError, function () { i.add({ days: 1 }); }, "Instant rejects days");
eq(new Date(0).toTemporalInstant().toString(), "1970-01-01T00:00:00Z", "Date.prototype.toTemporalInstant");

var z = Temporal.ZonedDateTime.from("2020-01-01T10:00+05:30[+05:30]");
eq(z.toString(), "2020-01-01T10:00:00+05:30[+05:30]", "ZonedDateTime toString");
eq(z.offset, "+05:30", "offset");
eq(z.hoursInDay, 24, "hoursInDay");
eq(z.add({ days: 1, hours: 2 }).toString(), "2020-01-02T12:00:00+05:30[+05:30]", "zoned add");
eq(z.withTimeZone("UTC").toString(), "2020-01-01T04:30:00+00:00[UTC]", "withTimeZone");
eq(z.until("2020-03-01T10:00+05:30[+05:30]", { largestUnit: "month" }).toString(), "P2M", "zoned until");
throws(RangeError, function () { Temporal.ZonedDateTime.from("2020-01-01T10:00+01:00[+05:30]"); }, "offset mismatch");
eq(Temporal.ZonedDateTime.from("2020-01-01T10:00+01:00[+05:30]", { offset: "use" }).hour, 14, "offset use");
eq(typeof Temporal.Now.instant().epochNanoseconds, "bigint", "Now.instant");
// The host's zone (TZ, /etc/localtime, else UTC): whatever it is, it names a usable zone.
eq(typeof Temporal.Now.timeZoneId(), "string", "Now.timeZoneId");
eq(Temporal.Now.zonedDateTimeISO().timeZoneId, Temporal.Now.timeZoneId(), "Now.zonedDateTimeISO uses the host zone");
