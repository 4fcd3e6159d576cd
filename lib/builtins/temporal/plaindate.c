/*
 * plaindate.c - Temporal.PlainDate: constructor, from/compare, calendar
 * getters, with/equals/toString and the conversions to other types.
 * Date arithmetic (add/subtract/until/since) is in duration.c.
 */
#include "temporal.h"
#include <string.h>
#include <stdio.h>

jsv tp_make_date(js_thread *t, tp_date d, jsv new_target)
{
    if (!tp_date_in_limits(d))
        return jsvm_throw_range_error(t, "date outside the supported range");
    js_temporal *tp = tp_new(t, new_target, TK_DATE);
    if (!tp) return JSV_EXCEPTION;
    tp->date = d;
    return jsv_object(&tp->base);
}

/* RegulateISODate */
int tp_regulate_date(js_thread *t, double y, double m, double d, int overflow, tp_date *out)
{
    if (overflow == 1) {
        if (!tp_valid_date(y, m, d)) {
            jsvm_throw_range_error(t, "invalid ISO date");
            return -1;
        }
        out->year = (int32_t)y; out->month = (int32_t)m; out->day = (int32_t)d;
        return 0;
    }
    *out = tp_constrain_date(y, m, d);
    return 0;
}

/* CalendarDateFromFields for iso8601 (fields already read). */
int tp_date_from_fields(js_thread *t, tp_fields *f, int overflow, tp_date *out)
{
    if (tp_require_fields(t, f, 7) < 0) return -1;
    if (tp_regulate_date(t, f->year, f->month, f->day, overflow, out) < 0) return -1;
    if (!tp_date_in_limits(*out)) { jsvm_throw_range_error(t, "date outside the supported range"); return -1; }
    return 0;
}

int tp_to_temporal_date(js_thread *t, jsv item, jsv options, tp_date *out)
{
    if (jsv_is_object(item)) {
        js_temporal *tp = jsobj_class(JSV_OBJ(item)) == JS_CLASS_TEMPORAL ? (js_temporal *)JSV_OBJ(item) : NULL;
        if (tp && (tp->kind == TK_DATE || tp->kind == TK_DATETIME || tp->kind == TK_ZONED)) {
            tp_date d = tp->date;
            if (tp->kind == TK_ZONED && tp_zoned_date_time(t, tp, &d, NULL) < 0) return -1;
            if (tp_read_overflow(t, options) < 0) return -1;
            *out = d;
            return 0;
        }
        tp_fields f;
        int ov = tp_bag_fields(t, item, options, 7, 0, &f);
        return ov < 0 ? -1 : tp_date_from_fields(t, &f, ov, out);
    }
    if (!jsv_is_string(item)) {
        jsvm_throw_type_error(t, "cannot convert to Temporal.PlainDate");
        return -1;
    }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_DATE, &p) < 0) return -1;
    if (p.has_z) { jsvm_throw_range_error(t, "UTC designator not allowed for a plain date"); return -1; }
    if (tp_read_overflow(t, options) < 0) return -1;
    if (!tp_date_in_limits(p.date)) { jsvm_throw_range_error(t, "date outside the supported range"); return -1; }
    *out = p.date;
    return 0;
}

static jsv pd_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double v[3];
    if (tp_integer_args(t, argc, argv, 0, 3, 3, v) < 0 || tp_ctor_calendar(t, JS_ARG(3)) < 0) return JSV_EXCEPTION;
    if (!tp_valid_date(v[0], v[1], v[2])) return jsvm_throw_range_error(t, "invalid ISO date");
    tp_date dt = { (int32_t)v[0], (int32_t)v[1], (int32_t)v[2] };
    return tp_make_date(t, dt, new_target);
}

static jsv pd_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date d;
    if (tp_to_temporal_date(t, JS_ARG(0), JS_ARG(1), &d) < 0) return JSV_EXCEPTION;
    return tp_make_date(t, d, JSV_UNDEFINED);
}

static jsv pd_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_date a, b;
    if (tp_to_temporal_date(t, JS_ARG(0), JSV_UNDEFINED, &a) < 0 ||
        tp_to_temporal_date(t, JS_ARG(1), JSV_UNDEFINED, &b) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(tp_compare_date(a, b));
}

/* Calendar getters shared by PlainDate, PlainDateTime, ZonedDateTime, YearMonth, MonthDay. */
enum { G_CALENDAR, G_ERA, G_ERAYEAR, G_YEAR, G_MONTH, G_MONTHCODE, G_DAY, G_DOW, G_DOY, G_WOY, G_YOW,
       G_DIW, G_DIM, G_DIY, G_MIY, G_LEAP };

jsv tp_date_getter(js_thread *t, tp_date d, int which)
{
    char buf[8];
    switch (which) {
    case G_CALENDAR: return tp_calendar_id_value(t);
    case G_ERA: case G_ERAYEAR: return JSV_UNDEFINED;
    case G_YEAR: return jsv_from_int(d.year);
    case G_MONTH: return jsv_from_int(d.month);
    case G_MONTHCODE: snprintf(buf, sizeof buf, "M%02d", (int)d.month); return tp_str(t, buf);
    case G_DAY: return jsv_from_int(d.day);
    case G_DOW: return jsv_from_int(tp_day_of_week(d));
    case G_DOY: return jsv_from_int(tp_day_of_year(d));
    case G_WOY: case G_YOW: {
        int w; int32_t y;
        tp_week_of_year(d, &w, &y);
        return jsv_from_int(which == G_WOY ? w : y);
    }
    case G_DIW: return jsv_from_int(7);
    case G_DIM: return jsv_from_int(tp_days_in_month(d.year, d.month));
    case G_DIY: return jsv_from_int(tp_is_leap(d.year) ? 366 : 365);
    case G_MIY: return jsv_from_int(12);
    case G_LEAP: return jsv_from_bool(tp_is_leap(d.year));
    }
    return JSV_UNDEFINED;
}

const char *const tp_date_getter_names[] = {
    "calendarId", "era", "eraYear", "year", "month", "monthCode", "day", "dayOfWeek", "dayOfYear",
    "weekOfYear", "yearOfWeek", "daysInWeek", "daysInMonth", "daysInYear", "monthsInYear", "inLeapYear",
};

static jsv pd_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, tp_date_getter_names[magic]);
    if (!tp) return JSV_EXCEPTION;
    return tp_date_getter(t, tp->date, magic);
}

/* Merges a partial bag over the date's fields (CalendarMergeFields for ISO). */
void tp_merge_date_fields(tp_fields *f, tp_date d)
{
    if (!f->has_year) { f->year = d.year; f->has_year = 1; }
    if (!f->has_day) { f->day = d.day; f->has_day = 1; }
    if (!f->has_month && !f->has_monthcode) { f->month = d.month; f->has_month = 1; }
}

static jsv pd_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, "with");
    if (!tp) return JSV_EXCEPTION;
    tp_fields f;
    int ov = tp_with_fields(t, JS_ARG(0), JS_ARG(1), 7, 0, &f);
    if (ov < 0) return JSV_EXCEPTION;
    tp_merge_date_fields(&f, tp->date);
    tp_date d;
    if (tp_date_from_fields(t, &f, ov, &d) < 0) return JSV_EXCEPTION;
    return tp_make_date(t, d, JSV_UNDEFINED);
}

static jsv pd_with_calendar(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, "withCalendar");
    if (!tp) return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0))) return jsvm_throw_type_error(t, "calendar is required");
    if (tp_to_calendar_identifier(t, JS_ARG(0)) < 0) return JSV_EXCEPTION;
    return tp_make_date(t, tp->date, JSV_UNDEFINED);
}

static jsv pd_equals(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, "equals");
    if (!tp) return JSV_EXCEPTION;
    tp_date o;
    if (tp_to_temporal_date(t, JS_ARG(0), JSV_UNDEFINED, &o) < 0) return JSV_EXCEPTION;
    return jsv_from_bool(tp_compare_date(tp->date, o) == 0);
}

static jsv pd_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, "toString");
    if (!tp) return JSV_EXCEPTION;
    tp_string_opts so;
    if (tp_get_string_opts(t, JS_ARG(0), magic ? 0 : TP_OPT_CALENDAR, &so) < 0) return JSV_EXCEPTION;
    char buf[96];
    int n = tp_format_date(buf, tp->date);
    tp_format_calendar(buf + n, so.show);
    return tp_str(t, buf);
}

static jsv pd_to_plain_date_time(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, "toPlainDateTime");
    if (!tp) return JSV_EXCEPTION;
    tp_time tm = { 0, 0, 0, 0, 0, 0 };
    if (!jsv_is_undefined(JS_ARG(0)) && tp_to_temporal_time(t, JS_ARG(0), JSV_UNDEFINED, &tm) < 0)
        return JSV_EXCEPTION;
    return tp_make_datetime(t, tp->date, tm, JSV_UNDEFINED);
}

static jsv pd_to_ym(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_DATE, magic ? "toPlainMonthDay" : "toPlainYearMonth");
    if (!tp) return JSV_EXCEPTION;
    tp_date d = tp->date;
    if (magic) { d.year = 1972; return tp_make_monthday(t, d, JSV_UNDEFINED); }
    d.day = 1;
    return tp_make_yearmonth(t, d, JSV_UNDEFINED);
}

static const tp_method pd_statics[] = {
    { "from", pd_from, 1, 0 },
    { "compare", pd_compare, 2, 0 },
}, pd_methods[] = {
    { "with", pd_with, 1, 0 },
    { "withCalendar", pd_with_calendar, 1, 0 },
    { "equals", pd_equals, 1, 0 },
    { "toString", pd_to_string, 0, 0 },
    { "toJSON", pd_to_string, 0, 1 },
    { "toLocaleString", pd_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
    { "toPlainDateTime", pd_to_plain_date_time, 0, 0 },
    { "toPlainYearMonth", pd_to_ym, 0, 0 },
    { "toPlainMonthDay", pd_to_ym, 0, 1 },
    { "add", tp_date_add, 1, 0 },
    { "subtract", tp_date_add, 1, 1 },
    { "until", tp_date_until, 1, 0 },
    { "since", tp_date_until, 1, 1 },
    { "toZonedDateTime", tp_date_to_zoned, 1, 0 },
};

int tp_init_plaindate(js_thread *t, js_realm *realm, js_object *ns)
{
    static const tp_type_spec spec = {
        "PlainDate", 3, pd_construct, JS_INTR_TemporalPlainDate, JS_INTR_TemporalPlainDatePrototype,
        pd_statics, TP_COUNTOF(pd_statics), pd_methods, TP_COUNTOF(pd_methods),
    };
    js_object *proto = tp_init_type(t, realm, ns, &spec);
    return proto ? tp_define_getters(t, proto, tp_date_getter_names, 16, pd_get) : -1;
}
