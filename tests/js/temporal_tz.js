// Temporal over IANA time zones read from the system's tzdata (TZif files):
// transitions, gaps and overlaps with each disambiguation, the POSIX footer
// rule for far-future dates, links, and getTimeZoneTransition both ways.
// Skips (and says so) only when the zoneinfo directory has no such zone.
function eq(a, b, what) { if (!Object.is(a, b)) throw new Error(what + ": expected " + String(b) + ", got " + String(a)); }
function throws(C, f, what) {
    try { f(); } catch (e) { if (!(e instanceof C)) throw new Error(what + ": wrong error " + e); return; }
    throw new Error(what + ": did not throw");
}
var Z = Temporal.ZonedDateTime, PDT = Temporal.PlainDateTime;
function zs(s, o) { return Z.from(s, o).toString(); }

var have = true;
try { Z.from("2024-01-01[America/New_York]"); } catch (e) {
    if (!(e instanceof RangeError) || !/cannot read/.test(e.message)) throw e;
    have = false;
}
if (!have) {
    print("temporal_tz: SKIP (no America/New_York under TZDIR or /usr/share/zoneinfo)");
} else {
    // America/New_York: 2024-03-10 02:00 EST -> 03:00 EDT; 2024-11-03 02:00 EDT -> 01:00 EST.
    eq(zs("2024-01-15T12:00[America/New_York]"), "2024-01-15T12:00:00-05:00[America/New_York]", "NY winter");
    eq(zs("2024-07-15T12:00[america/new_york]"), "2024-07-15T12:00:00-04:00[America/New_York]", "NY summer, case-normalized");
    var gap = PDT.from("2024-03-10T02:30");
    eq(gap.toZonedDateTime("America/New_York").toString(), "2024-03-10T03:30:00-04:00[America/New_York]", "gap compatible");
    eq(gap.toZonedDateTime("America/New_York", { disambiguation: "earlier" }).toString(), "2024-03-10T01:30:00-05:00[America/New_York]", "gap earlier");
    eq(gap.toZonedDateTime("America/New_York", { disambiguation: "later" }).toString(), "2024-03-10T03:30:00-04:00[America/New_York]", "gap later");
    throws(RangeError, function () { gap.toZonedDateTime("America/New_York", { disambiguation: "reject" }); }, "gap reject");
    var over = PDT.from("2024-11-03T01:30");
    eq(over.toZonedDateTime("America/New_York").toString(), "2024-11-03T01:30:00-04:00[America/New_York]", "overlap compatible");
    eq(over.toZonedDateTime("America/New_York", { disambiguation: "earlier" }).toString(), "2024-11-03T01:30:00-04:00[America/New_York]", "overlap earlier");
    eq(over.toZonedDateTime("America/New_York", { disambiguation: "later" }).toString(), "2024-11-03T01:30:00-05:00[America/New_York]", "overlap later");
    throws(RangeError, function () { over.toZonedDateTime("America/New_York", { disambiguation: "reject" }); }, "overlap reject");
    // offset option against real offsets in the overlap
    eq(zs("2024-11-03T01:30-05:00[America/New_York]"), "2024-11-03T01:30:00-05:00[America/New_York]", "offset picks the second 01:30");
    throws(RangeError, function () { Z.from("2024-11-03T01:30-06:00[America/New_York]"); }, "offset reject (default)");
    eq(zs("2024-11-03T01:30-06:00[America/New_York]", { offset: "prefer" }), "2024-11-03T01:30:00-04:00[America/New_York]", "offset prefer falls back");
    eq(zs("2024-11-03T01:30-06:00[America/New_York]", { offset: "ignore" }), "2024-11-03T01:30:00-04:00[America/New_York]", "offset ignore");
    eq(zs("2024-11-03T01:30-06:00[America/New_York]", { offset: "use" }), "2024-11-03T02:30:00-05:00[America/New_York]", "offset use");
    var day = Z.from("2024-03-10T12:00[America/New_York]");
    eq(day.hoursInDay, 23, "23-hour day");
    eq(Z.from("2024-11-03T12:00[America/New_York]").hoursInDay, 25, "25-hour day");
    eq(day.startOfDay().toString(), "2024-03-10T00:00:00-05:00[America/New_York]", "startOfDay");
    eq(Z.from("2024-03-09T02:30[America/New_York]").add({ days: 1 }).toString(), "2024-03-10T03:30:00-04:00[America/New_York]", "add a day into the gap");
    eq(Z.from("2024-03-10T01:59:59[America/New_York]").add({ seconds: 1 }).toString(), "2024-03-10T03:00:00-04:00[America/New_York]", "exact time crosses the gap");
    eq(Z.from("2024-11-03T00:30-04:00[America/New_York]").with({ hour: 1 }, { offset: "ignore", disambiguation: "later" }).offset, "-05:00", "with + later");
    var tnext = Z.from("2024-06-01T00:00[America/New_York]").getTimeZoneTransition("next");
    eq(tnext.toString(), "2024-11-03T01:00:00-05:00[America/New_York]", "next transition");
    eq(tnext.getTimeZoneTransition("next").toString(), "2025-03-09T03:00:00-04:00[America/New_York]", "next after a transition is not the same one");
    eq(tnext.getTimeZoneTransition({ direction: "previous" }).toString(), "2024-03-10T03:00:00-04:00[America/New_York]", "previous transition");
    eq(Z.from("2024-06-01T00:00[UTC]").getTimeZoneTransition("next"), null, "UTC has no transitions");
    eq(Z.from("2024-06-01T00:00[+05:00]").getTimeZoneTransition("previous"), null, "offset zones have no transitions");

    // Europe/London, and a date far past the last transition in the file (footer rule).
    eq(zs("2024-03-31T01:30[Europe/London]"), "2024-03-31T02:30:00+01:00[Europe/London]", "London gap");
    var far = Z.from("2300-07-01T12:00[Europe/London]");
    eq(far.offset, "+01:00", "footer rule: BST in 2300");
    eq(far.getTimeZoneTransition("next").toString(), "2300-10-28T01:00:00+00:00[Europe/London]", "footer rule: next");
    eq(far.getTimeZoneTransition("previous").toString(), "2300-03-25T02:00:00+01:00[Europe/London]", "footer rule: previous");
    eq(Z.from("1900-06-01T12:00[Europe/London]").offset, "+00:00", "London 1900");

    // Australia/Lord_Howe: DST of 30 minutes (+10:30 / +11:00).
    var lh = Z.from("2024-10-06T12:00[Australia/Lord_Howe]");
    eq(lh.offset, "+11:00", "Lord Howe summer");
    eq(lh.hoursInDay, 23.5, "Lord Howe 23.5-hour day");
    eq(lh.getTimeZoneTransition("previous").toString(), "2024-10-06T02:30:00+11:00[Australia/Lord_Howe]", "Lord Howe transition");
    eq(zs("2024-04-07T01:45[Australia/Lord_Howe]", { disambiguation: "later" }), "2024-04-07T01:45:00+10:30[Australia/Lord_Howe]", "Lord Howe overlap later");
    eq(Z.from("2024-04-07T12:00[Australia/Lord_Howe]").hoursInDay, 24.5, "Lord Howe 24.5-hour day");

    // Identifiers: links compare by primary id; the id itself is kept as given (case-normalized).
    var a = Z.from("2024-01-01[Asia/Calcutta]"), b = Z.from("2024-01-01[Asia/Kolkata]");
    eq(a.timeZoneId, "Asia/Calcutta", "link id kept");
    eq(a.equals(b), true, "link equals its zone");
    eq(Z.from("2024-01-01[Etc/UTC]").equals(Z.from("2024-01-01[UTC]")), true, "Etc/UTC is UTC");
    eq(zs("2024-01-01[Etc/GMT+5]"), "2024-01-01T00:00:00-05:00[Etc/GMT+5]", "Etc/GMT+5 is UTC-5");
    throws(RangeError, function () { Z.from("2024-01-01[Mars/Olympus_Mons]"); }, "unknown zone");
    throws(RangeError, function () { new Z(0n, "../../etc/passwd"); }, "path tricks");
    throws(RangeError, function () { new Z(0n, "/usr/share/zoneinfo/UTC"); }, "absolute path");
    eq(new Z(0n, "Europe/Paris").withTimeZone("Asia/Tokyo").toString(), "1970-01-01T09:00:00+09:00[Asia/Tokyo]", "withTimeZone");
    eq(Temporal.Instant.from("2024-07-01T00:00Z").toString({ timeZone: "Europe/Paris" }), "2024-07-01T02:00:00+02:00", "Instant toString timeZone");
    eq(Temporal.Instant.from("2024-07-01T00:00Z").toZonedDateTimeISO("Europe/Paris").hour, 2, "toZonedDateTimeISO");
    eq(Temporal.PlainDate.from("2019-11-03").toZonedDateTime("America/Sao_Paulo").toString(), "2019-11-03T00:00:00-03:00[America/Sao_Paulo]", "PlainDate.toZonedDateTime");
    eq(Temporal.PlainDate.from("2018-11-04").toZonedDateTime("America/Sao_Paulo").toString(), "2018-11-04T01:00:00-02:00[America/Sao_Paulo]", "day starting at 01:00 (midnight skipped)");
    // Duration relativeTo in an IANA zone: the string's offset is checked against the zone's real one.
    eq(Temporal.Duration.from({ hours: 30 }).round({ largestUnit: "day", relativeTo: "2024-06-01T00:00-04:00[America/New_York]" }).toString(), "P1DT6H", "relativeTo with a real offset");
    throws(RangeError, function () { Temporal.Duration.from({ hours: 1 }).round({ largestUnit: "day", relativeTo: "2024-06-01T00:00-05:00[America/New_York]" }); }, "relativeTo offset mismatch");
    // Duration rounding and totals relative to a ZonedDateTime use the zone's real
    // day lengths: 2024-03-10 lasts 23 hours in New York, 2024-11-03 lasts 25.
    var D = Temporal.Duration;
    var spring = Z.from("2024-03-09T12:00-05:00[America/New_York]"), fall = Z.from("2024-11-02T12:00-04:00[America/New_York]");
    eq(D.from({ hours: 23 }).round({ largestUnit: "days", relativeTo: spring }).toString(), "P1D", "23 hours are one day across spring-forward");
    eq(D.from({ hours: 25 }).round({ largestUnit: "days", relativeTo: fall }).toString(), "P1D", "25 hours are one day across fall-back");
    eq(D.from({ hours: 24 }).round({ largestUnit: "days", relativeTo: spring }).toString(), "P1DT1H", "24 hours across spring-forward");
    eq(D.from({ days: 1 }).total({ unit: "hours", relativeTo: spring }), 23, "total of a 23-hour day");
    eq(D.from({ days: 1 }).total({ unit: "hours", relativeTo: fall }), 25, "total of a 25-hour day");
    eq(D.from({ hours: 12 }).round({ smallestUnit: "days", relativeTo: "2024-03-10T00:00[America/New_York]" }).toString(), "P1D", "12 of 23 hours rounds up to a day");
    eq(D.from({ hours: 11 }).total({ unit: "days", relativeTo: "2024-03-10[America/New_York]" }), 11 / 23, "fraction of a 23-hour day");
    eq(D.compare({ days: 1 }, { hours: 24 }, { relativeTo: spring }), -1, "compare: a 23-hour day is less than 24 hours");
    // A bag's offset picks its instant in the repeated hour (and must match exactly); a string's may match to the minute.
    var rep = { year: 2024, month: 11, day: 3, hour: 1, minute: 30, timeZone: "America/New_York" };
    eq(D.from({ days: 1 }).total({ unit: "hours", relativeTo: Object.assign({ offset: "-04:00" }, rep) }), 25, "bag offset: first 01:30");
    eq(D.from({ days: 1 }).total({ unit: "hours", relativeTo: Object.assign({ offset: "-05:00" }, rep) }), 24, "bag offset: second 01:30");
    eq(D.from({ days: 1 }).total({ unit: "hours", relativeTo: rep }), 25, "bag without offset: compatible (first 01:30)");
    throws(RangeError, function () { D.from({ days: 1 }).total({ unit: "hours", relativeTo: Object.assign({ offset: "-04:30" }, rep) }); }, "bag offset not in the zone");
    eq(D.from({ days: 1 }).total({ unit: "hours", relativeTo: "2024-11-03T01:30-05:00[America/New_York]" }), 24, "string offset: second 01:30");
    // ZonedDateTime since/until round with the real day lengths too.
    var a = Z.from("2024-03-09T12:00[America/New_York]"), b = Z.from("2024-03-10T12:00[America/New_York]");
    eq(a.until(b, { largestUnit: "days", smallestUnit: "hours" }).toString(), "P1D", "until over a 23-hour day, rounded to hours");
    eq(a.until(b, { largestUnit: "days", smallestUnit: "days", roundingMode: "halfExpand" }).toString(), "P1D", "until rounded to days");
    eq(Z.from("2024-03-10T00:00[America/New_York]").until(Z.from("2024-03-10T12:45[America/New_York]"), { largestUnit: "days", smallestUnit: "days", roundingMode: "halfExpand" }).toString(),
       "P1D", "11.75 of 23 hours round up to a day");
    print("temporal_tz: ok");
}
