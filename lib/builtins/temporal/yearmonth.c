/*
 * yearmonth.c - Temporal.PlainYearMonth and Temporal.PlainMonthDay (ISO
 * calendar: reference day 1 and reference year 1972). Their difference
 * arithmetic lives in duration.c (tp_yearmonth_until).
 */
#include "temporal.h"
#include <string.h>
#include <stdio.h>

static int ym_in_limits(int64_t y, int64_t m)
{
    if (y < -271821 || y > 275760) return 0;
    if (y == -271821 && m < 4) return 0;
    if (y == 275760 && m > 9) return 0;
    return 1;
}

jsv tp_make_yearmonth(js_thread *t, tp_date d, jsv new_target)
{
    if (!ym_in_limits(d.year, d.month)) return jsvm_throw_range_error(t, "year-month outside the supported range");
    js_temporal *tp = tp_new(t, new_target, TK_YEARMONTH);
    if (!tp) return JSV_EXCEPTION;
    tp->date = d;
    return jsv_object(&tp->base);
}

jsv tp_make_monthday(js_thread *t, tp_date d, jsv new_target)
{
    if (!tp_date_in_limits(d)) return jsvm_throw_range_error(t, "month-day outside the supported range");
    js_temporal *tp = tp_new(t, new_target, TK_MONTHDAY);
    if (!tp) return JSV_EXCEPTION;
    tp->date = d;
    return jsv_object(&tp->base);
}

/* CalendarYearMonthFromFields */
static int ym_from_fields(js_thread *t, tp_fields *f, int ov, tp_date *out)
{
    if (tp_require_fields(t, f, 5) < 0) return -1;
    if (tp_regulate_date(t, f->year, f->month, 1, ov, out) < 0) return -1;
    if (!ym_in_limits(out->year, out->month)) { jsvm_throw_range_error(t, "year-month outside the supported range"); return -1; }
    return 0;
}

int tp_to_temporal_yearmonth(js_thread *t, jsv item, jsv options, tp_date *out)
{
    if (jsv_is_object(item)) {
        js_temporal *tp = tp_get(item, TK_YEARMONTH);
        if (tp) {
            if (tp_read_overflow(t, options) < 0) return -1;
            *out = tp->date;
            return 0;
        }
        tp_fields f;
        int ov = tp_bag_fields(t, item, options, 5, 0, &f);
        return ov < 0 ? -1 : ym_from_fields(t, &f, ov, out);
    }
    if (!jsv_is_string(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.PlainYearMonth"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_YEARMONTH, &p) < 0) return -1;
    if (p.has_z) { jsvm_throw_range_error(t, "UTC designator not allowed"); return -1; }
    if (tp_read_overflow(t, options) < 0) return -1;
    if (!ym_in_limits(p.date.year, p.date.month)) { jsvm_throw_range_error(t, "year-month outside the supported range"); return -1; }
    out->year = p.date.year; out->month = p.date.month; out->day = 1;
    return 0;
}

static jsv ym_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double v[3] = { 0, 0, 1 };     /* year, month, reference day */
    if (tp_integer_args(t, argc, argv, 0, 2, 2, v) < 0 || tp_ctor_calendar(t, JS_ARG(2)) < 0 ||
        tp_integer_args(t, argc, argv, 3, 1, 0, v + 2) < 0)
        return JSV_EXCEPTION;
    if (!tp_valid_date(v[0], v[1], v[2])) return jsvm_throw_range_error(t, "invalid ISO date");
    tp_date dt = { (int32_t)v[0], (int32_t)v[1], (int32_t)v[2] };
    return tp_make_yearmonth(t, dt, new_target);
}

static jsv ym_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date d;
    if (tp_to_temporal_yearmonth(t, JS_ARG(0), JS_ARG(1), &d) < 0) return JSV_EXCEPTION;
    return tp_make_yearmonth(t, d, JSV_UNDEFINED);
}

static jsv ym_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date a, b;
    if (tp_to_temporal_yearmonth(t, JS_ARG(0), JSV_UNDEFINED, &a) < 0 ||
        tp_to_temporal_yearmonth(t, JS_ARG(1), JSV_UNDEFINED, &b) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(tp_compare_date(a, b));
}

/* indexes into tp_date_getter */
static const int ym_getters[] = { 0, 1, 2, 3, 4, 5, 13, 12, 14, 15 };
static const int md_getters[] = { 0, 5, 6 };

static jsv ym_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_YEARMONTH, tp_date_getter_names[magic]);
    if (!tp) return JSV_EXCEPTION;
    return tp_date_getter(t, tp->date, magic);
}

static jsv md_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_MONTHDAY, tp_date_getter_names[magic]);
    if (!tp) return JSV_EXCEPTION;
    return tp_date_getter(t, tp->date, magic);
}

static jsv ym_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_YEARMONTH, "with");
    if (!tp) return JSV_EXCEPTION;
    tp_fields f;
    int ov = tp_with_fields(t, JS_ARG(0), JS_ARG(1), 5, 0, &f);
    if (ov < 0) return JSV_EXCEPTION;
    if (!f.has_year) { f.year = tp->date.year; f.has_year = 1; }
    if (!f.has_month && !f.has_monthcode) { f.month = tp->date.month; f.has_month = 1; }
    tp_date d;
    if (ym_from_fields(t, &f, ov, &d) < 0) return JSV_EXCEPTION;
    return tp_make_yearmonth(t, d, JSV_UNDEFINED);
}

static jsv ym_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_YEARMONTH, magic ? "subtract" : "add");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    if (tp_add_operands(t, JS_ARG(0), JS_ARG(1), magic, v) < 0) return JSV_EXCEPTION;
    for (int i = DU_WEEKS; i < DU_COUNT; i++)
        if (v[i]) return jsvm_throw_range_error(t, "only years and months can be added to a PlainYearMonth");
    int dsign = 0;
    for (int i = 0; i < DU_COUNT && !dsign; i++) if (v[i]) dsign = v[i] > 0 ? 1 : -1;
    tp_date start = tp->date;
    start.day = 1;
    if (dsign >= 0 && !tp_date_in_limits(start)) return jsvm_throw_range_error(t, "date outside the supported range");
    double m0 = (double)tp->date.month - 1 + v[DU_MONTHS];
    double y = (double)tp->date.year + v[DU_YEARS] + floor(m0 / 12);
    double m = m0 - floor(m0 / 12) * 12 + 1;
    if (y < -300000 || y > 300000 || !ym_in_limits((int64_t)y, (int64_t)m))
        return jsvm_throw_range_error(t, "year-month outside the supported range");
    tp_date d = { (int32_t)y, (int32_t)m, 1 };
    if (dsign >= 0 && !tp_date_in_limits(d)) return jsvm_throw_range_error(t, "date outside the supported range");
    return tp_make_yearmonth(t, d, JSV_UNDEFINED);
}

static jsv ym_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_YEARMONTH, magic ? "since" : "until");
    if (!tp) return JSV_EXCEPTION;
    tp_date other;
    if (tp_to_temporal_yearmonth(t, JS_ARG(0), JSV_UNDEFINED, &other) < 0) return JSV_EXCEPTION;
    return tp_yearmonth_until(t, tp->date, other, JS_ARG(1), magic);
}

static jsv ym_equals(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, magic ? TK_MONTHDAY : TK_YEARMONTH, "equals");
    if (!tp) return JSV_EXCEPTION;
    tp_date o;
    if ((magic ? tp_to_temporal_monthday(t, JS_ARG(0), JSV_UNDEFINED, &o)
               : tp_to_temporal_yearmonth(t, JS_ARG(0), JSV_UNDEFINED, &o)) < 0)
        return JSV_EXCEPTION;
    return jsv_from_bool(tp_compare_date(tp->date, o) == 0);
}

static jsv ym_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int md = magic & 2;
    js_temporal *tp = tp_this(t, this_val, md ? TK_MONTHDAY : TK_YEARMONTH, "toString");
    if (!tp) return JSV_EXCEPTION;
    tp_string_opts so;
    if (tp_get_string_opts(t, JS_ARG(0), magic & 1 ? 0 : TP_OPT_CALENDAR, &so) < 0) return JSV_EXCEPTION;
    int show = so.show;
    char buf[96];
    int n;
    if (show == 1 || show == 3) n = tp_format_date(buf, tp->date);
    else if (md) n = sprintf(buf, "%02d-%02d", (int)tp->date.month, (int)tp->date.day);
    else { n = tp_format_year(buf, tp->date.year); n += sprintf(buf + n, "-%02d", (int)tp->date.month); }
    tp_format_calendar(buf + n, show);
    return tp_str(t, buf);
}

static jsv ym_to_plain_date(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, magic ? TK_MONTHDAY : TK_YEARMONTH, "toPlainDate");
    if (!tp) return JSV_EXCEPTION;
    jsv item = JS_ARG(0);
    if (!jsv_is_object(item)) return jsvm_throw_type_error(t, "argument must be an object");
    tp_fields f;
    memset(&f, 0, sizeof f);
    jsv v = tp_get_prop(t, item, magic ? "year" : "day");
    if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (jsv_is_undefined(v)) return jsvm_throw_type_error(t, magic ? "year is required" : "day is required");
    if (magic) {
        if (tp_to_integer_with_truncation(t, v, &f.year) < 0) return JSV_EXCEPTION;
        f.day = tp->date.day;
    } else {
        if (tp_to_positive_integer_with_truncation(t, v, &f.day) < 0) return JSV_EXCEPTION;
        f.year = tp->date.year;
    }
    f.month = tp->date.month;
    tp_date d;
    if (tp_regulate_date(t, f.year, f.month, f.day, 0, &d) < 0) return JSV_EXCEPTION;
    return tp_make_date(t, d, JSV_UNDEFINED);
}

/* ---- PlainMonthDay ---- */

static int md_from_fields(js_thread *t, tp_fields *f, int ov, tp_date *out)
{
    if (tp_require_fields(t, f, 6) < 0) return -1;
    tp_date d;
    if (f->has_year) {
        if (tp_regulate_date(t, f->year, f->month, f->day, ov, &d) < 0) return -1;
    } else {
        if (tp_regulate_date(t, 1972, f->month, f->day, ov, &d) < 0) return -1;
    }
    out->year = 1972; out->month = d.month; out->day = d.day;
    return 0;
}

int tp_to_temporal_monthday(js_thread *t, jsv item, jsv options, tp_date *out)
{
    if (jsv_is_object(item)) {
        js_temporal *tp = tp_get(item, TK_MONTHDAY);
        if (tp) {
            if (tp_read_overflow(t, options) < 0) return -1;
            *out = tp->date;
            return 0;
        }
        tp_fields f;
        int ov = tp_bag_fields(t, item, options, 7, 0, &f);
        return ov < 0 ? -1 : md_from_fields(t, &f, ov, out);
    }
    if (!jsv_is_string(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.PlainMonthDay"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_MONTHDAY, &p) < 0) return -1;
    if (p.has_z) { jsvm_throw_range_error(t, "UTC designator not allowed"); return -1; }
    if (tp_read_overflow(t, options) < 0) return -1;
    out->year = 1972; out->month = p.date.month; out->day = p.date.day;
    return 0;
}

static jsv md_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double v[3] = { 0, 0, 1972 };  /* month, day, reference year */
    if (tp_integer_args(t, argc, argv, 0, 2, 2, v) < 0 || tp_ctor_calendar(t, JS_ARG(2)) < 0 ||
        tp_integer_args(t, argc, argv, 3, 1, 0, v + 2) < 0)
        return JSV_EXCEPTION;
    if (!tp_valid_date(v[2], v[0], v[1])) return jsvm_throw_range_error(t, "invalid ISO date");
    tp_date dt = { (int32_t)v[2], (int32_t)v[0], (int32_t)v[1] };
    return tp_make_monthday(t, dt, new_target);
}

static jsv md_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date d;
    if (tp_to_temporal_monthday(t, JS_ARG(0), JS_ARG(1), &d) < 0) return JSV_EXCEPTION;
    return tp_make_monthday(t, d, JSV_UNDEFINED);
}

static jsv md_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_MONTHDAY, "with");
    if (!tp) return JSV_EXCEPTION;
    tp_fields f;
    int ov = tp_with_fields(t, JS_ARG(0), JS_ARG(1), 7, 0, &f);
    if (ov < 0) return JSV_EXCEPTION;
    if (!f.has_day) { f.day = tp->date.day; f.has_day = 1; }
    if (!f.has_month && !f.has_monthcode) { f.monthcode = tp->date.month; f.has_monthcode = 1; }
    tp_date d;
    if (md_from_fields(t, &f, ov, &d) < 0) return JSV_EXCEPTION;
    return tp_make_monthday(t, d, JSV_UNDEFINED);
}

static const tp_method ym_statics[] = {
    { "from", ym_from, 1, 0 },
    { "compare", ym_compare, 2, 0 },
}, md_statics[] = {
    { "from", md_from, 1, 0 },
}, ym_methods[] = {
    { "with", ym_with, 1, 0 },
    { "add", ym_add, 1, 0 },
    { "subtract", ym_add, 1, 1 },
    { "until", ym_until, 1, 0 },
    { "since", ym_until, 1, 1 },
    { "equals", ym_equals, 1, 0 },
    { "toString", ym_to_string, 0, 0 },
    { "toJSON", ym_to_string, 0, 1 },
    { "toLocaleString", ym_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
    { "toPlainDate", ym_to_plain_date, 1, 0 },
}, md_methods[] = {
    { "with", md_with, 1, 0 },
    { "equals", ym_equals, 1, 1 },
    { "toString", ym_to_string, 0, 2 },
    { "toJSON", ym_to_string, 0, 3 },
    { "toLocaleString", ym_to_string, 0, 3 },
    { "valueOf", tp_value_of, 0, 0 },
    { "toPlainDate", ym_to_plain_date, 1, 1 },
};

int tp_init_yearmonth(js_thread *t, js_realm *realm, js_object *ns)
{
    static const tp_type_spec ym_spec = {
        "PlainYearMonth", 2, ym_construct, JS_INTR_TemporalPlainYearMonth, JS_INTR_TemporalPlainYearMonthPrototype,
        ym_statics, TP_COUNTOF(ym_statics), ym_methods, TP_COUNTOF(ym_methods),
    }, md_spec = {
        "PlainMonthDay", 2, md_construct, JS_INTR_TemporalPlainMonthDay, JS_INTR_TemporalPlainMonthDayPrototype,
        md_statics, TP_COUNTOF(md_statics), md_methods, TP_COUNTOF(md_methods),
    };
    js_object *proto = tp_init_type(t, realm, ns, &ym_spec);
    if (!proto) return -1;
    for (size_t i = 0; i < TP_COUNTOF(ym_getters); i++)
        if (jsobj_define_getter(t, proto, tp_date_getter_names[ym_getters[i]], ym_get, ym_getters[i]) < 0) return -1;
    if (!(proto = tp_init_type(t, realm, ns, &md_spec))) return -1;
    for (size_t i = 0; i < TP_COUNTOF(md_getters); i++)
        if (jsobj_define_getter(t, proto, tp_date_getter_names[md_getters[i]], md_get, md_getters[i]) < 0) return -1;
    return 0;
}
