/*
 * plaindatetime.c - Temporal.PlainDateTime: constructor, from/compare,
 * getters, with/round/equals/toString and conversions. Arithmetic with
 * durations is in duration.c.
 */
#include "temporal.h"
#include <string.h>
#include <stdio.h>

jsv tp_make_datetime(js_thread *t, tp_date d, tp_time tm, jsv new_target)
{
    if (!tp_datetime_in_limits(d, tm))
        return jsvm_throw_range_error(t, "date-time outside the supported range");
    js_temporal *tp = tp_new(t, new_target, TK_DATETIME);
    if (!tp) return JSV_EXCEPTION;
    tp->date = d;
    tp->time = tm;
    return jsv_object(&tp->base);
}

/* InterpretTemporalDateTimeFields */
static int datetime_from_fields(js_thread *t, tp_fields *f, const tp_time *base, int ov, tp_date *d, tp_time *tm)
{
    if (tp_date_from_fields(t, f, ov, d) < 0) return -1;
    double v[6];
    tp_fields_time(f, base, v);
    return tp_regulate_time(t, v, ov, tm);
}

int tp_to_temporal_datetime(js_thread *t, jsv item, jsv options, tp_date *d, tp_time *tm)
{
    if (jsv_is_object(item)) {
        js_temporal *tp = jsobj_class(JSV_OBJ(item)) == JS_CLASS_TEMPORAL ? (js_temporal *)JSV_OBJ(item) : NULL;
        if (tp && (tp->kind == TK_DATE || tp->kind == TK_DATETIME || tp->kind == TK_ZONED)) {
            tp_date dd = tp->date;
            tp_time tt = tp->time;
            if (tp->kind == TK_DATE) memset(&tt, 0, sizeof tt);
            if (tp->kind == TK_ZONED && tp_zoned_date_time(t, tp, &dd, &tt) < 0) return -1;
            if (tp_read_overflow(t, options) < 0) return -1;
            *d = dd; *tm = tt;
            return 0;
        }
        tp_fields f;
        int ov = tp_bag_fields(t, item, options, 7, 1, &f);
        if (ov < 0 || datetime_from_fields(t, &f, NULL, ov, d, tm) < 0) return -1;
        if (!tp_datetime_in_limits(*d, *tm)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
        return 0;
    }
    if (!jsv_is_string(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.PlainDateTime"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_DATETIME, &p) < 0) return -1;
    if (p.has_z) { jsvm_throw_range_error(t, "UTC designator not allowed for a plain date-time"); return -1; }
    if (tp_read_overflow(t, options) < 0) return -1;
    if (!tp_datetime_in_limits(p.date, p.time)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
    *d = p.date;
    *tm = p.time;
    return 0;
}

static jsv pdt_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double v[9] = { 0 };
    if (tp_integer_args(t, argc, argv, 0, 9, 3, v) < 0 || tp_ctor_calendar(t, JS_ARG(9)) < 0) return JSV_EXCEPTION;
    if (!tp_valid_date(v[0], v[1], v[2])) return jsvm_throw_range_error(t, "invalid ISO date");
    if (!tp_valid_time(v[3], v[4], v[5], v[6], v[7], v[8])) return jsvm_throw_range_error(t, "invalid time");
    tp_date d = { (int32_t)v[0], (int32_t)v[1], (int32_t)v[2] };
    tp_time tm;
    tp_regulate_time(t, v + 3, 0, &tm);
    return tp_make_datetime(t, d, tm, new_target);
}

static jsv pdt_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date d; tp_time tm;
    if (tp_to_temporal_datetime(t, JS_ARG(0), JS_ARG(1), &d, &tm) < 0) return JSV_EXCEPTION;
    return tp_make_datetime(t, d, tm, JSV_UNDEFINED);
}

int tp_compare_datetime(tp_date a, tp_time at, tp_date b, tp_time bt)
{
    int c = tp_compare_date(a, b);
    return c ? c : tp_compare_time(at, bt);
}

static jsv pdt_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date a, b; tp_time at, bt;
    if (tp_to_temporal_datetime(t, JS_ARG(0), JSV_UNDEFINED, &a, &at) < 0 ||
        tp_to_temporal_datetime(t, JS_ARG(1), JSV_UNDEFINED, &b, &bt) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(tp_compare_datetime(a, at, b, bt));
}

static const char *const pdt_time_names[] = { "hour", "minute", "second", "millisecond", "microsecond", "nanosecond" };

static jsv pdt_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "getter");
    if (!tp) return JSV_EXCEPTION;
    if (magic >= 100) return tp_time_getter(tp->time, magic - 100);
    return tp_date_getter(t, tp->date, magic);
}

static jsv pdt_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "with");
    if (!tp) return JSV_EXCEPTION;
    tp_fields f;
    int ov = tp_with_fields(t, JS_ARG(0), JS_ARG(1), 7, 1, &f);
    if (ov < 0) return JSV_EXCEPTION;
    tp_merge_date_fields(&f, tp->date);
    tp_date d; tp_time tm;
    if (datetime_from_fields(t, &f, &tp->time, ov, &d, &tm) < 0) return JSV_EXCEPTION;
    return tp_make_datetime(t, d, tm, JSV_UNDEFINED);
}

static jsv pdt_with_plain_time(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "withPlainTime");
    if (!tp) return JSV_EXCEPTION;
    tp_time tm = { 0, 0, 0, 0, 0, 0 };
    if (!jsv_is_undefined(JS_ARG(0)) && tp_to_temporal_time(t, JS_ARG(0), JSV_UNDEFINED, &tm) < 0)
        return JSV_EXCEPTION;
    return tp_make_datetime(t, tp->date, tm, JSV_UNDEFINED);
}

static jsv pdt_with_calendar(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "withCalendar");
    if (!tp) return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0))) return jsvm_throw_type_error(t, "calendar is required");
    if (tp_to_calendar_identifier(t, JS_ARG(0)) < 0) return JSV_EXCEPTION;
    return tp_make_datetime(t, tp->date, tp->time, JSV_UNDEFINED);
}

static jsv pdt_equals(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "equals");
    if (!tp) return JSV_EXCEPTION;
    tp_date d; tp_time tm;
    if (tp_to_temporal_datetime(t, JS_ARG(0), JSV_UNDEFINED, &d, &tm) < 0) return JSV_EXCEPTION;
    return jsv_from_bool(tp_compare_datetime(tp->date, tp->time, d, tm) == 0);
}

/* RoundISODateTime */
void tp_round_datetime(tp_date *d, tp_time *tm, int64_t inc_ns, int mode)
{
    if (tp_round_time(tm, inc_ns, mode)) {
        *d = tp_from_epoch_days(tp_epoch_days(d->year, d->month, d->day) + 1);
    }
}

static jsv pdt_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "toString");
    if (!tp) return JSV_EXCEPTION;
    tp_string_opts so;
    if (tp_get_string_opts(t, JS_ARG(0), magic ? 0 : TP_OPT_CALENDAR | TP_OPT_PRECISION, &so) < 0)
        return JSV_EXCEPTION;
    tp_date d = tp->date;
    tp_time tm = tp->time;
    tp_round_datetime(&d, &tm, so.inc, so.rm);
    if (!tp_datetime_in_limits(d, tm)) return jsvm_throw_range_error(t, "date-time outside the supported range");
    char buf[128];
    int n = tp_format_date(buf, d);
    buf[n++] = 'T';
    n += tp_format_time(buf + n, tm, so.prec);
    tp_format_calendar(buf + n, so.show);
    return tp_str(t, buf);
}

static jsv pdt_round(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, "round");
    if (!tp) return JSV_EXCEPTION;
    int su, rm;
    int64_t inc;
    if (tp_get_round_opts(t, JS_ARG(0), U_DAY, &su, &rm, &inc) < 0) return JSV_EXCEPTION;
    tp_date d = tp->date;
    tp_time tm = tp->time;
    tp_round_datetime(&d, &tm, inc, rm);
    return tp_make_datetime(t, d, tm, JSV_UNDEFINED);
}

static jsv pdt_to_plain(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATETIME, magic ? "toPlainTime" : "toPlainDate");
    if (!tp) return JSV_EXCEPTION;
    return magic ? tp_make_time(t, tp->time, JSV_UNDEFINED) : tp_make_date(t, tp->date, JSV_UNDEFINED);
}

static const tp_method pdt_statics[] = {
    { "from", pdt_from, 1, 0 },
    { "compare", pdt_compare, 2, 0 },
}, pdt_methods[] = {
    { "with", pdt_with, 1, 0 },
    { "withPlainTime", pdt_with_plain_time, 0, 0 },
    { "withCalendar", pdt_with_calendar, 1, 0 },
    { "equals", pdt_equals, 1, 0 },
    { "round", pdt_round, 1, 0 },
    { "toString", pdt_to_string, 0, 0 },
    { "toJSON", pdt_to_string, 0, 1 },
    { "toLocaleString", pdt_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
    { "toPlainDate", pdt_to_plain, 0, 0 },
    { "toPlainTime", pdt_to_plain, 0, 1 },
    { "add", tp_datetime_add, 1, 0 },
    { "subtract", tp_datetime_add, 1, 1 },
    { "until", tp_datetime_until, 1, 0 },
    { "since", tp_datetime_until, 1, 1 },
    { "toZonedDateTime", tp_datetime_to_zoned, 1, 0 },
};

int tp_init_plaindatetime(js_thread *t, js_realm *realm, js_object *ns)
{
    static const tp_type_spec spec = {
        "PlainDateTime", 3, pdt_construct, JS_INTR_TemporalPlainDateTime, JS_INTR_TemporalPlainDateTimePrototype,
        pdt_statics, TP_COUNTOF(pdt_statics), pdt_methods, TP_COUNTOF(pdt_methods),
    };
    js_object *proto = tp_init_type(t, realm, ns, &spec);
    if (!proto || tp_define_getters(t, proto, tp_date_getter_names, 16, pdt_get) < 0) return -1;
    for (int i = 0; i < 6; i++)
        if (jsobj_define_getter(t, proto, pdt_time_names[i], pdt_get, 100 + i) < 0) return -1;
    return 0;
}
