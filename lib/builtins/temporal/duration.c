/*
 * duration.c - Temporal.Duration and the difference/addition machinery
 * shared by PlainDate, PlainTime, PlainDateTime and ZonedDateTime
 * (until/since/add/subtract, RoundRelativeDuration, TotalRelativeDuration).
 * Time parts are exact nanosecond counts in __int128; totals are divided once.
 * Zoned arithmetic goes through zone_epoch/zone_wall over the zone's real
 * offsets (tzdb.c), so a day across a transition lasts 23 or 25 hours.
 */
#include "temporal.h"
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#define NS_DAY ((__int128)86400000000000LL)
#define MAX_TIME_NS (((__int128)1 << 53) * 1000000000 - 1)

typedef struct idur { int64_t y, mo, w, d; __int128 ns; } idur;   /* internal duration record */

static const char *const du_names[DU_COUNT] = { "years", "months", "weeks", "days", "hours", "minutes",
                                                "seconds", "milliseconds", "microseconds", "nanoseconds" };
static const __int128 du_ns[DU_COUNT] = { 0, 0, 0, 0, 3600000000000LL, 60000000000LL, 1000000000LL, 1000000, 1000, 1 };

static int is_valid_duration(const double *v)
{
    int sign = 0;
    for (int i = 0; i < DU_COUNT; i++) {
        if (!isfinite(v[i])) return 0;
        int s = v[i] > 0 ? 1 : v[i] < 0 ? -1 : 0;
        if (s && sign && s != sign) return 0;
        if (s) sign = s;
    }
    for (int i = 0; i < 3; i++) if (fabs(v[i]) >= 4294967296.0) return 0;
    __int128 tot = 0;
    for (int i = 3; i < DU_COUNT; i++) {
        if (fabs(v[i]) > 1e26) return 0;
        tot += (__int128)v[i] * (i == 3 ? NS_DAY : du_ns[i]);
    }
    if (tot < 0) tot = -tot;
    return tot <= MAX_TIME_NS;
}

static int dur_sign(const double *v)
{
    for (int i = 0; i < DU_COUNT; i++) if (v[i]) return v[i] > 0 ? 1 : -1;
    return 0;
}

jsv tp_make_duration(js_thread *t, const double *v, jsv new_target)
{
    if (!is_valid_duration(v)) return jsvm_throw_range_error(t, "invalid duration");
    js_temporal *tp = tp_new(t, new_target, TK_DURATION);
    if (!tp) return JSV_EXCEPTION;
    for (int i = 0; i < DU_COUNT; i++) tp->dur[i] = v[i] + 0.0;
    return jsv_object(&tp->base);
}

static int to_integer_if_integral(js_thread *t, jsv v, double *out)
{
    double d;
    if (jsop_to_number(t, v, &d) < 0) return -1;
    if (!isfinite(d) || trunc(d) != d) { jsvm_throw_range_error(t, "duration fields must be integers"); return -1; }
    *out = d + 0.0;
    return 0;
}

/* ISO 8601 duration string. */
static int parse_duration(const char *s, size_t n, double *v)
{
    size_t i = 0;
    int sign = 1;
    for (int k = 0; k < DU_COUNT; k++) v[k] = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) { if (s[i] == '-') sign = -1; i++; }
    if (i >= n || (s[i] != 'P' && s[i] != 'p')) return -1;
    i++;
    int in_time = 0, last = -1, any = 0, had_frac = 0, any_time = 0;
    __int128 extra = 0;
    while (i < n) {
        if (s[i] == 'T' || s[i] == 't') {
            if (in_time) return -1;
            in_time = 1; i++;
            if (i >= n) return -1;
            continue;
        }
        if (had_frac) return -1;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == st) return -1;
        char num[400];
        if (i - st >= sizeof num) return -1;
        memcpy(num, s + st, i - st); num[i - st] = 0;
        int64_t frac = 0; int has_frac = 0;
        if (i < n && (s[i] == '.' || s[i] == ',')) {
            i++;
            size_t fs = i; int k = 0;
            while (i < n && s[i] >= '0' && s[i] <= '9') { if (k < 9) { frac = frac * 10 + (s[i] - '0'); k++; } else return -1; i++; }
            if (i == fs) return -1;
            while (k < 9) { frac *= 10; k++; }
            has_frac = 1;
        }
        if (i >= n) return -1;
        char u = s[i++];
        if (u >= 'a' && u <= 'z') u -= 32;
        int idx;
        if (!in_time) {
            idx = u == 'Y' ? 0 : u == 'M' ? 1 : u == 'W' ? 2 : u == 'D' ? 3 : -1;
            if (has_frac) return -1;
        } else {
            idx = u == 'H' ? 4 : u == 'M' ? 5 : u == 'S' ? 6 : -1;
            any_time = 1;
        }
        if (idx < 0 || idx <= last) return -1;
        last = idx;
        v[idx] = strtod(num, NULL);
        any = 1;
        if (has_frac) {
            had_frac = 1;
            extra = (__int128)frac * (idx == 4 ? 3600 : idx == 5 ? 60 : 1);
        }
    }
    if (!any || (in_time && !any_time)) return -1;
    if (extra) {
        int start = last + 1;
        for (int k = start; k < DU_COUNT; k++) {
            __int128 q = extra / du_ns[k];
            extra -= q * du_ns[k];
            v[k] = (double)q;
        }
    }
    for (int k = 0; k < DU_COUNT; k++) v[k] = v[k] * sign + 0.0;
    return 0;
}

/* ToTemporalPartialDurationRecord: -1 exception, 0 ok (at least one field). */
static int read_partial_duration(js_thread *t, jsv obj, double *v, int *has)
{
    static const int order[DU_COUNT] = { DU_DAYS, DU_HOURS, DU_US, DU_MS, DU_MINUTES, DU_MONTHS, DU_NS,
                                         DU_SECONDS, DU_WEEKS, DU_YEARS };
    int any = 0;
    for (int k = 0; k < DU_COUNT; k++) {
        int idx = order[k];
        jsv x = tp_get_prop(t, obj, du_names[idx]);
        if (x == JSV_EXCEPTION) return -1;
        has[idx] = 0;
        if (!jsv_is_undefined(x)) {
            if (to_integer_if_integral(t, x, &v[idx]) < 0) return -1;
            has[idx] = 1;
            any = 1;
        }
    }
    if (!any) { jsvm_throw_type_error(t, "no duration fields given"); return -1; }
    return 0;
}

int tp_to_temporal_duration(js_thread *t, jsv item, double *v)
{
    js_temporal *d = tp_get(item, TK_DURATION);
    if (d) { memcpy(v, d->dur, sizeof d->dur); return 0; }
    if (jsv_is_string(item)) {
        char buf[512];
        int n = tp_string_ascii(JSV_STR(item), buf, sizeof buf);
        if (n < 0 || parse_duration(buf, (size_t)n, v) < 0) {
            jsvm_throw_range_error(t, "invalid ISO 8601 duration string");
            return -1;
        }
        if (!is_valid_duration(v)) { jsvm_throw_range_error(t, "invalid duration"); return -1; }
        return 0;
    }
    if (!jsv_is_object(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.Duration"); return -1; }
    int has[DU_COUNT];
    for (int k = 0; k < DU_COUNT; k++) v[k] = 0;
    if (read_partial_duration(t, item, v, has) < 0) return -1;
    if (!is_valid_duration(v)) { jsvm_throw_range_error(t, "invalid duration"); return -1; }
    return 0;
}

/* ---- internal records ---- */

static __int128 time_part_ns(const double *v, int with_days)
{
    __int128 s = with_days ? (__int128)v[DU_DAYS] * NS_DAY : 0;
    for (int i = 4; i < DU_COUNT; i++) s += (__int128)v[i] * du_ns[i];
    return s;
}

static idur to_internal(const double *v, int with_24h_days)
{
    idur r = { (int64_t)v[0], (int64_t)v[1], (int64_t)v[2], with_24h_days ? 0 : (int64_t)v[3], time_part_ns(v, with_24h_days) };
    return r;
}

static int default_largest_unit(const double *v)
{
    for (int i = 0; i < DU_COUNT; i++) if (v[i]) return i;
    return U_NS;
}

static int idur_sign(const idur *d)
{
    if (d->y) return d->y > 0 ? 1 : -1;
    if (d->mo) return d->mo > 0 ? 1 : -1;
    if (d->w) return d->w > 0 ? 1 : -1;
    if (d->d) return d->d > 0 ? 1 : -1;
    return d->ns > 0 ? 1 : d->ns < 0 ? -1 : 0;
}

/* TemporalDurationFromInternal */
static int from_internal(js_thread *t, const idur *d, int largest, double *v)
{
    __int128 ns = d->ns < 0 ? -d->ns : d->ns;
    int sign = d->ns < 0 ? -1 : 1;
    __int128 f[DU_COUNT] = { 0 };
    int start = largest <= U_DAY ? U_DAY : largest;
    for (int i = start; i < DU_COUNT; i++) {
        __int128 unit = i == U_DAY ? NS_DAY : du_ns[i];
        f[i] = ns / unit;
        ns -= f[i] * unit;
    }
    v[0] = (double)d->y; v[1] = (double)d->mo; v[2] = (double)d->w;
    v[3] = (double)(d->d + (int64_t)f[3] * sign);
    for (int i = 4; i < DU_COUNT; i++) v[i] = (double)(f[i] * sign);
    for (int i = 0; i < DU_COUNT; i++) v[i] += 0.0;
    if (!is_valid_duration(v)) { jsvm_throw_range_error(t, "duration out of range"); return -1; }
    return 0;
}

/* ---- ISO date arithmetic ---- */

static void balance_ym(int64_t y, int64_t m, int64_t *oy, int64_t *om)
{
    int64_t m0 = m - 1;
    int64_t q = m0 / 12; if (m0 % 12 < 0) q--;
    *oy = y + q;
    *om = m0 - q * 12 + 1;
}

/* CalendarDateAdd for iso8601. */
static int date_add(js_thread *t, tp_date d, const idur *dur, int overflow, tp_date *out)
{
    int64_t y, m;
    balance_ym((int64_t)d.year + dur->y, (int64_t)d.month + dur->mo, &y, &m);
    if (y < -300000 || y > 300000) { jsvm_throw_range_error(t, "date outside the supported range"); return -1; }
    tp_date mid;
    if (tp_regulate_date(t, (double)y, (double)m, d.day, overflow, &mid) < 0) return -1;
    int64_t days = dur->d + 7 * dur->w;
    int64_t e = tp_epoch_days(mid.year, mid.month, mid.day) + days;
    if (e < -100000001 || e > 100000000) { jsvm_throw_range_error(t, "date outside the supported range"); return -1; }
    *out = tp_from_epoch_days(e);
    return 0;
}

static int surpasses(int sign, int64_t y, int64_t m, int64_t d, tp_date two)
{
    if (y != two.year) return sign * (y - two.year) > 0;
    if (m != two.month) return sign * (m - two.month) > 0;
    if (d != two.day) return sign * (d - two.day) > 0;
    return 0;
}

/* CalendarDateUntil for iso8601. */
static idur date_until(tp_date one, tp_date two, int largest)
{
    idur r = { 0, 0, 0, 0, 0 };
    int sign = -tp_compare_date(one, two);
    if (!sign) return r;
    int64_t years = 0, months = 0;
    if (largest == U_YEAR || largest == U_MONTH) {
        int64_t cy = (int64_t)two.year - one.year;
        if (cy) cy -= sign;
        while (!surpasses(sign, one.year + cy, one.month, one.day, two)) { years = cy; cy += sign; }
        int64_t cm = sign, iy, im;
        balance_ym(one.year + years, one.month + cm, &iy, &im);
        while (!surpasses(sign, iy, im, one.day, two)) {
            months = cm; cm += sign;
            balance_ym(iy, im + sign, &iy, &im);
        }
        if (largest == U_MONTH) { months += years * 12; years = 0; }
    }
    int64_t iy, im;
    balance_ym(one.year + years, one.month + months, &iy, &im);
    tp_date c = tp_constrain_date((double)iy, (double)im, one.day);
    int64_t days = tp_epoch_days(two.year, two.month, two.day) - tp_epoch_days(c.year, c.month, c.day);
    r.y = years; r.mo = months;
    if (largest == U_WEEK) { r.w = days / 7; days %= 7; }
    r.d = days;
    return r;
}

static __int128 epoch_ns(tp_date d, tp_time tm)
{
    return (__int128)tp_epoch_days(d.year, d.month, d.day) * NS_DAY + tp_time_ns(tm);
}

/* DifferenceISODateTime */
static idur diff_datetime(tp_date d1, tp_time t1, tp_date d2, tp_time t2, int largest)
{
    __int128 tns = (__int128)tp_time_ns(t2) - tp_time_ns(t1);
    int tsign = tns > 0 ? 1 : tns < 0 ? -1 : 0;
    int dsign = tp_compare_date(d2, d1);
    tp_date adj = d2;
    if (tsign && tsign == -dsign) {
        adj = tp_from_epoch_days(tp_epoch_days(d2.year, d2.month, d2.day) + tsign);
        tns -= tsign * NS_DAY;
    }
    int dl = largest < U_DAY ? largest : U_DAY;
    idur r = date_until(d1, adj, dl);
    if (largest > U_DAY) { tns += (__int128)r.d * NS_DAY; r.d = 0; }
    r.ns = tns;
    return r;
}

/* The correctly rounded double nearest num / den (den > 0). The spec asks for
 * the exact quotient rounded once; dividing two doubles, or adding a rounded
 * fraction to a rounded integer part, rounds twice. Long division yields 55 to
 * 57 significant quotient bits plus a sticky bit for the remainder, and the
 * int64 -> double conversion then rounds to nearest, ties to even, exactly once. */
static double div_exact(__int128 num, __int128 den)
{
    int neg = num < 0;
    unsigned __int128 a = neg ? -(unsigned __int128)num : (unsigned __int128)num, b = (unsigned __int128)den;
    if (a == 0) return 0.0;
    unsigned __int128 q = a / b, r = a % b;
    int exp = 0;
    const unsigned __int128 lo = (unsigned __int128)1 << 55, hi = (unsigned __int128)1 << 57;
    while (q >= hi) {                       /* too many bits: fold the dropped ones into the sticky remainder */
        r |= q & 1;
        q >>= 1;
        exp++;
    }
    while (q < lo) {                        /* too few: produce more quotient bits */
        r <<= 1;
        q <<= 1;
        if (r >= b) { q |= 1; r -= b; }
        exp--;
    }
    double v = ldexp((double)(int64_t)(q | (r != 0)), exp);
    return neg ? -v : v;
}

static int unsigned_mode(int mode, int neg)
{
    /* 0 zero, 1 infinity, 2 half-zero, 3 half-infinity, 4 half-even */
    switch (mode) {
    case RM_CEIL: return neg ? 0 : 1;
    case RM_FLOOR: return neg ? 1 : 0;
    case RM_EXPAND: return 1;
    case RM_TRUNC: return 0;
    case RM_HALF_CEIL: return neg ? 2 : 3;
    case RM_HALF_FLOOR: return neg ? 3 : 2;
    case RM_HALF_EXPAND: return 3;
    case RM_HALF_TRUNC: return 2;
    default: return 4;
    }
}

/* Where a relative duration is anchored: a wall-clock date-time, and for a
 * ZonedDateTime anchor its zone. The tp_zone is a copy: it points only at
 * the runtime's immutable zone cache (or static names), never at the heap,
 * so a relctx needs no GC rooting. zone_epoch and zone_wall are the only
 * places that turn wall clocks into instants and back. */
typedef struct relctx { tp_date date; tp_time time; int zoned; tp_zone zone; } relctx;

static void zone_wall(const relctx *c, __int128 ns, tp_date *d, tp_time *tm)
{
    tp_epoch_to_parts(ns + tp_zone_offset(&c->zone, ns), d, tm);
}

/* GetEpochNanosecondsFor(zone, wall, compatible): a wall clock in a gap moves
 * forward by the gap, one in an overlap takes the earlier instant;
 * RangeError past the instant limits. */
static int zone_epoch(js_thread *t, const relctx *c, tp_date d, tp_time tm, __int128 *out)
{
    if (!tp_datetime_in_limits(d, tm)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
    return tp_zone_epoch_ns(t, &c->zone, d, tm, 0, out);
}

/* Epoch nanoseconds of the anchor's wall clock moved by the date part of dd. */
static int ctx_add_epoch(js_thread *t, const relctx *c, const idur *dd, __int128 *out)
{
    tp_date ed;
    if (date_add(t, c->date, dd, 0, &ed) < 0) return -1;
    if (c->zoned) return zone_epoch(t, c, ed, c->time, out);
    *out = epoch_ns(ed, c->time);
    return 0;
}

typedef struct nudge { idur d; __int128 nudged; int expanded; double total; } nudge;

static int64_t round_trunc_inc(int64_t x, int64_t inc) { return x / inc * inc; }

static int idur_date_zero(const idur *d) { return !d->y && !d->mo && !d->w && !d->d; }

/* ComputeNudgeWindow: the durations r1 and r2 = r1 + increment units either
 * side of dur in the rounding unit, and their instants. shift moves the whole
 * window one increment outward (years/months only), for when constraining the
 * day of month put the destination past r2. */
typedef struct nwin { int64_t r1, r2; idur s, e; __int128 sns, ens; } nwin;

static int nudge_window(js_thread *t, int sign, const idur *dur, __int128 origin, const relctx *c,
                        int64_t inc, int unit, int shift, nwin *w)
{
    idur s = { 0, 0, 0, 0, 0 }, e = { 0, 0, 0, 0, 0 };
    int64_t r1;
    if (unit == U_YEAR) {
        r1 = round_trunc_inc(dur->y, inc) + (shift ? inc * sign : 0);
        s.y = r1; e.y = r1 + inc * sign;
    } else if (unit == U_MONTH) {
        r1 = round_trunc_inc(dur->mo, inc) + (shift ? inc * sign : 0);
        s.y = e.y = dur->y; s.mo = r1; e.mo = r1 + inc * sign;
    } else if (unit == U_WEEK) {
        idur ym = { dur->y, dur->mo, 0, 0, 0 };
        tp_date ws;
        if (date_add(t, c->date, &ym, 0, &ws) < 0) return -1;
        tp_date we = tp_from_epoch_days(tp_epoch_days(ws.year, ws.month, ws.day) + dur->d);
        idur u = date_until(ws, we, U_WEEK);
        r1 = round_trunc_inc(dur->w + u.w, inc);
        s.y = e.y = dur->y; s.mo = e.mo = dur->mo; s.w = r1; e.w = r1 + inc * sign;
    } else {
        r1 = round_trunc_inc(dur->d, inc);
        s.y = e.y = dur->y; s.mo = e.mo = dur->mo; s.w = e.w = dur->w; s.d = r1; e.d = r1 + inc * sign;
    }
    w->r1 = r1; w->r2 = r1 + inc * sign; w->s = s; w->e = e;
    if (idur_date_zero(&s)) w->sns = origin;
    else if (ctx_add_epoch(t, c, &s, &w->sns) < 0) return -1;
    return ctx_add_epoch(t, c, &e, &w->ens);
}

static int in_window(int sign, const nwin *w, __int128 dest)
{
    return sign > 0 ? w->sns <= dest && dest <= w->ens : w->ens <= dest && dest <= w->sns;
}

/* NudgeToCalendarUnit; also yields the exact total for Duration.total. */
static int nudge_calendar(js_thread *t, int sign, const idur *dur, __int128 origin, __int128 dest, const relctx *c,
                          int64_t inc, int unit, int mode, nudge *out)
{
    nwin w;
    int expanded = 0;
    if (nudge_window(t, sign, dur, origin, c, inc, unit, 0, &w) < 0) return -1;
    if (!in_window(sign, &w, dest)) {
        if (nudge_window(t, sign, dur, origin, c, inc, unit, 1, &w) < 0) return -1;
        expanded = 1;
    }
    if (!in_window(sign, &w, dest) || w.sns == w.ens) {
        jsvm_throw_range_error(t, "rounding out of range");
        return -1;
    }
    __int128 num = dest - w.sns, den = w.ens - w.sns;
    if (den < 0) { num = -num; den = -den; }
    /* total = r1 + (num / den) * inc * sign, as one quotient */
    out->total = div_exact((__int128)w.r1 * den + num * inc * sign, den);
    int64_t ar1 = w.r1 < 0 ? -w.r1 : w.r1;
    int up;
    if (num == 0) up = 0;
    else if (num == den) up = 1;
    else {
        int cmp = (num * 2 > den) - (num * 2 < den);
        switch (unsigned_mode(mode, sign < 0)) {
        case 0: up = 0; break;
        case 1: up = 1; break;
        case 2: up = cmp > 0; break;
        case 3: up = cmp >= 0; break;
        default: up = cmp > 0 || (cmp == 0 && ((ar1 / inc) & 1)); break;
        }
    }
    if (up) { out->d = w.e; out->nudged = w.ens; expanded = 1; }
    else { out->d = w.s; out->nudged = w.sns; }
    out->expanded = expanded;
    out->d.ns = 0;
    return 0;
}

static int check_time_duration(js_thread *t, __int128 ns)
{
    if (ns > MAX_TIME_NS || ns < -MAX_TIME_NS) { jsvm_throw_range_error(t, "duration out of range"); return -1; }
    return 0;
}

/* NudgeToZonedTime: time units under a zone round within the last day of the
 * duration, whose length the zone decides, so whole days never take part. */
static int nudge_zoned_time(js_thread *t, int sign, const idur *dur, const relctx *c, int64_t inc, int unit, int mode,
                            nudge *out)
{
    idur dd = *dur;
    dd.ns = 0;
    tp_date sd;
    if (date_add(t, c->date, &dd, 0, &sd) < 0) return -1;
    tp_date ed = tp_from_epoch_days(tp_epoch_days(sd.year, sd.month, sd.day) + sign);
    __int128 sns, ens;
    if (zone_epoch(t, c, sd, c->time, &sns) < 0 || zone_epoch(t, c, ed, c->time, &ens) < 0) return -1;
    __int128 span = ens - sns, ulen = du_ns[unit] * inc;
    __int128 rounded = tp_round_i128(dur->ns, ulen, mode);
    if (check_time_duration(t, rounded) < 0) return -1;
    __int128 beyond = rounded - span;
    int bs = beyond > 0 ? 1 : beyond < 0 ? -1 : 0;
    out->d = *dur;
    if (bs != -sign) {
        out->expanded = 1;
        out->d.d += sign;
        rounded = tp_round_i128(beyond, ulen, mode);
        if (check_time_duration(t, rounded) < 0) return -1;
        out->nudged = ens + rounded;
    } else {
        out->expanded = 0;
        out->nudged = sns + rounded;
    }
    out->d.ns = rounded;
    return 0;
}

/* NudgeToDayOrTime: without a zone days are 24 hours and round with the time. */
static int nudge_day_or_time(js_thread *t, const idur *dur, __int128 dest, int largest, int64_t inc, int unit, int mode,
                             nudge *out)
{
    __int128 tns = dur->ns + (__int128)dur->d * NS_DAY;
    __int128 ulen = unit == U_DAY ? NS_DAY : du_ns[unit];
    __int128 rounded = tp_round_i128(tns, ulen * inc, mode);
    if (check_time_duration(t, rounded) < 0) return -1;
    __int128 diff = rounded - tns;
    __int128 whole = tns / NS_DAY, rwhole = rounded / NS_DAY;
    __int128 delta = rwhole - whole;
    int dsign = delta > 0 ? 1 : delta < 0 ? -1 : 0;
    int tsign = tns > 0 ? 1 : tns < 0 ? -1 : 0;
    out->expanded = dsign == tsign;
    out->nudged = dest + diff;
    __int128 days = 0, rem = rounded;
    if (largest <= U_DAY) { days = rwhole; rem = rounded - days * NS_DAY; }
    out->d = *dur;
    out->d.d = (int64_t)days;
    out->d.ns = rem;
    return 0;
}

/* BubbleRelativeDuration */
static int bubble(js_thread *t, int sign, idur *dur, __int128 nudged, const relctx *c, int largest, int smallest)
{
    if (smallest == largest) return 0;
    for (int u = smallest - 1; u >= largest; u--) {
        if (u == U_DAY) continue;
        if (u == U_WEEK && largest != U_WEEK) continue;
        idur e = { 0, 0, 0, 0, 0 };
        if (u == U_YEAR) e.y = dur->y + sign;
        else if (u == U_MONTH) { e.y = dur->y; e.mo = dur->mo + sign; }
        else { e.y = dur->y; e.mo = dur->mo; e.w = dur->w + sign; }
        __int128 ens;
        if (ctx_add_epoch(t, c, &e, &ens) < 0) return -1;
        __int128 beyond = nudged - ens;
        int bs = beyond > 0 ? 1 : beyond < 0 ? -1 : 0;
        if (bs != -sign) *dur = e;
        else break;
    }
    return 0;
}

/* RoundRelativeDuration: dur runs from origin to dest (epoch ns) starting at c. */
static int round_relative(js_thread *t, idur *dur, __int128 origin, __int128 dest, const relctx *c, int largest,
                          int64_t inc, int smallest, int mode)
{
    int sign = idur_sign(dur) < 0 ? -1 : 1;
    int irregular = smallest <= U_WEEK || (c->zoned && smallest == U_DAY);
    nudge n;
    int rc;
    if (irregular) rc = nudge_calendar(t, sign, dur, origin, dest, c, inc, smallest, mode, &n);
    else if (c->zoned) rc = nudge_zoned_time(t, sign, dur, c, inc, smallest, mode, &n);
    else rc = nudge_day_or_time(t, dur, dest, largest, inc, smallest, mode, &n);
    if (rc < 0) return -1;
    *dur = n.d;
    if (n.expanded && smallest != U_WEEK) {
        int start = smallest > U_DAY ? U_DAY : smallest;
        if (bubble(t, sign, dur, n.nudged, c, largest, start) < 0) return -1;
    }
    return 0;
}

/* RoundRelativeDuration for a duration between two plain date-times. */
static int round_relative_plain(js_thread *t, idur *dur, tp_date d1, tp_time t1, tp_date d2, tp_time t2, int largest,
                                int64_t inc, int smallest, int mode)
{
    relctx c = { .date = d1, .time = t1 };
    return round_relative(t, dur, epoch_ns(d1, t1), epoch_ns(d2, t2), &c, largest, inc, smallest, mode);
}

/* TotalRelativeDuration */
static int total_relative(js_thread *t, const idur *dur, __int128 origin, __int128 dest, const relctx *c, int unit,
                          double *out)
{
    if (unit <= U_WEEK || (c->zoned && unit == U_DAY)) {
        nudge n;
        int sign = idur_sign(dur) < 0 ? -1 : 1;
        if (nudge_calendar(t, sign, dur, origin, dest, c, 1, unit, RM_TRUNC, &n) < 0) return -1;
        *out = n.total;
        return 0;
    }
    *out = div_exact(dur->ns + (__int128)dur->d * NS_DAY, unit == U_DAY ? NS_DAY : du_ns[unit]);
    return 0;
}

/* DifferenceZonedDateTime for a date largest unit. */
static int diff_zoned(js_thread *t, const relctx *zone, __int128 ns1, __int128 ns2, int largest, idur *out)
{
    idur z = { 0, 0, 0, 0, 0 };
    *out = z;
    if (ns1 == ns2) return 0;
    tp_date sd, ed;
    tp_time st, et;
    zone_wall(zone, ns1, &sd, &st);
    zone_wall(zone, ns2, &ed, &et);
    if (tp_compare_date(sd, ed) == 0) { out->ns = ns2 - ns1; return 0; }
    int sign = ns2 < ns1 ? -1 : 1;
    int max_corr = sign > 0 ? 2 : 1, corr = 0;
    __int128 td = (__int128)tp_time_ns(et) - tp_time_ns(st);
    if ((td > 0 ? 1 : td < 0 ? -1 : 0) == -sign) corr++;
    tp_date mid = ed;
    int ok = 0;
    for (; corr <= max_corr && !ok; corr++) {
        mid = tp_from_epoch_days(tp_epoch_days(ed.year, ed.month, ed.day) - (int64_t)corr * sign);
        __int128 ins;
        if (zone_epoch(t, zone, mid, st, &ins) < 0) return -1;
        td = ns2 - ins;
        ok = (td > 0 ? 1 : td < 0 ? -1 : 0) != -sign;
    }
    /* The spec asserts success; a zone that skips two days in a row would not. */
    if (!ok) { jsvm_throw_range_error(t, "cannot compute the difference in this time zone"); return -1; }
    *out = date_until(sd, mid, largest < U_DAY ? largest : U_DAY);
    out->ns = td;
    return 0;
}

/* DifferenceZonedDateTimeWithRounding; zone carries the time zone, not a wall clock. */
static int diff_zoned_rounding(js_thread *t, const relctx *zone, __int128 ns1, __int128 ns2, int largest, int64_t inc,
                               int smallest, int mode, idur *out)
{
    if (largest > U_DAY) {
        idur d = { 0, 0, 0, 0, tp_round_i128(ns2 - ns1, du_ns[smallest] * inc, mode) };
        *out = d;
        return check_time_duration(t, d.ns);
    }
    if (diff_zoned(t, zone, ns1, ns2, largest, out) < 0) return -1;
    if (smallest == U_NS && inc == 1) return 0;
    relctx c = *zone;
    zone_wall(zone, ns1, &c.date, &c.time);
    return round_relative(t, out, ns1, ns2, &c, largest, inc, smallest, mode);
}

/* AddZonedDateTime with overflow constrain. */
static int add_zoned(js_thread *t, const relctx *zone, __int128 ns, const idur *d, __int128 *out)
{
    if (!idur_date_zero(d)) {
        tp_date wd, ad;
        tp_time wt;
        zone_wall(zone, ns, &wd, &wt);
        if (date_add(t, wd, d, 0, &ad) < 0) return -1;
        if (!tp_datetime_in_limits(ad, wt)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
        if (zone_epoch(t, zone, ad, wt, &ns) < 0) return -1;
    }
    ns += d->ns;
    if (!tp_valid_epoch_ns(ns)) { jsvm_throw_range_error(t, "instant outside the supported range"); return -1; }
    *out = ns;
    return 0;
}

/* ---- GetDifferenceSettings ---- */

typedef struct diffset { int largest, smallest, mode; int64_t inc; } diffset;

/* GetOptionsObject(options) then GetDifferenceSettings. */
static int get_difference_settings(js_thread *t, int since, jsv options, int group_time, int group_date,
                                   int fallback_smallest, int default_largest, diffset *s)
{
    jsv o = tp_get_options_object(t, options);
    if (o == JSV_EXCEPTION) return -1;
    int lu = tp_get_unit_option(t, o, "largestUnit");
    if (lu == -1) return -1;
    double inc;
    if (tp_get_rounding_increment(t, o, &inc) < 0) return -1;
    int rm = tp_get_rounding_mode(t, o, RM_TRUNC);
    if (rm < 0) return -1;
    int su = tp_get_unit_option(t, o, "smallestUnit");
    if (su == -1) return -1;
    if (lu >= 0 && lu != U_AUTO && ((!group_date && lu < U_HOUR) || (!group_time && lu > U_DAY))) {
        jsvm_throw_range_error(t, "invalid largestUnit"); return -1;
    }
    if (lu == -2) lu = U_AUTO;
    if (su >= 0 && (su == U_AUTO || (!group_date && su < U_HOUR) || (!group_time && su > U_DAY))) {
        jsvm_throw_range_error(t, "invalid smallestUnit"); return -1;
    }
    if (su == -2) su = fallback_smallest;
    int dl = default_largest < su ? default_largest : su;
    if (lu == U_AUTO) lu = dl;
    if (lu > su) { jsvm_throw_range_error(t, "largestUnit must not be smaller than smallestUnit"); return -1; }
    static const double maxes[10] = { 0, 0, 0, 0, 24, 60, 60, 1000, 1000, 1000 };
    if (su > U_DAY && tp_validate_increment(t, inc, maxes[su], 0) < 0) return -1;
    if (since) {
        static const int neg[9] = { RM_FLOOR, RM_CEIL, RM_EXPAND, RM_TRUNC, RM_HALF_FLOOR, RM_HALF_CEIL,
                                    RM_HALF_EXPAND, RM_HALF_TRUNC, RM_HALF_EVEN };
        rm = neg[rm];
    }
    s->largest = lu; s->smallest = su; s->mode = rm; s->inc = (int64_t)inc;
    return 0;
}

static jsv duration_result(js_thread *t, const idur *d, int largest, int negate)
{
    double v[DU_COUNT];
    if (from_internal(t, d, largest, v) < 0) return JSV_EXCEPTION;
    if (negate) for (int i = 0; i < DU_COUNT; i++) v[i] = -v[i] + 0.0;
    return tp_make_duration(t, v, JSV_UNDEFINED);
}

/* ---- PlainDate ---- */

int tp_add_operands(js_thread *t, jsv duration, jsv options, int negate, double *v)
{
    if (tp_to_temporal_duration(t, duration, v) < 0) return -1;
    if (negate) for (int i = 0; i < DU_COUNT; i++) v[i] = -v[i] + 0.0;
    return tp_read_overflow(t, options);
}

jsv tp_date_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, magic ? "subtract" : "add");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    int ov = tp_add_operands(t, JS_ARG(0), JS_ARG(1), magic, v);
    if (ov < 0) return JSV_EXCEPTION;
    idur d = to_internal(v, 1);
    d.d = (int64_t)(d.ns / NS_DAY);
    tp_date r;
    if (date_add(t, tp->date, &d, ov, &r) < 0) return JSV_EXCEPTION;
    return tp_make_date(t, r, JSV_UNDEFINED);
}

jsv tp_date_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, magic ? "since" : "until");
    if (!tp) return JSV_EXCEPTION;
    tp_date other;
    if (tp_to_temporal_date(t, JS_ARG(0), JSV_UNDEFINED, &other) < 0) return JSV_EXCEPTION;
    diffset s;
    if (get_difference_settings(t, magic, JS_ARG(1), 0, 1, U_DAY, U_DAY, &s) < 0) return JSV_EXCEPTION;
    idur d = { 0, 0, 0, 0, 0 };
    if (tp_compare_date(tp->date, other) != 0) {
        d = date_until(tp->date, other, s.largest);
        if (!(s.smallest == U_DAY && s.inc == 1)) {
            tp_time mid = { 0, 0, 0, 0, 0, 0 };
            if (round_relative_plain(t, &d, tp->date, mid, other, mid, s.largest, s.inc, s.smallest, s.mode) < 0)
                return JSV_EXCEPTION;
        }
    }
    return duration_result(t, &d, U_DAY, magic);
}

/* ---- PlainTime ---- */

jsv tp_time_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, magic ? "subtract" : "add");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    if (tp_to_temporal_duration(t, JS_ARG(0), v) < 0) return JSV_EXCEPTION;
    __int128 ns = time_part_ns(v, 0);
    if (magic) ns = -ns;
    ns = (ns + tp_time_ns(tp->time)) % NS_DAY;
    if (ns < 0) ns += NS_DAY;
    return tp_make_time(t, tp_time_from_ns((int64_t)ns), JSV_UNDEFINED);
}

jsv tp_time_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, magic ? "since" : "until");
    if (!tp) return JSV_EXCEPTION;
    tp_time other;
    if (tp_to_temporal_time(t, JS_ARG(0), JSV_UNDEFINED, &other) < 0) return JSV_EXCEPTION;
    diffset s;
    if (get_difference_settings(t, magic, JS_ARG(1), 1, 0, U_NS, U_HOUR, &s) < 0) return JSV_EXCEPTION;
    idur d = { 0, 0, 0, 0, (__int128)tp_time_ns(other) - tp_time_ns(tp->time) };
    d.ns = tp_round_i128(d.ns, du_ns[s.smallest] * s.inc, s.mode);
    return duration_result(t, &d, s.largest, magic);
}

/* ---- PlainDateTime ---- */

static int datetime_add(js_thread *t, tp_date d, tp_time tm, const double *v, int ov, tp_date *od, tp_time *otm)
{
    idur dur = to_internal(v, 1);
    __int128 ns = dur.ns + tp_time_ns(tm);
    __int128 days = ns / NS_DAY, rem = ns % NS_DAY;
    if (rem < 0) { rem += NS_DAY; days--; }
    dur.d = (int64_t)days;
    if (date_add(t, d, &dur, ov, od) < 0) return -1;
    *otm = tp_time_from_ns((int64_t)rem);
    if (!tp_datetime_in_limits(*od, *otm)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
    return 0;
}

jsv tp_datetime_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, magic ? "subtract" : "add");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    int ov = tp_add_operands(t, JS_ARG(0), JS_ARG(1), magic, v);
    if (ov < 0) return JSV_EXCEPTION;
    tp_date d; tp_time tm;
    if (datetime_add(t, tp->date, tp->time, v, ov, &d, &tm) < 0) return JSV_EXCEPTION;
    return tp_make_datetime(t, d, tm, JSV_UNDEFINED);
}

static int diff_datetime_rounding(js_thread *t, tp_date d1, tp_time t1, tp_date d2, tp_time t2, const diffset *s, idur *out)
{
    idur z = { 0, 0, 0, 0, 0 };
    *out = z;
    if (tp_compare_datetime(d1, t1, d2, t2) == 0) return 0;
    if (!tp_datetime_in_limits(d1, t1) || !tp_datetime_in_limits(d2, t2)) {
        jsvm_throw_range_error(t, "date-time outside the supported range");
        return -1;
    }
    *out = diff_datetime(d1, t1, d2, t2, s->largest);
    if (s->smallest == U_NS && s->inc == 1) return 0;
    return round_relative_plain(t, out, d1, t1, d2, t2, s->largest, s->inc, s->smallest, s->mode);
}

jsv tp_datetime_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, magic ? "since" : "until");
    if (!tp) return JSV_EXCEPTION;
    tp_date od; tp_time ot;
    if (tp_to_temporal_datetime(t, JS_ARG(0), JSV_UNDEFINED, &od, &ot) < 0) return JSV_EXCEPTION;
    diffset s;
    if (get_difference_settings(t, magic, JS_ARG(1), 1, 1, U_NS, U_DAY, &s) < 0) return JSV_EXCEPTION;
    idur d;
    if (diff_datetime_rounding(t, tp->date, tp->time, od, ot, &s, &d) < 0) return JSV_EXCEPTION;
    return duration_result(t, &d, s.largest, magic);
}

/* ---- Duration objects ---- */

static jsv du_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double v[DU_COUNT];
    for (int i = 0; i < DU_COUNT; i++) {
        v[i] = 0;
        if (!jsv_is_undefined(JS_ARG(i)) && to_integer_if_integral(t, JS_ARG(i), &v[i]) < 0) return JSV_EXCEPTION;
    }
    return tp_make_duration(t, v, new_target);
}

static jsv du_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double v[DU_COUNT];
    if (tp_to_temporal_duration(t, JS_ARG(0), v) < 0) return JSV_EXCEPTION;
    return tp_make_duration(t, v, JSV_UNDEFINED);
}

static jsv du_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, "getter");
    if (!tp) return JSV_EXCEPTION;
    if (magic < DU_COUNT) return jsv_number(tp->dur[magic]);
    int s = dur_sign(tp->dur);
    return magic == DU_COUNT ? jsv_from_int(s) : jsv_from_bool(s == 0);
}

static jsv du_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, "with");
    if (!tp) return JSV_EXCEPTION;
    if (!jsv_is_object(JS_ARG(0))) return jsvm_throw_type_error(t, "argument must be an object");
    double v[DU_COUNT];
    int has[DU_COUNT];
    memcpy(v, tp->dur, sizeof v);
    if (read_partial_duration(t, JS_ARG(0), v, has) < 0) return JSV_EXCEPTION;
    return tp_make_duration(t, v, JSV_UNDEFINED);
}

static jsv du_negate(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, magic ? "abs" : "negated");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    for (int i = 0; i < DU_COUNT; i++) v[i] = (magic ? fabs(tp->dur[i]) : -tp->dur[i]) + 0.0;
    return tp_make_duration(t, v, JSV_UNDEFINED);
}

static jsv du_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, magic ? "subtract" : "add");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    if (tp_to_temporal_duration(t, JS_ARG(0), v) < 0) return JSV_EXCEPTION;
    if (magic) for (int i = 0; i < DU_COUNT; i++) v[i] = -v[i] + 0.0;
    int l1 = default_largest_unit(tp->dur), l2 = default_largest_unit(v);
    int largest = l1 < l2 ? l1 : l2;
    if (largest <= U_WEEK) return jsvm_throw_range_error(t, "cannot add durations with calendar units without relativeTo");
    idur d = { 0, 0, 0, 0, time_part_ns(tp->dur, 1) + time_part_ns(v, 1) };
    if (check_time_duration(t, d.ns) < 0) return JSV_EXCEPTION;
    return duration_result(t, &d, largest, 0);
}

/* Offset option "reject": the offset a zoned relativeTo gives must be the one
 * its wall clock has in the zone (zone_off, from tp_zone_wall_offset). */
static int check_rel_offset(js_thread *t, int64_t given, int64_t zone_off, int match_minutes)
{
    if (given == zone_off) return 0;
    if (match_minutes && (int64_t)tp_round_i128(zone_off, 60000000000LL, RM_HALF_EXPAND) == given) return 0;
    jsvm_throw_range_error(t, "offset does not match the time zone");
    return -1;
}

/* A relativeTo option: none, a PlainDate (wall clock midnight), or a ZonedDateTime. */
enum { REL_NONE, REL_PLAIN, REL_ZONED };
typedef struct relto { int kind; relctx c; __int128 ns; } relto;

/* The zoned relativeTo whose wall clock d/tm has offset off in zone (the
 * offset InterpretISODateTimeOffset chose, so the instant is d/tm - off). */
static int rel_zoned(js_thread *t, tp_date d, tp_time tm, const tp_zone *zone, int64_t off, relto *r)
{
    int64_t days = tp_epoch_days(d.year, d.month, d.day);
    r->kind = REL_ZONED;
    r->c.zoned = 1;
    r->c.zone = *zone;
    r->ns = tp_utc_epoch_ns(d, tm) - off;
    if (days > 100000000 || days < -100000000 || !tp_valid_epoch_ns(r->ns)) {
        jsvm_throw_range_error(t, "relativeTo outside the supported range");
        return -1;
    }
    zone_wall(&r->c, r->ns, &r->c.date, &r->c.time);
    return 0;
}

/* GetTemporalRelativeToOption */
static int get_relative_to(js_thread *t, jsv o, relto *r)
{
    memset(r, 0, sizeof *r);
    jsv v = tp_get_prop(t, o, "relativeTo");
    if (v == JSV_EXCEPTION) return -1;
    if (jsv_is_undefined(v)) return 0;
    if (jsv_is_object(v)) {
        js_temporal *tp = jsobj_class(JSV_OBJ(v)) == JS_CLASS_TEMPORAL ? (js_temporal *)JSV_OBJ(v) : NULL;
        if (tp && (tp->kind == TK_DATE || tp->kind == TK_DATETIME)) {
            r->kind = REL_PLAIN;
            r->c.date = tp->date;
            return 0;
        }
        if (tp && tp->kind == TK_ZONED) {
            r->kind = REL_ZONED;
            r->c.zoned = 1;
            r->c.zone = tp->zone;
            r->ns = tp->epoch_ns;
            zone_wall(&r->c, r->ns, &r->c.date, &r->c.time);
            return 0;
        }
        if (tp_calendar_from_item(t, v) < 0) return -1;
        tp_fields f;
        if (tp_read_fields(t, v, &f, 7, 7) < 0) return -1;
        tp_date d;
        tp_time tm;
        if (tp_date_from_fields(t, &f, 0, &d) < 0) return -1;
        double tv[6];
        tp_fields_time(&f, NULL, tv);
        if (tp_regulate_time(t, tv, 0, &tm) < 0) return -1;
        if (!f.has_tz) {
            r->kind = REL_PLAIN;
            r->c.date = d;
            return 0;
        }
        /* InterpretISODateTimeOffset(option, reject, match exactly): a bag's
         * offset must be one this wall clock really has in the zone. */
        int64_t zone_off;
        if (tp_zone_wall_offset(t, &f.tz_zone, d, tm, f.has_offset, f.offset_ns, 0, &zone_off) < 0) return -1;
        if (f.has_offset && check_rel_offset(t, f.offset_ns, zone_off, 0) < 0) return -1;
        return rel_zoned(t, d, tm, &f.tz_zone, zone_off, r);
    }
    if (!jsv_is_string(v)) { jsvm_throw_type_error(t, "invalid relativeTo"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, v, TP_PARSE_DATETIME, &p) < 0) return -1;
    if (p.tz[0]) {
        char id[300];
        int64_t zone_off;
        tp_zone zone;
        jsv tzs = tp_str(t, p.tz);
        if (tzs == JSV_EXCEPTION || tp_to_time_zone_rec(t, tzs, id, sizeof id, &zone) < 0) return -1;
        tp_date d = p.date;
        tp_time tm = p.time;
        if (p.has_z) {
            if (!tp_datetime_in_limits(p.date, p.time)) { jsvm_throw_range_error(t, "relativeTo out of range"); return -1; }
            __int128 ns = tp_utc_epoch_ns(p.date, p.time);
            zone_off = tp_zone_offset(&zone, ns);
            tp_epoch_to_parts(ns + zone_off, &d, &tm);
        } else if (!p.has_time) {
            /* a date alone starts at the zone's start of that day */
            __int128 ns;
            if (!tp_date_in_limits(p.date)) { jsvm_throw_range_error(t, "relativeTo out of range"); return -1; }
            if (tp_zone_start_of_day(t, &zone, p.date, &ns) < 0) return -1;
            zone_off = tp_zone_offset(&zone, ns);
            tp_epoch_to_parts(ns + zone_off, &d, &tm);
        } else {
            /* a string's offset may match the zone's to the minute */
            if (!tp_datetime_in_limits(p.date, p.time)) { jsvm_throw_range_error(t, "relativeTo out of range"); return -1; }
            if (tp_zone_wall_offset(t, &zone, p.date, p.time, p.has_offset, p.offset_ns,
                                    !p.offset_has_subminute, &zone_off) < 0)
                return -1;
            if (p.has_offset && check_rel_offset(t, p.offset_ns, zone_off, !p.offset_has_subminute) < 0) return -1;
        }
        if (!tp_datetime_in_limits(d, tm)) { jsvm_throw_range_error(t, "relativeTo out of range"); return -1; }
        return rel_zoned(t, d, tm, &zone, zone_off, r);
    }
    if (p.has_z) { jsvm_throw_range_error(t, "UTC designator requires a time zone annotation"); return -1; }
    if (!tp_date_in_limits(p.date)) { jsvm_throw_range_error(t, "relativeTo out of range"); return -1; }
    r->kind = REL_PLAIN;
    r->c.date = p.date;
    return 0;
}

/* DateDurationDays */
static int date_duration_days(js_thread *t, const idur *d, tp_date rel, int64_t *out)
{
    *out = d->d;
    if (!d->y && !d->mo && !d->w) return 0;
    idur ymw = { d->y, d->mo, d->w, 0, 0 };
    tp_date later;
    if (date_add(t, rel, &ymw, 0, &later) < 0) return -1;
    *out += tp_epoch_days(later.year, later.month, later.day) - tp_epoch_days(rel.year, rel.month, rel.day);
    return 0;
}

static jsv du_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double a[DU_COUNT], b[DU_COUNT];
    if (tp_to_temporal_duration(t, JS_ARG(0), a) < 0 || tp_to_temporal_duration(t, JS_ARG(1), b) < 0)
        return JSV_EXCEPTION;
    jsv o = tp_get_options_object(t, JS_ARG(2));
    if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
    relto rel;
    if (get_relative_to(t, o, &rel) < 0) return JSV_EXCEPTION;
    if (!memcmp(a, b, sizeof a)) return jsv_from_int(0);
    int la = default_largest_unit(a), lb = default_largest_unit(b);
    idur x = to_internal(a, 0), y = to_internal(b, 0);
    if (rel.kind == REL_ZONED && (la <= U_DAY || lb <= U_DAY)) {
        __int128 ax, ay;
        if (add_zoned(t, &rel.c, rel.ns, &x, &ax) < 0 || add_zoned(t, &rel.c, rel.ns, &y, &ay) < 0) return JSV_EXCEPTION;
        return jsv_from_int(ax < ay ? -1 : ax > ay);
    }
    int64_t dx = x.d, dy = y.d;
    if (la <= U_WEEK || lb <= U_WEEK) {
        if (rel.kind != REL_PLAIN) return jsvm_throw_range_error(t, "relativeTo is required for calendar units");
        if (date_duration_days(t, &x, rel.c.date, &dx) < 0 || date_duration_days(t, &y, rel.c.date, &dy) < 0)
            return JSV_EXCEPTION;
    }
    __int128 tx = x.ns + (__int128)dx * NS_DAY, ty = y.ns + (__int128)dy * NS_DAY;
    if (check_time_duration(t, tx) < 0 || check_time_duration(t, ty) < 0) return JSV_EXCEPTION;
    return jsv_from_int(tx < ty ? -1 : tx > ty);
}

/* The plain relativeTo steps shared by round and total: the duration with
 * 24-hour days is added to midnight of the relativeTo date. */
static int plain_target(js_thread *t, const js_temporal *tp, const relto *rel, tp_date *td, tp_time *tt)
{
    idur d = to_internal(tp->dur, 1);
    __int128 days = d.ns / NS_DAY, rem = d.ns % NS_DAY;
    if (rem < 0) { rem += NS_DAY; days--; }
    d.d = (int64_t)days;
    if (date_add(t, rel->c.date, &d, 0, td) < 0) return -1;
    *tt = tp_time_from_ns((int64_t)rem);
    return 0;
}

static jsv du_round(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, "round");
    if (!tp) return JSV_EXCEPTION;
    jsv o;
    if (tp_get_round_to(t, JS_ARG(0), &o) < 0) return JSV_EXCEPTION;
    int lu = tp_get_unit_option(t, o, "largestUnit");
    if (lu == -1) return JSV_EXCEPTION;
    relto rel;
    if (get_relative_to(t, o, &rel) < 0) return JSV_EXCEPTION;
    double incd;
    if (tp_get_rounding_increment(t, o, &incd) < 0) return JSV_EXCEPTION;
    int rm = tp_get_rounding_mode(t, o, RM_HALF_EXPAND);
    if (rm < 0) return JSV_EXCEPTION;
    int su = tp_get_unit_option(t, o, "smallestUnit");
    if (su == -1) return JSV_EXCEPTION;
    if (su == U_AUTO) return jsvm_throw_range_error(t, "invalid smallestUnit");
    int su_present = su != -2, lu_present = lu != -2;
    if (!su_present) su = U_NS;
    int existing = default_largest_unit(tp->dur);
    int deflu = existing < su ? existing : su;
    if (!lu_present || lu == U_AUTO) lu = deflu;
    if (!su_present && !lu_present) return jsvm_throw_range_error(t, "smallestUnit or largestUnit is required");
    if (lu > su) return jsvm_throw_range_error(t, "largestUnit must not be smaller than smallestUnit");
    static const double maxes[10] = { 0, 0, 0, 0, 24, 60, 60, 1000, 1000, 1000 };
    if (su > U_DAY && tp_validate_increment(t, incd, maxes[su], 0) < 0) return JSV_EXCEPTION;
    int64_t inc = (int64_t)incd;
    if (inc > 1 && lu != su && su <= U_DAY) return jsvm_throw_range_error(t, "roundingIncrement not allowed here");
    if (rel.kind == REL_ZONED) {
        idur d = to_internal(tp->dur, 0), r;
        __int128 target;
        if (add_zoned(t, &rel.c, rel.ns, &d, &target) < 0 ||
            diff_zoned_rounding(t, &rel.c, rel.ns, target, lu, inc, su, rm, &r) < 0)
            return JSV_EXCEPTION;
        return duration_result(t, &r, lu <= U_DAY ? U_HOUR : lu, 0);
    }
    if (rel.kind == REL_PLAIN) {
        tp_date td;
        tp_time tt, mid = { 0, 0, 0, 0, 0, 0 };
        if (plain_target(t, tp, &rel, &td, &tt) < 0) return JSV_EXCEPTION;
        diffset s = { lu, su, rm, inc };
        idur r;
        if (diff_datetime_rounding(t, rel.c.date, mid, td, tt, &s, &r) < 0) return JSV_EXCEPTION;
        return duration_result(t, &r, lu, 0);
    }
    if (existing <= U_WEEK || lu <= U_WEEK) return jsvm_throw_range_error(t, "relativeTo is required for calendar units");
    idur d = to_internal(tp->dur, 1);
    __int128 ulen = su == U_DAY ? NS_DAY : du_ns[su];
    d.ns = tp_round_i128(d.ns, ulen * inc, rm);
    if (check_time_duration(t, d.ns) < 0) return JSV_EXCEPTION;
    return duration_result(t, &d, lu, 0);
}

static jsv du_total(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, "total");
    if (!tp) return JSV_EXCEPTION;
    jsv o;
    if (jsv_is_undefined(JS_ARG(0))) return jsvm_throw_type_error(t, "total requires an argument");
    if (jsv_is_string(JS_ARG(0))) {
        js_object *obj = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        js_key k = jskey_from_cstr(t, "unit");
        if (!obj || k == JSV_EXCEPTION || jsobj_create_data_property(t, obj, k, JS_ARG(0), 0) < 0) return JSV_EXCEPTION;
        o = jsv_object(obj);
    } else {
        o = tp_get_options_object(t, JS_ARG(0));
        if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
    }
    relto rel;
    if (get_relative_to(t, o, &rel) < 0) return JSV_EXCEPTION;
    int unit = tp_get_unit_option(t, o, "unit");
    if (unit == -1) return JSV_EXCEPTION;
    if (unit == -2 || unit == U_AUTO) return jsvm_throw_range_error(t, "unit is required");
    double total;
    if (rel.kind == REL_ZONED) {
        idur d = to_internal(tp->dur, 0), r;
        __int128 target;
        if (add_zoned(t, &rel.c, rel.ns, &d, &target) < 0) return JSV_EXCEPTION;
        if (unit > U_DAY) return jsv_number(div_exact(target - rel.ns, du_ns[unit]));
        if (diff_zoned(t, &rel.c, rel.ns, target, unit, &r) < 0 ||
            total_relative(t, &r, rel.ns, target, &rel.c, unit, &total) < 0)
            return JSV_EXCEPTION;
        return jsv_number(total);
    }
    if (rel.kind == REL_PLAIN) {
        tp_date td;
        tp_time tt, mid = { 0, 0, 0, 0, 0, 0 };
        if (plain_target(t, tp, &rel, &td, &tt) < 0) return JSV_EXCEPTION;
        if (tp_compare_datetime(rel.c.date, mid, td, tt) == 0) return jsv_number(0);
        if (!tp_datetime_in_limits(rel.c.date, mid) || !tp_datetime_in_limits(td, tt))
            return jsvm_throw_range_error(t, "date-time outside the supported range");
        idur r = diff_datetime(rel.c.date, mid, td, tt, unit);
        if (total_relative(t, &r, epoch_ns(rel.c.date, mid), epoch_ns(td, tt), &rel.c, unit, &total) < 0)
            return JSV_EXCEPTION;
        return jsv_number(total);
    }
    if (default_largest_unit(tp->dur) <= U_WEEK || unit <= U_WEEK)
        return jsvm_throw_range_error(t, "relativeTo is required for calendar units");
    idur d = to_internal(tp->dur, 1);
    return jsv_number(div_exact(d.ns, unit == U_DAY ? NS_DAY : du_ns[unit]));
}

static int fmt_num(char *buf, double v) { return sprintf(buf, "%.0f", fabs(v)); }

static jsv du_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DURATION, "toString");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    memcpy(v, tp->dur, sizeof v);
    tp_string_opts so;
    if (tp_get_string_opts(t, JS_ARG(0), magic ? 0 : TP_OPT_PRECISION, &so) < 0) return JSV_EXCEPTION;
    int prec = so.prec;
    if (prec == -2) return jsvm_throw_range_error(t, "smallestUnit must not be minute");
    if (so.inc != 1) {
        int largest = default_largest_unit(v);
        idur d = to_internal(v, 0);
        d.ns = tp_round_i128(d.ns, so.inc, so.rm);
        if (check_time_duration(t, d.ns) < 0) return JSV_EXCEPTION;
        if (from_internal(t, &d, largest < U_SECOND ? largest : U_SECOND, v) < 0) return JSV_EXCEPTION;
    }
    char buf[512];
    int n = 0, sign = dur_sign(v);
    if (sign < 0) buf[n++] = '-';
    buf[n++] = 'P';
    static const char dl[4] = { 'Y', 'M', 'W', 'D' };
    for (int i = 0; i < 4; i++)
        if (v[i]) { n += fmt_num(buf + n, v[i]); buf[n++] = dl[i]; }
    __int128 secns = (__int128)fabs(v[DU_SECONDS]) * 1000000000 + (__int128)fabs(v[DU_MS]) * 1000000 +
                     (__int128)fabs(v[DU_US]) * 1000 + (__int128)fabs(v[DU_NS]);
    int zero_dur = sign == 0;
    int need_t = v[DU_HOURS] || v[DU_MINUTES] || secns || zero_dur || prec >= 0;
    if (need_t) {
        buf[n++] = 'T';
        if (v[DU_HOURS]) { n += fmt_num(buf + n, v[DU_HOURS]); buf[n++] = 'H'; }
        if (v[DU_MINUTES]) { n += fmt_num(buf + n, v[DU_MINUTES]); buf[n++] = 'M'; }
        if (secns || zero_dur || prec >= 0 || (!v[DU_HOURS] && !v[DU_MINUTES] && !v[0] && !v[1] && !v[2] && !v[3])) {
            __int128 whole = secns / 1000000000;
            int frac = (int)(secns % 1000000000);
            char tmp[64]; int k = 0;
            if (whole == 0) tmp[k++] = '0';
            while (whole) { tmp[k++] = (char)('0' + (int)(whole % 10)); whole /= 10; }
            while (k) buf[n++] = tmp[--k];
            char f[16]; sprintf(f, "%09d", frac);
            int digits = prec;
            if (prec == -1) { digits = 9; while (digits > 0 && f[digits - 1] == '0') digits--; }
            if (digits > 0) { buf[n++] = '.'; memcpy(buf + n, f, digits); n += digits; }
            buf[n++] = 'S';
        }
        if (buf[n - 1] == 'T') n--;
    }
    buf[n] = 0;
    return tp_str(t, buf);
}

static const char *const du_extra_names[] = { "sign", "blank" };

static const tp_method du_statics[] = {
    { "from", du_from, 1, 0 },
    { "compare", du_compare, 2, 0 },
}, du_methods[] = {
    { "with", du_with, 1, 0 },
    { "negated", du_negate, 0, 0 },
    { "abs", du_negate, 0, 1 },
    { "add", du_add, 1, 0 },
    { "subtract", du_add, 1, 1 },
    { "round", du_round, 1, 0 },
    { "total", du_total, 1, 0 },
    { "toString", du_to_string, 0, 0 },
    { "toJSON", du_to_string, 0, 1 },
    { "toLocaleString", du_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
};

int tp_init_duration(js_thread *t, js_realm *realm, js_object *ns)
{
    static const tp_type_spec spec = {
        "Duration", 0, du_construct, JS_INTR_TemporalDuration, JS_INTR_TemporalDurationPrototype,
        du_statics, TP_COUNTOF(du_statics), du_methods, TP_COUNTOF(du_methods),
    };
    js_object *proto = tp_init_type(t, realm, ns, &spec);
    if (!proto || tp_define_getters(t, proto, du_names, DU_COUNT, du_get) < 0) return -1;
    for (int i = 0; i < 2; i++)
        if (jsobj_define_getter(t, proto, du_extra_names[i], du_get, DU_COUNT + i) < 0) return -1;
    return 0;
}

/* Exported wrappers for instant.c / zoned.c. */
int tp_difference_settings_time(js_thread *t, int since, jsv o, int fallback_smallest, int default_largest,
                                int *largest, int *smallest, int *mode, int64_t *inc)
{
    diffset s;
    if (get_difference_settings(t, since, o, 1, 0, fallback_smallest, default_largest, &s) < 0) return -1;
    *largest = s.largest; *smallest = s.smallest; *mode = s.mode; *inc = s.inc;
    return 0;
}

jsv tp_duration_from_ns(js_thread *t, __int128 ns, int largest, int negate)
{
    idur d = { 0, 0, 0, 0, ns };
    return duration_result(t, &d, largest, negate);
}

/* DifferenceTemporalPlainYearMonth (both dates have day 1). */
jsv tp_yearmonth_until(js_thread *t, tp_date one, tp_date two, jsv options, int since)
{
    diffset s;
    if (get_difference_settings(t, since, options, 0, 1, U_MONTH, U_YEAR, &s) < 0) return JSV_EXCEPTION;
    if (s.largest == U_WEEK || s.largest == U_DAY || s.smallest == U_WEEK || s.smallest == U_DAY)
        return jsvm_throw_range_error(t, "weeks and days are not allowed for PlainYearMonth differences");
    idur d = { 0, 0, 0, 0, 0 };
    one.day = 1; two.day = 1;
    if (tp_compare_date(one, two) != 0) {
        if (!tp_date_in_limits(one) || !tp_date_in_limits(two))
            return jsvm_throw_range_error(t, "date outside the supported range");
        d = date_until(one, two, s.largest);
        d.w = 0; d.d = 0;
        if (!(s.smallest == U_MONTH && s.inc == 1)) {
            tp_time mid = { 0, 0, 0, 0, 0, 0 };
            if (round_relative_plain(t, &d, one, mid, two, mid, s.largest, s.inc, s.smallest, s.mode) < 0)
                return JSV_EXCEPTION;
        }
    }
    return duration_result(t, &d, U_DAY, since);
}

/* ZonedDateTime support (zoned.c): date arithmetic on wall clocks and differences. */
int tp_add_date_part(js_thread *t, tp_date d, const double *v, int ov, tp_date *out)
{
    idur dur = to_internal(v, 0);
    return date_add(t, d, &dur, ov, out);
}

__int128 tp_time_part_ns(const double *v) { return time_part_ns(v, 0); }

int tp_duration_has_date_part(const double *v) { return v[0] || v[1] || v[2] || v[3]; }

jsv tp_zoned_until(js_thread *t, __int128 ns1, __int128 ns2, const tp_zone *zone, int same_tz, jsv options, int since)
{
    diffset s;
    if (get_difference_settings(t, since, options, 1, 1, U_NS, U_HOUR, &s) < 0) return JSV_EXCEPTION;
    if (s.largest <= U_DAY && !same_tz) return jsvm_throw_range_error(t, "time zones must match to compute date differences");
    relctx c;
    memset(&c, 0, sizeof c);
    c.zoned = 1;
    c.zone = *zone;
    idur d;
    if (diff_zoned_rounding(t, &c, ns1, ns2, s.largest, s.inc, s.smallest, s.mode, &d) < 0) return JSV_EXCEPTION;
    return duration_result(t, &d, s.largest <= U_DAY ? U_HOUR : s.largest, since);
}
