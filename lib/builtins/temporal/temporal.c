/*
 * temporal.c - the Temporal namespace object, the JS_CLASS_TEMPORAL class,
 * and the helpers every Temporal type shares: options (GetOption), integer
 * conversions, calendar identifiers, property-bag field reading, and the
 * scaffolding of from()/with()/toString() and of constructor setup.
 * The per-type constructors and methods live in their own files.
 */
#include "temporal.h"
#include "../../core/gc.h"
#include <string.h>
#include <stdio.h>

static void temporal_trace(js_gc_tracer *trc, js_object *o)
{
    js_temporal *tp = (js_temporal *)o;
    if (jsv_is_gc(tp->tz))
        jsgc_mark_value(trc, tp->tz);
}

const js_class_ops jsclass_temporal = {
    .name = "Temporal", .size = sizeof(js_temporal), .trace = temporal_trace,
};

static const int kind_proto[] = {
    [TK_INSTANT] = JS_INTR_TemporalInstantPrototype,
    [TK_ZONED] = JS_INTR_TemporalZonedDateTimePrototype,
    [TK_DATE] = JS_INTR_TemporalPlainDatePrototype,
    [TK_TIME] = JS_INTR_TemporalPlainTimePrototype,
    [TK_DATETIME] = JS_INTR_TemporalPlainDateTimePrototype,
    [TK_YEARMONTH] = JS_INTR_TemporalPlainYearMonthPrototype,
    [TK_MONTHDAY] = JS_INTR_TemporalPlainMonthDayPrototype,
    [TK_DURATION] = JS_INTR_TemporalDurationPrototype,
};

js_temporal *tp_get(jsv v, int kind)
{
    if (!jsv_is_object(v)) return NULL;
    js_object *o = JSV_OBJ(v);
    if (jsobj_class(o) != JS_CLASS_TEMPORAL) return NULL;
    js_temporal *tp = (js_temporal *)o;
    return tp->kind == kind ? tp : NULL;
}

js_temporal *tp_this(js_thread *t, jsv v, int kind, const char *what)
{
    js_temporal *tp = tp_get(v, kind);
    if (!tp)
        jsvm_throw_type_error(t, "%s: receiver is not a Temporal.%s", what,
                              kind == TK_DATE ? "PlainDate" : kind == TK_TIME ? "PlainTime" :
                              kind == TK_DATETIME ? "PlainDateTime" : kind == TK_DURATION ? "Duration" :
                              kind == TK_INSTANT ? "Instant" : kind == TK_ZONED ? "ZonedDateTime" :
                              kind == TK_YEARMONTH ? "PlainYearMonth" : "PlainMonthDay");
    return tp;
}

js_temporal *tp_new(js_thread *t, jsv new_target, int kind)
{
    js_object *o = jsobj_new_from_ctor(t, new_target, kind_proto[kind], JS_CLASS_TEMPORAL);
    if (!o) return NULL;
    js_temporal *tp = (js_temporal *)o;
    tp->kind = kind;
    memset(&tp->date, 0, sizeof tp->date);
    memset(&tp->time, 0, sizeof tp->time);
    tp->epoch_ns = 0;
    for (int i = 0; i < DU_COUNT; i++) tp->dur[i] = 0;
    tp->tz = JSV_UNDEFINED;
    return tp;
}

jsv tp_str(js_thread *t, const char *s)
{
    js_string *str = jsstr_new_cstr(t, s);
    return str ? jsv_string(str) : JSV_EXCEPTION;
}

jsv tp_get_prop(js_thread *t, jsv obj, const char *name)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION) return JSV_EXCEPTION;
    return jsobj_get(t, JSV_OBJ(obj), k, obj);
}

int tp_string_ascii(js_string *s, char *buf, size_t cap)
{
    uint32_t n = s->len;
    if (n + 1 > cap) return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t ch = jsstr_char_at(s, i);
        if (ch >= 128) return -1;
        buf[i] = (char)ch;
    }
    buf[n] = 0;
    return (int)n;
}

int tp_to_integer_with_truncation(js_thread *t, jsv v, double *out)
{
    double d;
    if (jsop_to_number(t, v, &d) < 0) return -1;
    if (d != d || d == INFINITY || d == -INFINITY) {
        jsvm_throw_range_error(t, "value must be a finite number");
        return -1;
    }
    d = trunc(d);
    *out = d == 0 ? 0 : d;
    return 0;
}

int tp_integer_args(js_thread *t, int argc, jsv *argv, int first, int n, int required, double *v)
{
    for (int i = 0; i < n; i++) {
        jsv a = JS_ARG(first + i);
        if ((i < required || !jsv_is_undefined(a)) && tp_to_integer_with_truncation(t, a, &v[i]) < 0) return -1;
    }
    return 0;
}

int tp_ctor_calendar(js_thread *t, jsv cal)
{
    return jsv_is_undefined(cal) ? 0 : tp_canonicalize_calendar(t, cal);
}

int tp_to_positive_integer_with_truncation(js_thread *t, jsv v, double *out)
{
    if (tp_to_integer_with_truncation(t, v, out) < 0) return -1;
    if (*out <= 0) {
        jsvm_throw_range_error(t, "value must be positive");
        return -1;
    }
    return 0;
}

jsv tp_get_options_object(js_thread *t, jsv options)
{
    if (jsv_is_undefined(options)) {
        js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        return o ? jsv_object(o) : JSV_EXCEPTION;
    }
    if (jsv_is_object(options)) return options;
    return jsvm_throw_type_error(t, "options must be an object or undefined");
}

int tp_get_string_option(js_thread *t, jsv options, const char *name, const char *const *values, int n, int default_idx)
{
    jsv v = tp_get_prop(t, options, name);
    if (v == JSV_EXCEPTION) return -1;
    if (jsv_is_undefined(v)) return default_idx;
    js_string *s = jsop_to_string(t, v);
    if (!s) return -1;
    for (int i = 0; i < n; i++)
        if (jsstr_equal_cstr(s, values[i])) return i;
    jsvm_throw_range_error(t, "invalid value for option %s", name);
    return -1;
}

int tp_get_overflow(js_thread *t, jsv options)
{
    static const char *const vals[] = { "constrain", "reject" };
    return tp_get_string_option(t, options, "overflow", vals, 2, 0);
}

static int canon_cal(js_thread *t, const char *s)
{
    if (!strcasecmp(s, "iso8601")) return 0;
    jsvm_throw_range_error(t, "unsupported calendar: %s", s);
    return -1;
}

int tp_canonicalize_calendar(js_thread *t, jsv v)
{
    char buf[64];
    if (!jsv_is_string(v)) { jsvm_throw_type_error(t, "calendar must be a string"); return -1; }
    if (tp_string_ascii(JSV_STR(v), buf, sizeof buf) < 0) {
        jsvm_throw_range_error(t, "unsupported calendar");
        return -1;
    }
    return canon_cal(t, buf);
}

/* ToTemporalCalendarIdentifier */
int tp_to_calendar_identifier(js_thread *t, jsv v)
{
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_TEMPORAL) {
        int k = ((js_temporal *)JSV_OBJ(v))->kind;
        if (k != TK_INSTANT && k != TK_DURATION && k != TK_TIME) return 0;
    }
    if (!jsv_is_string(v)) { jsvm_throw_type_error(t, "calendar must be a string"); return -1; }
    char buf[300];
    int n = tp_string_ascii(JSV_STR(v), buf, sizeof buf);
    if (n < 0) { jsvm_throw_range_error(t, "invalid calendar"); return -1; }
    /* ParseTemporalCalendarString: an ISO string with annotations, else an identifier. */
    static const int kinds[] = { TP_PARSE_DATETIME, TP_PARSE_TIME, TP_PARSE_YEARMONTH, TP_PARSE_MONTHDAY };
    for (int i = 0; i < 4; i++) {
        tp_parsed p;
        if (tp_parse(buf, (size_t)n, kinds[i], &p) == 0) {
            if (!p.calendar[0]) return 0;
            return canon_cal(t, p.calendar);
        }
    }
    return canon_cal(t, buf);
}

/* GetTemporalCalendarIdentifierWithISODefault */
int tp_calendar_from_item(js_thread *t, jsv item)
{
    if (jsobj_class(JSV_OBJ(item)) == JS_CLASS_TEMPORAL) return 0;
    jsv cal = tp_get_prop(t, item, "calendar");
    if (cal == JSV_EXCEPTION) return -1;
    if (jsv_is_undefined(cal)) return 0;
    return tp_to_calendar_identifier(t, cal);
}

jsv tp_calendar_id_value(js_thread *t) { return tp_str(t, "iso8601"); }

int tp_parse_string(js_thread *t, jsv v, int kind, tp_parsed *out)
{
    char buf[512];
    int n = tp_string_ascii(JSV_STR(v), buf, sizeof buf);
    if (n < 0 || tp_parse(buf, (size_t)n, kind, out) < 0) {
        jsvm_throw_range_error(t, "invalid ISO 8601 string");
        return -1;
    }
    /* Times and instants carry no calendar: their u-ca annotation is parsed
     * (a critical unknown key still fails in tp_parse) but never resolved. */
    if (kind == TP_PARSE_TIME || kind == TP_PARSE_INSTANT) return 0;
    if (out->calendar[0] && canon_cal(t, out->calendar) < 0) return -1;
    return 0;
}

/* ToMonthCode then the ISO suitability check happen in tp_resolve_month. */
static int to_month_code(js_thread *t, jsv v, int *out)
{
    jsv p = jsop_to_primitive(t, v, 2);
    if (p == JSV_EXCEPTION) return -1;
    if (!jsv_is_string(p)) { jsvm_throw_type_error(t, "monthCode must be a string"); return -1; }
    char buf[16];
    int n = tp_string_ascii(JSV_STR(p), buf, sizeof buf);
    if (n < 3 || n > 4 || buf[0] != 'M' || buf[1] < '0' || buf[1] > '9' || buf[2] < '0' || buf[2] > '9' ||
        (n == 4 && buf[3] != 'L') || (buf[1] == '0' && buf[2] == '0' && n == 3)) {
        jsvm_throw_range_error(t, "invalid monthCode");
        return -1;
    }
    int m = (buf[1] - '0') * 10 + (buf[2] - '0');
    *out = n == 4 ? -m : m;
    return 0;
}

static const char *const time_names[6] = { "hour", "microsecond", "millisecond", "minute", "nanosecond", "second" };

/* Fields in the alphabetical order of PrepareCalendarFields. */
int tp_read_fields(js_thread *t, jsv obj, tp_fields *f, int want_date, int want_time)
{
    memset(f, 0, sizeof *f);
    jsv v;
    if (want_date & 2) {
        if ((v = tp_get_prop(t, obj, "day")) == JSV_EXCEPTION) return -1;
        if (!jsv_is_undefined(v)) {
            if (tp_to_positive_integer_with_truncation(t, v, &f->day) < 0) return -1;
            f->has_day = 1;
        }
    }
    /* time fields interleave alphabetically: hour < microsecond < millisecond < minute < month < monthCode < nanosecond < second < year */
    int ti = 0;
    if (want_time) {
        for (; ti < 4; ti++) {
            if ((v = tp_get_prop(t, obj, time_names[ti])) == JSV_EXCEPTION) return -1;
            if (!jsv_is_undefined(v)) {
                if (tp_to_integer_with_truncation(t, v, &f->tf[ti]) < 0) return -1;
                f->has_tf[ti] = 1;
            }
        }
    }
    if (want_date & 4) {
        if ((v = tp_get_prop(t, obj, "month")) == JSV_EXCEPTION) return -1;
        if (!jsv_is_undefined(v)) {
            if (tp_to_positive_integer_with_truncation(t, v, &f->month) < 0) return -1;
            f->has_month = 1;
        }
        if ((v = tp_get_prop(t, obj, "monthCode")) == JSV_EXCEPTION) return -1;
        if (!jsv_is_undefined(v)) {
            if (to_month_code(t, v, &f->monthcode) < 0) return -1;
            f->has_monthcode = 1;
        }
    }
    if (want_time) {
        for (; ti < 6; ti++) {
            if ((v = tp_get_prop(t, obj, time_names[ti])) == JSV_EXCEPTION) return -1;
            if (!jsv_is_undefined(v)) {
                if (tp_to_integer_with_truncation(t, v, &f->tf[ti]) < 0) return -1;
                f->has_tf[ti] = 1;
            }
            if (ti == 4 && (want_time & 2)) {
                if ((v = tp_get_prop(t, obj, "offset")) == JSV_EXCEPTION) return -1;
                if (!jsv_is_undefined(v)) {
                    jsv p = jsop_to_primitive(t, v, 2);
                    if (p == JSV_EXCEPTION) return -1;
                    if (!jsv_is_string(p)) { jsvm_throw_type_error(t, "offset must be a string"); return -1; }
                    char buf[64];
                    int n = tp_string_ascii(JSV_STR(p), buf, sizeof buf), sub;
                    if (n < 0 || tp_parse_offset(buf, (size_t)n, &f->offset_ns, &sub) < 0) {
                        jsvm_throw_range_error(t, "invalid offset string");
                        return -1;
                    }
                    f->has_offset = 1;
                }
            }
        }
        if (want_time & 4) {
            if ((v = tp_get_prop(t, obj, "timeZone")) == JSV_EXCEPTION) return -1;
            if (!jsv_is_undefined(v)) {
                if (tp_to_time_zone_rec(t, v, f->tz_id, sizeof f->tz_id, &f->tz_zone) < 0) return -1;
                f->tz_off = f->tz_zone.db ? 0 : f->tz_zone.fixed;
                f->has_tz = 1;
            }
        }
    }
    if (want_date & 1) {
        if ((v = tp_get_prop(t, obj, "year")) == JSV_EXCEPTION) return -1;
        if (!jsv_is_undefined(v)) {
            if (tp_to_integer_with_truncation(t, v, &f->year) < 0) return -1;
            f->has_year = 1;
        }
    }
    return 0;
}

/* CalendarResolveFields for ISO: month from monthCode, consistency. */
int tp_resolve_month(js_thread *t, tp_fields *f)
{
    if (f->has_monthcode) {
        if (f->monthcode < 1 || f->monthcode > 12) {
            jsvm_throw_range_error(t, "monthCode not valid for the ISO calendar");
            return -1;
        }
        if (f->has_month && f->month != f->monthcode) {
            jsvm_throw_range_error(t, "month and monthCode disagree");
            return -1;
        }
        f->month = f->monthcode;
        f->has_month = 1;
    }
    return 0;
}

/* RejectTemporalLikeObject */
int tp_reject_temporal_like(js_thread *t, jsv obj)
{
    if (!jsv_is_object(obj)) { jsvm_throw_type_error(t, "argument must be an object"); return -1; }
    if (jsobj_class(JSV_OBJ(obj)) == JS_CLASS_TEMPORAL) {
        int k = ((js_temporal *)JSV_OBJ(obj))->kind;
        if (k != TK_INSTANT && k != TK_DURATION) {
            jsvm_throw_type_error(t, "argument must be a plain object, not a Temporal object");
            return -1;
        }
    }
    jsv v = tp_get_prop(t, obj, "calendar");
    if (v == JSV_EXCEPTION) return -1;
    if (!jsv_is_undefined(v)) { jsvm_throw_type_error(t, "calendar property not allowed"); return -1; }
    v = tp_get_prop(t, obj, "timeZone");
    if (v == JSV_EXCEPTION) return -1;
    if (!jsv_is_undefined(v)) { jsvm_throw_type_error(t, "timeZone property not allowed"); return -1; }
    return 0;
}

/* GetTemporalShowCalendarNameOption: 0 auto, 1 always, 2 never, 3 critical */
int tp_get_show_calendar(js_thread *t, jsv o)
{
    static const char *const vals[] = { "auto", "always", "never", "critical" };
    return tp_get_string_option(t, o, "calendarName", vals, 4, 0);
}

int tp_format_calendar(char *buf, int show)
{
    if (show == 1) return sprintf(buf, "[u-ca=iso8601]");
    if (show == 3) return sprintf(buf, "[!u-ca=iso8601]");
    buf[0] = 0;
    return 0;
}

jsv tp_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Temporal objects cannot be converted to primitives; use compare() or equals()");
}

js_object *tp_make_type(js_thread *t, js_realm *realm, js_object *ns, const char *name, int length,
                        js_native_ctor ctor, int ctor_id, int proto_id, const char *tag)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto) return NULL;
    js_key key = jskey_from_cstr(t, name);
    if (key == JSV_EXCEPTION) return NULL;
    js_object *c = jsfn_new_native_ctor(t, NULL, ctor, key, length, 0);
    if (!c) return NULL;
    if (jsobj_define_value(t, c, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(proto), 0) < 0 ||
        jsobj_define_value(t, proto, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(c), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, ns, key, jsv_object(c), JS_PROP_C_W) < 0 ||
        jsbi_set_tag(t, proto, tag) < 0)
        return NULL;
    realm->intrinsics[ctor_id] = jsv_object(c);
    realm->intrinsics[proto_id] = jsv_object(proto);
    return c;
}

/* ---- scaffolding shared by the from(), with() and toString() of every type ---- */

int tp_fields_any(const tp_fields *f)
{
    int any = f->has_year | f->has_month | f->has_monthcode | f->has_day;
    for (int i = 0; i < 6; i++) any |= f->has_tf[i];
    return any;
}

/* CalendarResolveFields' presence checks; need uses tp_read_fields' want_date bits. */
int tp_require_fields(js_thread *t, tp_fields *f, int need)
{
    if ((need & 1) && !f->has_year) { jsvm_throw_type_error(t, "year is required"); return -1; }
    if ((need & 2) && !f->has_day) { jsvm_throw_type_error(t, "day is required"); return -1; }
    if ((need & 4) && !f->has_month && !f->has_monthcode) {
        jsvm_throw_type_error(t, "month or monthCode is required");
        return -1;
    }
    return tp_resolve_month(t, f);
}

int tp_read_overflow(js_thread *t, jsv options)
{
    jsv o = tp_get_options_object(t, options);
    return o == JSV_EXCEPTION ? -1 : tp_get_overflow(t, o);
}

int tp_bag_fields(js_thread *t, jsv item, jsv options, int want_date, int want_time, tp_fields *f)
{
    if (want_date && tp_calendar_from_item(t, item) < 0) return -1;
    if (tp_read_fields(t, item, f, want_date, want_time) < 0) return -1;
    /* ToTemporalTimeRecord wants one field at least; date bags are checked
     * for their required fields later, by tp_require_fields. */
    if (!want_date && !tp_fields_any(f)) { jsvm_throw_type_error(t, "no time fields given"); return -1; }
    return tp_read_overflow(t, options);
}

int tp_with_fields(js_thread *t, jsv like, jsv options, int want_date, int want_time, tp_fields *f)
{
    if (tp_reject_temporal_like(t, like) < 0) return -1;
    if (tp_read_fields(t, like, f, want_date, want_time) < 0) return -1;
    if (!tp_fields_any(f)) { jsvm_throw_type_error(t, "no fields given"); return -1; }
    return tp_read_overflow(t, options);
}

int tp_get_string_opts(js_thread *t, jsv options, int what, tp_string_opts *so)
{
    so->show = 0;
    so->prec = -1;
    so->rm = RM_TRUNC;
    so->inc = 1;
    if (!what) return 0;
    jsv o = tp_get_options_object(t, options);
    if (o == JSV_EXCEPTION) return -1;
    if ((what & TP_OPT_CALENDAR) && (so->show = tp_get_show_calendar(t, o)) < 0) return -1;
    if ((what & TP_OPT_PRECISION) && tp_get_precision(t, o, &so->prec, &so->inc, &so->rm) < 0) return -1;
    return 0;
}

int tp_define_methods(js_thread *t, js_object *obj, const tp_method *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jsobj_define_fn(t, obj, m[i].name, m[i].fn, m[i].length, m[i].magic) < 0) return -1;
    return 0;
}

js_object *tp_init_type(js_thread *t, js_realm *realm, js_object *ns, const tp_type_spec *s)
{
    char tag[48];
    snprintf(tag, sizeof tag, "Temporal.%s", s->name);
    js_object *c = tp_make_type(t, realm, ns, s->name, s->length, s->ctor, s->ctor_id, s->proto_id, tag);
    if (!c || tp_define_methods(t, c, s->statics, s->nstatics) < 0) return NULL;
    js_object *proto = JSV_OBJ(realm->intrinsics[s->proto_id]);
    if (tp_define_methods(t, proto, s->methods, s->nmethods) < 0) return NULL;
    return proto;
}

int tp_define_getters(js_thread *t, js_object *proto, const char *const *names, int n, js_native_fn fn)
{
    for (int i = 0; i < n; i++)
        if (jsobj_define_getter(t, proto, names[i], fn, i) < 0) return -1;
    return 0;
}

int jsbi_init_temporal(js_thread *t, js_realm *realm)
{
    js_object *ns = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!ns) return -1;
    realm->intrinsics[JS_INTR_Temporal] = jsv_object(ns);
    if (jsbi_set_tag(t, ns, "Temporal") < 0) return -1;
    if (realm->global &&
        jsobj_define_value(t, realm->global, jskey_from_atom_id(t, JS_ATOM_Temporal), jsv_object(ns), JS_PROP_C_W) < 0)
        return -1;
    if (tp_init_plaindate(t, realm, ns) < 0 || tp_init_plaintime(t, realm, ns) < 0 ||
        tp_init_plaindatetime(t, realm, ns) < 0 || tp_init_duration(t, realm, ns) < 0 ||
        tp_init_instant(t, realm, ns) < 0 || tp_init_yearmonth(t, realm, ns) < 0 ||
        tp_init_zoned(t, realm, ns) < 0)
        return -1;
    return 0;
}
