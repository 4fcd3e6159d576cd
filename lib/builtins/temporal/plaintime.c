/*
 * plaintime.c - Temporal.PlainTime plus the rounding options shared by all
 * types (roundingMode, smallestUnit, fractionalSecondDigits, increments).
 * Time arithmetic with durations is in duration.c.
 */
#include "temporal.h"
#include <string.h>
#include <stdio.h>

static const char *const rm_names[] = { "ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor",
                                        "halfExpand", "halfTrunc", "halfEven" };

int tp_get_rounding_mode(js_thread *t, jsv o, int def)
{
    return tp_get_string_option(t, o, "roundingMode", rm_names, 9, def);
}

static const char *const unit_names[] = {
    "year", "month", "week", "day", "hour", "minute", "second", "millisecond", "microsecond", "nanosecond",
    "years", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds",
    "auto",
};
const int64_t tp_unit_ns[10] = { 0, 0, 0, 86400000000000LL, 3600000000000LL, 60000000000LL, 1000000000LL,
                                 1000000LL, 1000LL, 1LL };

/* GetTemporalUnitValuedOption: unit index 0..9, U_AUTO (10), or -2 when absent; -1 exception. */
int tp_get_unit_option(js_thread *t, jsv o, const char *name)
{
    int r = tp_get_string_option(t, o, name, unit_names, 21, -2);
    if (r < 0) return r;
    return r == 20 ? 10 : r % 10;
}

static __int128 i128_floordiv(__int128 a, __int128 b) { __int128 q = a / b; if ((a % b) && ((a < 0) != (b < 0))) q--; return q; }

__int128 tp_round_i128(__int128 x, __int128 inc, int mode)
{
    __int128 q = i128_floordiv(x, inc), r = x - q * inc;     /* 0 <= r < inc, x = q*inc + r */
    if (r == 0) return x;
    int neg = x < 0;
    /* r2 = 2r compared to inc picks the half cases */
    int cmp = (r * 2 > inc) - (r * 2 < inc);
    int up;   /* choose q+1 (toward +inf) */
    switch (mode) {
    case RM_CEIL: up = 1; break;
    case RM_FLOOR: up = 0; break;
    case RM_EXPAND: up = !neg; break;
    case RM_TRUNC: up = neg; break;
    case RM_HALF_CEIL: up = cmp >= 0; break;
    case RM_HALF_FLOOR: up = cmp > 0; break;
    case RM_HALF_EXPAND: up = cmp > 0 || (cmp == 0 && !neg); break;
    case RM_HALF_TRUNC: up = cmp > 0 || (cmp == 0 && neg); break;
    default: up = cmp > 0 || (cmp == 0 && (q & 1)); break;
    }
    return (q + up) * inc;
}

/* GetRoundingIncrementOption */
int tp_get_rounding_increment(js_thread *t, jsv o, double *out)
{
    jsv v = tp_get_prop(t, o, "roundingIncrement");
    if (v == JSV_EXCEPTION) return -1;
    if (jsv_is_undefined(v)) { *out = 1; return 0; }
    double d;
    if (jsop_to_number(t, v, &d) < 0) return -1;
    if (!isfinite(d)) { jsvm_throw_range_error(t, "roundingIncrement must be finite"); return -1; }
    d = trunc(d);
    if (d < 1 || d > 1e9) { jsvm_throw_range_error(t, "roundingIncrement out of range"); return -1; }
    *out = d;
    return 0;
}

int tp_validate_increment(js_thread *t, double inc, double max, int inclusive)
{
    double lim = inclusive ? max : max - 1;
    if (inc > lim || fmod(max, inc) != 0) {
        jsvm_throw_range_error(t, "invalid roundingIncrement");
        return -1;
    }
    return 0;
}

/* GetTemporalFractionalSecondDigitsOption: -1 auto, 0..9; returns -2 on exception. */
int tp_read_fsd(js_thread *t, jsv o)
{
    jsv v = tp_get_prop(t, o, "fractionalSecondDigits");
    if (v == JSV_EXCEPTION) return -2;
    if (jsv_is_undefined(v)) return -1;
    if (!jsv_is_number(v)) {
        js_string *s = jsop_to_string(t, v);
        if (!s) return -2;
        if (!jsstr_equal_cstr(s, "auto")) { jsvm_throw_range_error(t, "invalid fractionalSecondDigits"); return -2; }
        return -1;
    }
    double d = jsv_get_number(v);
    if (!isfinite(d)) { jsvm_throw_range_error(t, "invalid fractionalSecondDigits"); return -2; }
    d = floor(d);
    if (d < 0 || d > 9) { jsvm_throw_range_error(t, "invalid fractionalSecondDigits"); return -2; }
    return (int)d;
}

/* roundingMode and smallestUnit, read (and converted) before any validation. */
int tp_read_rm_su(js_thread *t, jsv o, int *rm, int *su)
{
    if ((*rm = tp_get_rounding_mode(t, o, RM_TRUNC)) < 0) return -1;
    if ((*su = tp_get_unit_option(t, o, "smallestUnit")) == -1) return -1;
    return 0;
}

/* ToSecondsStringPrecisionRecord after validating smallestUnit. */
int tp_resolve_precision(js_thread *t, int fsd, int su, int *precision, int64_t *increment_ns)
{
    if (su != -2 && (su < 5 || su == 10)) {
        jsvm_throw_range_error(t, "invalid smallestUnit");
        return -1;
    }
    static const int64_t pow10[10] = { 1000000000, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1 };
    switch (su) {
    case 5: *precision = -2; *increment_ns = 60000000000LL; return 0;
    case 6: *precision = 0; break;
    case 7: *precision = 3; break;
    case 8: *precision = 6; break;
    case 9: *precision = 9; break;
    default:
        *precision = fsd;
        *increment_ns = fsd < 0 ? 1 : pow10[fsd];
        return 0;
    }
    *increment_ns = pow10[*precision];
    return 0;
}

/* fractionalSecondDigits, roundingMode, smallestUnit (toString of time-bearing types). */
int tp_get_precision(js_thread *t, jsv o, int *precision, int64_t *increment_ns, int *rounding_mode)
{
    int fsd = tp_read_fsd(t, o), su;
    if (fsd == -2 || tp_read_rm_su(t, o, rounding_mode, &su) < 0) return -1;
    return tp_resolve_precision(t, fsd, su, precision, increment_ns);
}

jsv tp_make_time(js_thread *t, tp_time tm, jsv new_target)
{
    js_temporal *tp = tp_new(t, new_target, TK_TIME);
    if (!tp) return JSV_EXCEPTION;
    tp->time = tm;
    return jsv_object(&tp->base);
}

/* v: hour, minute, second, ms, us, ns */
int tp_regulate_time(js_thread *t, const double *v, int overflow, tp_time *out)
{
    static const double maxv[6] = { 23, 59, 59, 999, 999, 999 };
    double w[6];
    for (int i = 0; i < 6; i++) {
        w[i] = v[i];
        if (overflow == 1) {
            if (w[i] < 0 || w[i] > maxv[i]) { jsvm_throw_range_error(t, "invalid time"); return -1; }
        } else {
            if (w[i] < 0) w[i] = 0;
            if (w[i] > maxv[i]) w[i] = maxv[i];
        }
    }
    out->hour = (int32_t)w[0]; out->minute = (int32_t)w[1]; out->second = (int32_t)w[2];
    out->ms = (int32_t)w[3]; out->us = (int32_t)w[4]; out->ns = (int32_t)w[5];
    return 0;
}

/* tf[] order of tp_read_fields: hour, microsecond, millisecond, minute, nanosecond, second */
void tp_fields_time(const tp_fields *f, const tp_time *base, double *v)
{
    double b[6] = { 0, 0, 0, 0, 0, 0 };
    if (base) { b[0] = base->hour; b[1] = base->minute; b[2] = base->second; b[3] = base->ms; b[4] = base->us; b[5] = base->ns; }
    static const int map[6] = { 0, 4, 3, 1, 5, 2 };   /* tf index -> v index */
    for (int i = 0; i < 6; i++) v[map[i]] = f->has_tf[i] ? f->tf[i] : b[map[i]];
}

int tp_to_temporal_time(js_thread *t, jsv item, jsv options, tp_time *out)
{
    if (jsv_is_object(item)) {
        js_temporal *tp = jsobj_class(JSV_OBJ(item)) == JS_CLASS_TEMPORAL ? (js_temporal *)JSV_OBJ(item) : NULL;
        if (tp && (tp->kind == TK_TIME || tp->kind == TK_DATETIME || tp->kind == TK_ZONED)) {
            tp_time tm = tp->time;
            if (tp->kind == TK_ZONED && tp_zoned_date_time(t, tp, NULL, &tm) < 0) return -1;
            if (tp_read_overflow(t, options) < 0) return -1;
            *out = tm;
            return 0;
        }
        tp_fields f;
        int ov = tp_bag_fields(t, item, options, 0, 1, &f);
        if (ov < 0) return -1;
        double v[6];
        tp_fields_time(&f, NULL, v);
        return tp_regulate_time(t, v, ov, out);
    }
    if (!jsv_is_string(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.PlainTime"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_TIME, &p) < 0) return -1;
    if (p.has_z) { jsvm_throw_range_error(t, "UTC designator not allowed for a plain time"); return -1; }
    if (tp_read_overflow(t, options) < 0) return -1;
    *out = p.time;
    return 0;
}

static jsv pt_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double v[6] = { 0 };
    if (tp_integer_args(t, argc, argv, 0, 6, 0, v) < 0) return JSV_EXCEPTION;
    if (!tp_valid_time(v[0], v[1], v[2], v[3], v[4], v[5])) return jsvm_throw_range_error(t, "invalid time");
    tp_time tm;
    tp_regulate_time(t, v, 0, &tm);
    return tp_make_time(t, tm, new_target);
}

static jsv pt_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_time tm;
    if (tp_to_temporal_time(t, JS_ARG(0), JS_ARG(1), &tm) < 0) return JSV_EXCEPTION;
    return tp_make_time(t, tm, JSV_UNDEFINED);
}

static jsv pt_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    tp_time a, b;
    if (tp_to_temporal_time(t, JS_ARG(0), JSV_UNDEFINED, &a) < 0 ||
        tp_to_temporal_time(t, JS_ARG(1), JSV_UNDEFINED, &b) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(tp_compare_time(a, b));
}

static const char *const pt_getter_names[] = { "hour", "minute", "second", "millisecond", "microsecond", "nanosecond" };

jsv tp_time_getter(tp_time tm, int which)
{
    int32_t v[6] = { tm.hour, tm.minute, tm.second, tm.ms, tm.us, tm.ns };
    return jsv_from_int(v[which]);
}

static jsv pt_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, pt_getter_names[magic]);
    if (!tp) return JSV_EXCEPTION;
    return tp_time_getter(tp->time, magic);
}

static jsv pt_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, "with");
    if (!tp) return JSV_EXCEPTION;
    tp_fields f;
    int ov = tp_with_fields(t, JS_ARG(0), JS_ARG(1), 0, 1, &f);
    if (ov < 0) return JSV_EXCEPTION;
    double v[6];
    tp_fields_time(&f, &tp->time, v);
    tp_time tm;
    if (tp_regulate_time(t, v, ov, &tm) < 0) return JSV_EXCEPTION;
    return tp_make_time(t, tm, JSV_UNDEFINED);
}

static jsv pt_equals(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, "equals");
    if (!tp) return JSV_EXCEPTION;
    tp_time o;
    if (tp_to_temporal_time(t, JS_ARG(0), JSV_UNDEFINED, &o) < 0) return JSV_EXCEPTION;
    return jsv_from_bool(tp_compare_time(tp->time, o) == 0);
}

/* Rounds a time of day; returns the day carry (0 or 1). */
int tp_round_time(tp_time *tm, int64_t inc_ns, int mode)
{
    __int128 ns = tp_time_ns(*tm);
    ns = tp_round_i128(ns, inc_ns, mode);
    int carry = 0;
    if (ns >= 86400000000000LL) { ns -= 86400000000000LL; carry = 1; }
    *tm = tp_time_from_ns((int64_t)ns);
    return carry;
}

static jsv pt_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, "toString");
    if (!tp) return JSV_EXCEPTION;
    tp_string_opts so;
    if (tp_get_string_opts(t, JS_ARG(0), magic ? 0 : TP_OPT_PRECISION, &so) < 0) return JSV_EXCEPTION;
    tp_time tm = tp->time;
    tp_round_time(&tm, so.inc, so.rm);
    char buf[64];
    tp_format_time(buf, tm, so.prec);
    return tp_str(t, buf);
}

/* The roundTo argument of round(): smallestUnit string or options object. */
int tp_get_round_to(js_thread *t, jsv arg, jsv *opts)
{
    if (jsv_is_undefined(arg)) { jsvm_throw_type_error(t, "round requires an argument"); return -1; }
    if (jsv_is_string(arg)) {
        js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        if (!o) return -1;
        js_key k = jskey_from_cstr(t, "smallestUnit");
        if (k == JSV_EXCEPTION || jsobj_create_data_property(t, o, k, arg, 0) < 0) return -1;
        *opts = jsv_object(o);
        return 0;
    }
    *opts = tp_get_options_object(t, arg);
    return *opts == JSV_EXCEPTION ? -1 : 0;
}

/* The options of round() on PlainTime, PlainDateTime and ZonedDateTime: the
 * roundTo argument, roundingIncrement, roundingMode, then the required
 * smallestUnit (min_unit to nanosecond); the increment must divide the next
 * larger unit (a day rounds by 1 only). Gives the increment in nanoseconds. */
int tp_get_round_opts(js_thread *t, jsv round_to, int min_unit, int *su, int *rm, int64_t *inc_ns)
{
    jsv o;
    double inc;
    if (tp_get_round_to(t, round_to, &o) < 0 || tp_get_rounding_increment(t, o, &inc) < 0) return -1;
    if ((*rm = tp_get_rounding_mode(t, o, RM_HALF_EXPAND)) < 0) return -1;
    if ((*su = tp_get_unit_option(t, o, "smallestUnit")) == -1) return -1;
    if (*su == -2) { jsvm_throw_range_error(t, "smallestUnit is required"); return -1; }
    if (*su < min_unit || *su == U_AUTO) { jsvm_throw_range_error(t, "invalid smallestUnit"); return -1; }
    static const double maxes[10] = { 0, 0, 0, 1, 24, 60, 60, 1000, 1000, 1000 };
    if (tp_validate_increment(t, inc, maxes[*su], *su == U_DAY) < 0) return -1;
    *inc_ns = (int64_t)inc * tp_unit_ns[*su];
    return 0;
}

static jsv pt_round(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_TIME, "round");
    if (!tp) return JSV_EXCEPTION;
    int su, rm;
    int64_t inc;
    if (tp_get_round_opts(t, JS_ARG(0), U_HOUR, &su, &rm, &inc) < 0) return JSV_EXCEPTION;
    tp_time tm = tp->time;
    tp_round_time(&tm, inc, rm);
    return tp_make_time(t, tm, JSV_UNDEFINED);
}

static const tp_method pt_statics[] = {
    { "from", pt_from, 1, 0 },
    { "compare", pt_compare, 2, 0 },
}, pt_methods[] = {
    { "with", pt_with, 1, 0 },
    { "equals", pt_equals, 1, 0 },
    { "round", pt_round, 1, 0 },
    { "toString", pt_to_string, 0, 0 },
    { "toJSON", pt_to_string, 0, 1 },
    { "toLocaleString", pt_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
    { "add", tp_time_add, 1, 0 },
    { "subtract", tp_time_add, 1, 1 },
    { "until", tp_time_until, 1, 0 },
    { "since", tp_time_until, 1, 1 },
};

int tp_init_plaintime(js_thread *t, js_realm *realm, js_object *ns)
{
    static const tp_type_spec spec = {
        "PlainTime", 0, pt_construct, JS_INTR_TemporalPlainTime, JS_INTR_TemporalPlainTimePrototype,
        pt_statics, TP_COUNTOF(pt_statics), pt_methods, TP_COUNTOF(pt_methods),
    };
    js_object *proto = tp_init_type(t, realm, ns, &spec);
    return proto ? tp_define_getters(t, proto, pt_getter_names, 6, pt_get) : -1;
}
