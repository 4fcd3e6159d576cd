/*
 * zoned.c - Temporal.ZonedDateTime over the zones instant.c and tzdb.c
 * resolve (offsets, UTC, IANA zones with gaps and repeated wall times).
 * Difference arithmetic lives in duration.c; zone rules in tzdb.c.
 */
#include "temporal.h"
#include "../../core/bigint.h"
#include <string.h>
#include <stdio.h>

#define NS_DAY ((__int128)86400000000000LL)

jsv tp_make_zoned(js_thread *t, __int128 ns, jsv tz, const tp_zone *zone, jsv new_target)
{
    if (!tp_valid_epoch_ns(ns)) return jsvm_throw_range_error(t, "instant outside the supported range");
    js_temporal *tp = tp_new(t, new_target, TK_ZONED);
    if (!tp) return JSV_EXCEPTION;
    tp->epoch_ns = ns;
    tp->tz = tz;
    tp->zone = *zone;
    tp->tz_offset = tp_zone_offset(zone, ns);
    tp_epoch_to_parts(ns + tp->tz_offset, &tp->date, &tp->time);
    return jsv_object(&tp->base);
}

int tp_zoned_date_time(js_thread *t, js_temporal *z, tp_date *d, tp_time *tm)
{
    if (d) *d = z->date;
    if (tm) *tm = z->time;
    return 0;
}

static jsv tz_value(js_thread *t, const char *id) { return tp_str(t, id); }

/* disambiguation, offset, overflow options in that order. */
static int get_zoned_options(js_thread *t, jsv o, int *disamb, int *offopt, int *overflow, int offdef)
{
    static const char *const dis[] = { "compatible", "earlier", "later", "reject" };
    static const char *const offs[] = { "prefer", "use", "ignore", "reject" };
    if ((*disamb = tp_get_string_option(t, o, "disambiguation", dis, 4, 0)) < 0) return -1;
    if ((*offopt = tp_get_string_option(t, o, "offset", offs, 4, offdef)) < 0) return -1;
    if ((*overflow = tp_get_overflow(t, o)) < 0) return -1;
    return 0;
}

/* InterpretISODateTimeOffset. behaviour: 0 wall, 1 exact, 2 option; offopt:
 * 0 prefer, 1 use, 2 ignore, 3 reject; disamb as tp_zone_epoch_ns. */
static int interpret_offset(js_thread *t, tp_date d, tp_time tm, int start_of_day, int behaviour, int64_t offset_ns,
                            const tp_zone *zone, int disamb, int offopt, int match_minutes, __int128 *out)
{
    if (start_of_day) return tp_zone_start_of_day(t, zone, d, out);
    if (!tp_datetime_in_limits(d, tm)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
    __int128 local = tp_utc_epoch_ns(d, tm);
    if (behaviour == 0 || (behaviour == 2 && offopt == 2)) return tp_zone_epoch_ns(t, zone, d, tm, disamb, out);
    if (behaviour == 1 || offopt == 1) {
        __int128 ns = local - offset_ns;
        if (!tp_valid_epoch_ns(ns)) { jsvm_throw_range_error(t, "instant outside the supported range"); return -1; }
        *out = ns;
        return 0;
    }
    int64_t days = tp_epoch_days(d.year, d.month, d.day);      /* CheckISODaysRange on the wall clock */
    if (days > 100000000 || days < -100000000) { jsvm_throw_range_error(t, "wall-clock date outside the supported range"); return -1; }
    __int128 c[2];
    int n = tp_zone_possible(t, zone, d, tm, c);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        int64_t cand = (int64_t)(local - c[i]);
        if (cand == offset_ns ||
            (match_minutes && (int64_t)tp_round_i128(cand, 60000000000LL, RM_HALF_EXPAND) == offset_ns)) {
            *out = c[i];
            return 0;
        }
    }
    if (offopt == 3) { jsvm_throw_range_error(t, "offset does not match the time zone"); return -1; }
    return tp_zone_epoch_ns(t, zone, d, tm, disamb, out);
}

typedef struct zres { __int128 ns; jsv tz; tp_zone zone; } zres;

/* Reads a ZonedDateTime property bag (fields + offset + timeZone). */
static int zoned_from_bag(js_thread *t, jsv item, jsv options, int offdef, const js_temporal *base, zres *r)
{
    tp_fields f;
    if (tp_read_fields(t, item, &f, 7, base ? 3 : 7) < 0) return -1;
    int64_t offset_ns = f.offset_ns;
    int has_offset = f.has_offset;
    tp_zone zone;
    jsv tzv;
    if (!base) {
        if (!f.has_tz) { jsvm_throw_type_error(t, "timeZone is required"); return -1; }
        zone = f.tz_zone;
        if ((tzv = tz_value(t, f.tz_id)) == JSV_EXCEPTION) return -1;
    } else {
        tzv = base->tz; zone = base->zone;
        int any = f.has_year | f.has_month | f.has_monthcode | f.has_day | has_offset;
        for (int i = 0; i < 6; i++) any |= f.has_tf[i];
        if (!any) { jsvm_throw_type_error(t, "no fields given"); return -1; }
        tp_merge_date_fields(&f, base->date);
        if (!has_offset) { offset_ns = base->tz_offset; has_offset = 1; }
    }
    jsv o = tp_get_options_object(t, options);
    if (o == JSV_EXCEPTION) return -1;
    int dis, offopt, ov;
    if (get_zoned_options(t, o, &dis, &offopt, &ov, offdef) < 0) return -1;
    tp_date d; tp_time tm;
    if (tp_date_from_fields(t, &f, ov, &d) < 0) return -1;
    double tv[6];
    tp_fields_time(&f, base ? &base->time : NULL, tv);
    if (tp_regulate_time(t, tv, ov, &tm) < 0) return -1;
    if (interpret_offset(t, d, tm, 0, has_offset ? 2 : 0, offset_ns, &zone, dis, offopt, 0, &r->ns) < 0) return -1;
    r->tz = tzv; r->zone = zone;
    return 0;
}

int tp_to_temporal_zoned(js_thread *t, jsv item, jsv options, zres *r)
{
    if (jsv_is_object(item)) {
        js_temporal *z = tp_get(item, TK_ZONED);
        if (z) {
            jsv o = tp_get_options_object(t, options);
            int dis, offopt, ov;
            if (o == JSV_EXCEPTION || get_zoned_options(t, o, &dis, &offopt, &ov, 3) < 0) return -1;
            r->ns = z->epoch_ns; r->tz = z->tz; r->zone = z->zone;
            return 0;
        }
        if (tp_calendar_from_item(t, item) < 0) return -1;
        return zoned_from_bag(t, item, options, 3, NULL, r);
    }
    if (!jsv_is_string(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.ZonedDateTime"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_ZONED, &p) < 0) return -1;
    char id[300];
    tp_zone zone;
    jsv tzs = tp_str(t, p.tz);
    if (tzs == JSV_EXCEPTION || tp_to_time_zone_rec(t, tzs, id, sizeof id, &zone) < 0) return -1;
    jsv tzv = tz_value(t, id);
    if (tzv == JSV_EXCEPTION) return -1;
    jsv o = tp_get_options_object(t, options);
    int dis, offopt, ov;
    if (o == JSV_EXCEPTION || get_zoned_options(t, o, &dis, &offopt, &ov, 3) < 0) return -1;
    int behaviour = p.has_z ? 1 : p.has_offset ? 2 : 0;
    if (interpret_offset(t, p.date, p.time, !p.has_time, behaviour, p.offset_ns, &zone, dis, offopt,
                         !p.offset_has_subminute, &r->ns) < 0)
        return -1;
    r->tz = tzv; r->zone = zone;
    return 0;
}

static int parse_tz_identifier_only(js_thread *t, jsv v, char *id, size_t cap, tp_zone *zone)
{
    if (!jsv_is_string(v)) { jsvm_throw_type_error(t, "time zone must be a string"); return -1; }
    char buf[300];
    int n = tp_string_ascii(JSV_STR(v), buf, sizeof buf);
    tp_parsed p;
    if (n > 0 && buf[0] != '+' && buf[0] != '-' && tp_parse(buf, (size_t)n, TP_PARSE_DATETIME, &p) == 0) {
        jsvm_throw_range_error(t, "invalid time zone identifier");
        return -1;
    }
    return tp_to_time_zone_rec(t, v, id, cap, zone);
}

static jsv zd_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv b = jsbi_to_bigint(t, JS_ARG(0));
    if (b == JSV_EXCEPTION) return JSV_EXCEPTION;
    __int128 ns;
    if (tp_bigint_to_i128(JSV_BIG(b), &ns) < 0) return jsvm_throw_range_error(t, "instant outside the supported range");
    if (!tp_valid_epoch_ns(ns)) return jsvm_throw_range_error(t, "instant outside the supported range");
    char id[300];
    tp_zone zone;
    if (parse_tz_identifier_only(t, JS_ARG(1), id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(2)) && tp_canonicalize_calendar(t, JS_ARG(2)) < 0) return JSV_EXCEPTION;
    jsv tzv = tz_value(t, id);
    if (tzv == JSV_EXCEPTION) return JSV_EXCEPTION;
    return tp_make_zoned(t, ns, tzv, &zone, new_target);
}

static jsv zd_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    zres r;
    if (tp_to_temporal_zoned(t, JS_ARG(0), JS_ARG(1), &r) < 0) return JSV_EXCEPTION;
    return tp_make_zoned(t, r.ns, r.tz, &r.zone, JSV_UNDEFINED);
}

static jsv zd_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    zres a, b;
    if (tp_to_temporal_zoned(t, JS_ARG(0), JSV_UNDEFINED, &a) < 0 ||
        tp_to_temporal_zoned(t, JS_ARG(1), JSV_UNDEFINED, &b) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(a.ns < b.ns ? -1 : a.ns > b.ns);
}

static int format_offset_exact(char *buf, int64_t ns)
{
    int64_t a = ns < 0 ? -ns : ns;
    int64_t h = a / 3600000000000LL, m = a / 60000000000LL % 60, s = a / 1000000000 % 60, f = a % 1000000000;
    int n = sprintf(buf, "%c%02d:%02d", ns < 0 ? '-' : '+', (int)h, (int)m);
    if (s || f) {
        n += sprintf(buf + n, ":%02d", (int)s);
        if (f) {
            char fr[16]; sprintf(fr, "%09d", (int)f);
            int k = 9; while (k > 0 && fr[k - 1] == '0') k--;
            buf[n++] = '.'; memcpy(buf + n, fr, k); n += k; buf[n] = 0;
        }
    }
    return n;
}

enum { ZG_TZ = 100, ZG_EPOCHMS, ZG_EPOCHNS, ZG_HOURSINDAY, ZG_OFFSETNS, ZG_OFFSET };

static jsv zd_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "getter");
    if (!z) return JSV_EXCEPTION;
    if (magic < 16) return tp_date_getter(t, z->date, magic);
    if (magic >= 50 && magic < 56) return tp_time_getter(z->time, magic - 50);
    char buf[64];
    switch (magic) {
    case ZG_TZ: return z->tz;
    case ZG_EPOCHMS: {
        __int128 q = z->epoch_ns / 1000000;
        if (z->epoch_ns % 1000000 < 0) q--;
        return jsv_number((double)q);
    }
    case ZG_EPOCHNS: return tp_bigint_from_i128(t, z->epoch_ns);
    case ZG_HOURSINDAY: {
        __int128 a, b;
        tp_date next = tp_from_epoch_days(tp_epoch_days(z->date.year, z->date.month, z->date.day) + 1);
        if (tp_zone_start_of_day(t, &z->zone, z->date, &a) < 0 || tp_zone_start_of_day(t, &z->zone, next, &b) < 0)
            return JSV_EXCEPTION;
        return jsv_number((double)(b - a) / 3.6e12);
    }
    case ZG_OFFSETNS: return jsv_number((double)z->tz_offset);
    case ZG_OFFSET: format_offset_exact(buf, z->tz_offset); return tp_str(t, buf);
    }
    return JSV_UNDEFINED;
}

static jsv zd_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "with");
    if (!z) return JSV_EXCEPTION;
    if (tp_reject_temporal_like(t, JS_ARG(0)) < 0) return JSV_EXCEPTION;
    zres r;
    if (zoned_from_bag(t, JS_ARG(0), JS_ARG(1), 0, z, &r) < 0) return JSV_EXCEPTION;
    return tp_make_zoned(t, r.ns, r.tz, &r.zone, JSV_UNDEFINED);
}

static jsv zd_with_plain_time(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "withPlainTime");
    if (!z) return JSV_EXCEPTION;
    tp_time tm = { 0, 0, 0, 0, 0, 0 };
    __int128 ns;
    if (jsv_is_undefined(JS_ARG(0))) {
        if (tp_zone_start_of_day(t, &z->zone, z->date, &ns) < 0) return JSV_EXCEPTION;
    } else {
        if (tp_to_temporal_time(t, JS_ARG(0), JSV_UNDEFINED, &tm) < 0) return JSV_EXCEPTION;
        if (!tp_datetime_in_limits(z->date, tm)) return jsvm_throw_range_error(t, "date-time outside the supported range");
        if (tp_zone_epoch_ns(t, &z->zone, z->date, tm, 0, &ns) < 0) return JSV_EXCEPTION;
    }
    return tp_make_zoned(t, ns, z->tz, &z->zone, JSV_UNDEFINED);
}

static jsv zd_with_time_zone(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "withTimeZone");
    if (!z) return JSV_EXCEPTION;
    char id[300];
    tp_zone zone;
    if (tp_to_time_zone_rec(t, JS_ARG(0), id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
    jsv tzv = tz_value(t, id);
    if (tzv == JSV_EXCEPTION) return JSV_EXCEPTION;
    return tp_make_zoned(t, z->epoch_ns, tzv, &zone, JSV_UNDEFINED);
}

static jsv zd_with_calendar(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "withCalendar");
    if (!z) return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0))) return jsvm_throw_type_error(t, "calendar is required");
    if (tp_to_calendar_identifier(t, JS_ARG(0)) < 0) return JSV_EXCEPTION;
    return tp_make_zoned(t, z->epoch_ns, z->tz, &z->zone, JSV_UNDEFINED);
}

static jsv zd_equals(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "equals");
    if (!z) return JSV_EXCEPTION;
    zres r;
    if (tp_to_temporal_zoned(t, JS_ARG(0), JSV_UNDEFINED, &r) < 0) return JSV_EXCEPTION;
    return jsv_from_bool(r.ns == z->epoch_ns && tp_zone_equal(&r.zone, &z->zone));
}

static jsv zd_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, magic ? "subtract" : "add");
    if (!z) return JSV_EXCEPTION;
    double v[DU_COUNT];
    if (tp_to_temporal_duration(t, JS_ARG(0), v) < 0) return JSV_EXCEPTION;
    if (magic) for (int i = 0; i < DU_COUNT; i++) v[i] = -v[i] + 0.0;
    jsv o = tp_get_options_object(t, JS_ARG(1));
    if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
    int ov = tp_get_overflow(t, o);
    if (ov < 0) return JSV_EXCEPTION;
    __int128 ns = z->epoch_ns;
    if (tp_duration_has_date_part(v)) {
        tp_date d;
        if (tp_add_date_part(t, z->date, v, ov, &d) < 0) return JSV_EXCEPTION;
        if (!tp_datetime_in_limits(d, z->time)) return jsvm_throw_range_error(t, "date-time outside the supported range");
        if (tp_zone_epoch_ns(t, &z->zone, d, z->time, 0, &ns) < 0) return JSV_EXCEPTION;
    }
    ns += tp_time_part_ns(v);
    return tp_make_zoned(t, ns, z->tz, &z->zone, JSV_UNDEFINED);
}

static jsv zd_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, magic ? "since" : "until");
    if (!z) return JSV_EXCEPTION;
    zres r;
    if (tp_to_temporal_zoned(t, JS_ARG(0), JSV_UNDEFINED, &r) < 0) return JSV_EXCEPTION;
    return tp_zoned_until(t, z->epoch_ns, r.ns, &z->zone, tp_zone_equal(&z->zone, &r.zone), JS_ARG(1), magic);
}

static jsv zd_round(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "round");
    if (!z) return JSV_EXCEPTION;
    int su, rm;
    int64_t inc_ns;
    if (tp_get_round_opts(t, JS_ARG(0), U_DAY, &su, &rm, &inc_ns) < 0) return JSV_EXCEPTION;
    __int128 ns;
    if (su == U_DAY) {
        /* Days are as long as the zone makes them: round within [start, next start). */
        __int128 start, end;
        tp_date next = tp_from_epoch_days(tp_epoch_days(z->date.year, z->date.month, z->date.day) + 1);
        if (tp_zone_start_of_day(t, &z->zone, z->date, &start) < 0 ||
            tp_zone_start_of_day(t, &z->zone, next, &end) < 0)
            return JSV_EXCEPTION;
        /* A wall-clock date can outlast its day when the clock is set back over
         * midnight; the result is still this day's start or the next one's. */
        __int128 progress = z->epoch_ns - start;
        if (progress >= end - start) progress = end - start - 1;
        if (progress < 0) progress = 0;
        ns = start + tp_round_i128(progress, end - start, rm);
    } else {
        tp_date d = z->date;
        tp_time tm = z->time;
        tp_round_datetime(&d, &tm, inc_ns, rm);
        if (interpret_offset(t, d, tm, 0, 2, z->tz_offset, &z->zone, 0, 0, 0, &ns) < 0) return JSV_EXCEPTION;
    }
    return tp_make_zoned(t, ns, z->tz, &z->zone, JSV_UNDEFINED);
}

static jsv zd_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "toString");
    if (!z) return JSV_EXCEPTION;
    int show = 0, prec = -1, rm = RM_TRUNC, show_off = 0, show_tz = 0;
    int64_t inc = 1;
    __int128 ns = z->epoch_ns;
    if (magic == 0) {
        jsv o = tp_get_options_object(t, JS_ARG(0));
        if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
        if ((show = tp_get_show_calendar(t, o)) < 0) return JSV_EXCEPTION;
        int fsd = tp_read_fsd(t, o), su;
        if (fsd == -2) return JSV_EXCEPTION;
        static const char *const an[] = { "auto", "never" };
        if ((show_off = tp_get_string_option(t, o, "offset", an, 2, 0)) < 0) return JSV_EXCEPTION;
        if (tp_read_rm_su(t, o, &rm, &su) < 0) return JSV_EXCEPTION;
        static const char *const tzn[] = { "auto", "never", "critical" };
        if ((show_tz = tp_get_string_option(t, o, "timeZoneName", tzn, 3, 0)) < 0) return JSV_EXCEPTION;
        if (tp_resolve_precision(t, fsd, su, &prec, &inc) < 0) return JSV_EXCEPTION;
        ns = tp_round_i128(ns, inc, (int[]){ RM_CEIL, RM_FLOOR, RM_CEIL, RM_FLOOR, RM_HALF_CEIL, RM_HALF_FLOOR,
                                              RM_HALF_CEIL, RM_HALF_FLOOR, RM_HALF_EVEN }[rm]);
        if (!tp_valid_epoch_ns(ns)) return jsvm_throw_range_error(t, "instant outside the supported range");
    }
    int64_t off = tp_zone_offset(&z->zone, ns);
    tp_date d; tp_time tm;
    tp_epoch_to_parts(ns + off, &d, &tm);
    char buf[400];
    int n = tp_format_date(buf, d);
    buf[n++] = 'T';
    n += tp_format_time(buf + n, tm, prec);
    if (show_off == 0) n += tp_format_offset(buf + n, off);
    if (show_tz != 1) {
        char id[300];
        tp_string_ascii(JSV_STR(z->tz), id, sizeof id);
        n += sprintf(buf + n, "[%s%s]", show_tz == 2 ? "!" : "", id);
    }
    tp_format_calendar(buf + n, show);
    return tp_str(t, buf);
}

static jsv zd_misc(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *z = tp_this(t, this_val, TK_ZONED, "method");
    if (!z) return JSV_EXCEPTION;
    __int128 ns;
    switch (magic) {
    case 0: return tp_make_instant(t, z->epoch_ns, JSV_UNDEFINED);
    case 1: return tp_make_date(t, z->date, JSV_UNDEFINED);
    case 2: return tp_make_time(t, z->time, JSV_UNDEFINED);
    case 3: return tp_make_datetime(t, z->date, z->time, JSV_UNDEFINED);
    case 4:
        if (tp_zone_start_of_day(t, &z->zone, z->date, &ns) < 0) return JSV_EXCEPTION;
        return tp_make_zoned(t, ns, z->tz, &z->zone, JSV_UNDEFINED);
    case 5: {
        jsv a = JS_ARG(0);
        if (jsv_is_undefined(a)) return jsvm_throw_type_error(t, "direction is required");
        jsv o;
        if (jsv_is_string(a)) {
            js_object *obj = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
            js_key k = jskey_from_cstr(t, "direction");
            if (!obj || k == JSV_EXCEPTION || jsobj_create_data_property(t, obj, k, a, 0) < 0) return JSV_EXCEPTION;
            o = jsv_object(obj);
        } else if ((o = tp_get_options_object(t, a)) == JSV_EXCEPTION) return JSV_EXCEPTION;
        static const char *const dirs[] = { "next", "previous" };
        int dir = tp_get_string_option(t, o, "direction", dirs, 2, -2);
        if (dir == -1) return JSV_EXCEPTION;
        if (dir == -2) return jsvm_throw_range_error(t, "direction is required");
        if (!tp_zone_transition(&z->zone, z->epoch_ns, dir == 0, &ns)) return JSV_NULL;
        return tp_make_zoned(t, ns, z->tz, &z->zone, JSV_UNDEFINED);
    }
    }
    return JSV_UNDEFINED;
}

static const struct { const char *name; js_native_fn fn; int n, magic; } zd_methods[] = {
    { "with", zd_with, 1, 0 },
    { "withPlainTime", zd_with_plain_time, 0, 0 },
    { "withTimeZone", zd_with_time_zone, 1, 0 },
    { "withCalendar", zd_with_calendar, 1, 0 },
    { "add", zd_add, 1, 0 },
    { "subtract", zd_add, 1, 1 },
    { "until", zd_until, 1, 0 },
    { "since", zd_until, 1, 1 },
    { "round", zd_round, 1, 0 },
    { "equals", zd_equals, 1, 0 },
    { "toString", zd_to_string, 0, 0 },
    { "toJSON", zd_to_string, 0, 1 },
    { "toLocaleString", zd_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
    { "toInstant", zd_misc, 0, 0 },
    { "toPlainDate", zd_misc, 0, 1 },
    { "toPlainTime", zd_misc, 0, 2 },
    { "toPlainDateTime", zd_misc, 0, 3 },
    { "startOfDay", zd_misc, 0, 4 },
    { "getTimeZoneTransition", zd_misc, 1, 5 },
};

static const char *const zd_time_names[] = { "hour", "minute", "second", "millisecond", "microsecond", "nanosecond" };
static const struct { const char *name; int magic; } zd_extra[] = {
    { "timeZoneId", ZG_TZ }, { "epochMilliseconds", ZG_EPOCHMS }, { "epochNanoseconds", ZG_EPOCHNS },
    { "hoursInDay", ZG_HOURSINDAY }, { "offsetNanoseconds", ZG_OFFSETNS }, { "offset", ZG_OFFSET },
};

/* Instant.prototype.toZonedDateTimeISO */
jsv tp_instant_to_zoned(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *i = tp_this(t, this_val, TK_INSTANT, "toZonedDateTimeISO");
    if (!i) return JSV_EXCEPTION;
    char id[300];
    tp_zone zone;
    if (tp_to_time_zone_rec(t, JS_ARG(0), id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
    jsv tzv = tz_value(t, id);
    if (tzv == JSV_EXCEPTION) return JSV_EXCEPTION;
    return tp_make_zoned(t, i->epoch_ns, tzv, &zone, JSV_UNDEFINED);
}

/* PlainDate.prototype.toZonedDateTime(item) and PlainDateTime.prototype.toZonedDateTime(tz, options) */
jsv tp_date_to_zoned(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *p = tp_this(t, this_val, TK_DATE, "toZonedDateTime");
    if (!p) return JSV_EXCEPTION;
    jsv item = JS_ARG(0), tzlike, tmv = JSV_UNDEFINED;
    if (jsv_is_object(item) && !tp_get(item, TK_ZONED)) {
        tzlike = tp_get_prop(t, item, "timeZone");
        if (tzlike == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (jsv_is_undefined(tzlike)) return jsvm_throw_type_error(t, "timeZone is required");
        tmv = tp_get_prop(t, item, "plainTime");
        if (tmv == JSV_EXCEPTION) return JSV_EXCEPTION;
    } else {
        tzlike = item;
    }
    char id[300];
    tp_zone zone;
    if (tp_to_time_zone_rec(t, tzlike, id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
    tp_time tm = { 0, 0, 0, 0, 0, 0 };
    __int128 ns;
    if (jsv_is_undefined(tmv)) {
        if (tp_zone_start_of_day(t, &zone, p->date, &ns) < 0) return JSV_EXCEPTION;
    } else {
        if (tp_to_temporal_time(t, tmv, JSV_UNDEFINED, &tm) < 0) return JSV_EXCEPTION;
        if (!tp_datetime_in_limits(p->date, tm)) return jsvm_throw_range_error(t, "date-time outside the supported range");
        if (tp_zone_epoch_ns(t, &zone, p->date, tm, 0, &ns) < 0) return JSV_EXCEPTION;
    }
    jsv tzv = tz_value(t, id);
    if (tzv == JSV_EXCEPTION) return JSV_EXCEPTION;
    return tp_make_zoned(t, ns, tzv, &zone, JSV_UNDEFINED);
}

jsv tp_datetime_to_zoned(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *p = tp_this(t, this_val, TK_DATETIME, "toZonedDateTime");
    if (!p) return JSV_EXCEPTION;
    char id[300];
    tp_zone zone;
    if (tp_to_time_zone_rec(t, JS_ARG(0), id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
    jsv o = tp_get_options_object(t, JS_ARG(1));
    if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
    static const char *const dis[] = { "compatible", "earlier", "later", "reject" };
    int disamb = tp_get_string_option(t, o, "disambiguation", dis, 4, 0);
    if (disamb < 0) return JSV_EXCEPTION;
    __int128 ns;
    if (tp_zone_epoch_ns(t, &zone, p->date, p->time, disamb, &ns) < 0) return JSV_EXCEPTION;
    jsv tzv = tz_value(t, id);
    if (tzv == JSV_EXCEPTION) return JSV_EXCEPTION;
    return tp_make_zoned(t, ns, tzv, &zone, JSV_UNDEFINED);
}

int tp_init_zoned(js_thread *t, js_realm *realm, js_object *ns)
{
    js_object *c = tp_make_type(t, realm, ns, "ZonedDateTime", 2, zd_construct, JS_INTR_TemporalZonedDateTime,
                                JS_INTR_TemporalZonedDateTimePrototype, "Temporal.ZonedDateTime");
    if (!c) return -1;
    js_object *proto = JSV_OBJ(realm->intrinsics[JS_INTR_TemporalZonedDateTimePrototype]);
    if (jsobj_define_fn(t, c, "from", zd_from, 1, 0) < 0 || jsobj_define_fn(t, c, "compare", zd_compare, 2, 0) < 0)
        return -1;
    if (tp_define_getters(t, proto, tp_date_getter_names, 16, zd_get) < 0) return -1;
    for (int i = 0; i < 6; i++)
        if (jsobj_define_getter(t, proto, zd_time_names[i], zd_get, 50 + i) < 0) return -1;
    for (size_t i = 0; i < sizeof zd_extra / sizeof zd_extra[0]; i++)
        if (jsobj_define_getter(t, proto, zd_extra[i].name, zd_get, zd_extra[i].magic) < 0) return -1;
    for (size_t i = 0; i < sizeof zd_methods / sizeof zd_methods[0]; i++)
        if (jsobj_define_fn(t, proto, zd_methods[i].name, zd_methods[i].fn, zd_methods[i].n, zd_methods[i].magic) < 0)
            return -1;
    js_object *ip = JSV_OBJ(realm->intrinsics[JS_INTR_TemporalInstantPrototype]);
    if (jsobj_define_fn(t, ip, "toZonedDateTimeISO", tp_instant_to_zoned, 1, 0) < 0) return -1;
    return 0;
}
