/*
 * instant.c - Temporal.Instant (exact time as epoch nanoseconds in __int128),
 * the BigInt <-> __int128 bridge, time zone identifiers (offsets here; IANA
 * names are resolved by tzdb.c), and Temporal.Now.
 */
#include "temporal.h"
#include "../../core/bigint.h"
#include <string.h>
#include <stdio.h>
#include <time.h>

#define NS_MAX_INSTANT ((__int128)8640000000000000LL * 1000000)
#define NS_DAY ((__int128)86400000000000LL)

int tp_valid_epoch_ns(__int128 ns) { return ns >= -NS_MAX_INSTANT && ns <= NS_MAX_INSTANT; }

static int i128_to_dec(char *buf, __int128 v)
{
    char tmp[64]; int k = 0, n = 0;
    int neg = v < 0;
    unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    if (!u) tmp[k++] = '0';
    while (u) { tmp[k++] = (char)('0' + (int)(u % 10)); u /= 10; }
    if (neg) buf[n++] = '-';
    while (k) buf[n++] = tmp[--k];
    buf[n] = 0;
    return n;
}

jsv tp_bigint_from_i128(js_thread *t, __int128 v)
{
    char buf[64];
    int n = i128_to_dec(buf, v);
    js_bigint *b = jsbig_from_string(t, buf, (size_t)n, 10);
    return b ? jsv_bigint(b) : JSV_EXCEPTION;
}

/* BigInt -> __int128; 0 ok, -1 when out of the instant range (no exception). */
int tp_bigint_to_i128(js_bigint *b, __int128 *out)
{
    if (jsbig_cmp_double(b, 1e22) > 0 || jsbig_cmp_double(b, -1e22) < 0) return -1;
    double d = jsbig_to_double(b);
    (void)d;
    /* |b| < 2^74: two 64-bit halves through asIntN semantics are awkward; use limbs. */
    unsigned __int128 u = 0;
    for (int i = (int)b->len - 1; i >= 0; i--) u = (u << (8 * sizeof(mp_limb_t))) | b->limbs[i];
    *out = (b->h.flags & 1) ? -(__int128)u : (__int128)u;
    return 0;
}

jsv tp_make_instant(js_thread *t, __int128 ns, jsv new_target)
{
    if (!tp_valid_epoch_ns(ns)) return jsvm_throw_range_error(t, "instant outside the supported range");
    js_temporal *tp = tp_new(t, new_target, TK_INSTANT);
    if (!tp) return JSV_EXCEPTION;
    tp->epoch_ns = ns;
    return jsv_object(&tp->base);
}

static jsv in_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv b = jsbi_to_bigint(t, JS_ARG(0));
    if (b == JSV_EXCEPTION) return JSV_EXCEPTION;
    __int128 ns;
    if (tp_bigint_to_i128(JSV_BIG(b), &ns) < 0 || !tp_valid_epoch_ns(ns))
        return jsvm_throw_range_error(t, "instant outside the supported range");
    return tp_make_instant(t, ns, new_target);
}

__int128 tp_utc_epoch_ns(tp_date d, tp_time tm)
{
    return (__int128)tp_epoch_days(d.year, d.month, d.day) * NS_DAY + tp_time_ns(tm);
}

/* ToTemporalInstant */
int tp_to_temporal_instant(js_thread *t, jsv item, __int128 *out)
{
    if (jsv_is_object(item)) {
        js_temporal *tp = jsobj_class(JSV_OBJ(item)) == JS_CLASS_TEMPORAL ? (js_temporal *)JSV_OBJ(item) : NULL;
        if (tp && (tp->kind == TK_INSTANT || tp->kind == TK_ZONED)) { *out = tp->epoch_ns; return 0; }
        item = jsop_to_primitive(t, item, 2);
        if (item == JSV_EXCEPTION) return -1;
    }
    if (!jsv_is_string(item)) { jsvm_throw_type_error(t, "cannot convert to Temporal.Instant"); return -1; }
    tp_parsed p;
    if (tp_parse_string(t, item, TP_PARSE_INSTANT, &p) < 0) return -1;
    __int128 ns = tp_utc_epoch_ns(p.date, p.time) - (p.has_z ? 0 : p.offset_ns);
    if (!tp_valid_epoch_ns(ns)) { jsvm_throw_range_error(t, "instant outside the supported range"); return -1; }
    *out = ns;
    return 0;
}

static jsv in_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    __int128 ns;
    if (tp_to_temporal_instant(t, JS_ARG(0), &ns) < 0) return JSV_EXCEPTION;
    return tp_make_instant(t, ns, JSV_UNDEFINED);
}

static jsv in_from_epoch(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    __int128 ns;
    if (magic == 0) {
        double d;
        if (jsop_to_number(t, JS_ARG(0), &d) < 0) return JSV_EXCEPTION;
        if (!isfinite(d) || trunc(d) != d) return jsvm_throw_range_error(t, "epoch milliseconds must be an integer");
        if (fabs(d) > 8.64e15) return jsvm_throw_range_error(t, "instant outside the supported range");
        ns = (__int128)d * 1000000;
    } else {
        jsv b = jsbi_to_bigint(t, JS_ARG(0));
        if (b == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (tp_bigint_to_i128(JSV_BIG(b), &ns) < 0) return jsvm_throw_range_error(t, "instant outside the supported range");
    }
    return tp_make_instant(t, ns, JSV_UNDEFINED);
}

static jsv in_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    __int128 a, b;
    if (tp_to_temporal_instant(t, JS_ARG(0), &a) < 0 || tp_to_temporal_instant(t, JS_ARG(1), &b) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(a < b ? -1 : a > b);
}

/* RoundNumberToIncrementAsIfPositive: modes act as for a positive value. */
static __int128 round_pos(__int128 x, __int128 inc, int mode)
{
    static const int as_pos[9] = { RM_CEIL, RM_FLOOR, RM_CEIL, RM_FLOOR, RM_HALF_CEIL, RM_HALF_FLOOR,
                                   RM_HALF_CEIL, RM_HALF_FLOOR, RM_HALF_EVEN };
    return tp_round_i128(x, inc, as_pos[mode]);
}

static __int128 floordiv128(__int128 a, __int128 b) { __int128 q = a / b; if ((a % b) && ((a < 0) != (b < 0))) q--; return q; }

static jsv in_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_INSTANT, magic ? "epochNanoseconds" : "epochMilliseconds");
    if (!tp) return JSV_EXCEPTION;
    if (magic) return tp_bigint_from_i128(t, tp->epoch_ns);
    return jsv_number((double)floordiv128(tp->epoch_ns, 1000000));
}

static jsv in_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_INSTANT, magic ? "subtract" : "add");
    if (!tp) return JSV_EXCEPTION;
    double v[DU_COUNT];
    if (tp_to_temporal_duration(t, JS_ARG(0), v) < 0) return JSV_EXCEPTION;
    if (v[0] || v[1] || v[2] || v[3]) return jsvm_throw_range_error(t, "Instant arithmetic does not accept date units");
    static const __int128 unit[DU_COUNT] = { 0, 0, 0, 0, 3600000000000LL, 60000000000LL, 1000000000LL, 1000000, 1000, 1 };
    __int128 ns = 0;
    for (int i = 4; i < DU_COUNT; i++) ns += (__int128)v[i] * unit[i];
    if (magic) ns = -ns;
    return tp_make_instant(t, tp->epoch_ns + ns, JSV_UNDEFINED);
}

static jsv in_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_INSTANT, magic ? "since" : "until");
    if (!tp) return JSV_EXCEPTION;
    __int128 other;
    if (tp_to_temporal_instant(t, JS_ARG(0), &other) < 0) return JSV_EXCEPTION;
    jsv o = tp_get_options_object(t, JS_ARG(1));
    if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
    int lu, su, rm; int64_t inc;
    if (tp_difference_settings_time(t, magic, o, U_NS, U_SECOND, &lu, &su, &rm, &inc) < 0) return JSV_EXCEPTION;
    __int128 d = other - tp->epoch_ns;
    d = tp_round_i128(d, (__int128)tp_unit_ns[su] * inc, rm);
    return tp_duration_from_ns(t, d, lu, magic);
}

static jsv in_round(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_INSTANT, "round");
    if (!tp) return JSV_EXCEPTION;
    jsv o;
    if (tp_get_round_to(t, JS_ARG(0), &o) < 0) return JSV_EXCEPTION;
    double inc;
    if (tp_get_rounding_increment(t, o, &inc) < 0) return JSV_EXCEPTION;
    int rm = tp_get_rounding_mode(t, o, RM_HALF_EXPAND);
    if (rm < 0) return JSV_EXCEPTION;
    int su = tp_get_unit_option(t, o, "smallestUnit");
    if (su == -1) return JSV_EXCEPTION;
    if (su == -2) return jsvm_throw_range_error(t, "smallestUnit is required");
    if (su < U_HOUR || su == U_AUTO) return jsvm_throw_range_error(t, "invalid smallestUnit");
    double max = 86400e9 / (double)tp_unit_ns[su];
    if (tp_validate_increment(t, inc, max, 1) < 0) return JSV_EXCEPTION;
    __int128 ns = round_pos(tp->epoch_ns, (__int128)tp_unit_ns[su] * (int64_t)inc, rm);
    return tp_make_instant(t, ns, JSV_UNDEFINED);
}

static jsv in_equals(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_INSTANT, "equals");
    if (!tp) return JSV_EXCEPTION;
    __int128 o;
    if (tp_to_temporal_instant(t, JS_ARG(0), &o) < 0) return JSV_EXCEPTION;
    return jsv_from_bool(o == tp->epoch_ns);
}

/* ---- time zones: offsets here, IANA names through tzdb.c ---- */

/* ToTemporalTimeZoneIdentifier: writes the identifier (as the database spells
 * it, or the normalized offset) into buf and the zone into *z. 0 ok, -1 exception. */
int tp_to_time_zone_rec(js_thread *t, jsv v, char *buf, size_t cap, tp_zone *z)
{
    js_temporal *zd = tp_get(v, TK_ZONED);
    if (zd) v = zd->tz;
    if (!jsv_is_string(v)) { jsvm_throw_type_error(t, "time zone must be a string"); return -1; }
    char s[300];
    int n = tp_string_ascii(JSV_STR(v), s, sizeof s);
    if (n < 0) { jsvm_throw_range_error(t, "invalid time zone"); return -1; }
    const char *id = s;
    char tzbuf[300];
    tp_parsed p;
    /* ParseTemporalTimeZoneString: an ISO string names its annotation, else Z/offset. */
    if (n > 0 && tp_parse(s, (size_t)n, TP_PARSE_DATETIME, &p) == 0) {
        if (p.tz[0]) { strcpy(tzbuf, p.tz); id = tzbuf; }
        else if (p.has_z) id = "UTC";
        else if (p.has_offset && !p.offset_has_subminute) {
            int64_t on = p.offset_ns;
            int64_t m = (on < 0 ? -on : on) / 60000000000LL;
            snprintf(tzbuf, sizeof tzbuf, "%c%02d:%02d", on < 0 ? '-' : '+', (int)(m / 60), (int)(m % 60));
            id = tzbuf;
        } else { jsvm_throw_range_error(t, "invalid time zone"); return -1; }
    } else if (n > 0 && tp_parse(s, (size_t)n, TP_PARSE_TIME, &p) == 0 && (s[0] == 'T' || s[0] == 't') && p.tz[0]) {
        strcpy(tzbuf, p.tz); id = tzbuf;
    }
    if (id[0] == '+' || id[0] == '-') {
        int64_t ns; int sub;
        if (tp_parse_offset(id, strlen(id), &ns, &sub) < 0 || sub) {
            jsvm_throw_range_error(t, "invalid time zone offset");
            return -1;
        }
        int64_t m = (ns < 0 ? -ns : ns) / 60000000000LL;
        snprintf(buf, cap, "%c%02d:%02d", ns < 0 ? '-' : '+', (int)(m / 60), (int)(m % 60));
        *z = (tp_zone){ NULL, ns, 0, NULL };
        return 0;
    }
    return tp_zone_lookup(t, id, buf, cap, z);
}

/* The older form for callers that only handle one offset for all time: an
 * IANA zone with transitions reports offset 0 here. */
int tp_to_time_zone(js_thread *t, jsv v, char *buf, size_t cap, int64_t *offset)
{
    tp_zone z;
    if (tp_to_time_zone_rec(t, v, buf, cap, &z) < 0) return -1;
    *offset = z.db ? 0 : z.fixed;
    return 0;
}

int tp_format_offset(char *buf, int64_t ns)
{
    /* rounded to the minute (FormatUTCOffsetNanoseconds with minute precision) */
    int64_t a = ns < 0 ? -ns : ns;
    int64_t m = (a + 30000000000LL) / 60000000000LL;
    return sprintf(buf, "%c%02d:%02d", ns < 0 ? '-' : '+', (int)(m / 60), (int)(m % 60));
}

void tp_epoch_to_parts(__int128 ns, tp_date *d, tp_time *tm)
{
    __int128 days = floordiv128(ns, NS_DAY);
    *d = tp_from_epoch_days((int64_t)days);
    *tm = tp_time_from_ns((int64_t)(ns - days * NS_DAY));
}

static jsv in_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_temporal *tp = tp_this(t, this_val, TK_INSTANT, "toString");
    if (!tp) return JSV_EXCEPTION;
    int prec = -1, rm = RM_TRUNC, has_tz = 0;
    int64_t inc = 1, off = 0;
    tp_zone zone;
    __int128 ns = tp->epoch_ns;
    if (magic == 0) {
        jsv o = tp_get_options_object(t, JS_ARG(0));
        if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
        int fsd = tp_read_fsd(t, o), su;
        if (fsd == -2 || tp_read_rm_su(t, o, &rm, &su) < 0) return JSV_EXCEPTION;
        jsv tz = tp_get_prop(t, o, "timeZone");
        if (tz == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (!jsv_is_undefined(tz)) {
            char id[300];
            if (tp_to_time_zone_rec(t, tz, id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
            has_tz = 1;
        }
        if (tp_resolve_precision(t, fsd, su, &prec, &inc) < 0) return JSV_EXCEPTION;
        ns = round_pos(ns, inc, rm);
        if (!tp_valid_epoch_ns(ns)) return jsvm_throw_range_error(t, "instant outside the supported range");
        if (has_tz) off = tp_zone_offset(&zone, ns);
    }
    tp_date d; tp_time tm;
    tp_epoch_to_parts(ns + off, &d, &tm);
    char buf[128];
    int n = tp_format_date(buf, d);
    buf[n++] = 'T';
    n += tp_format_time(buf + n, tm, prec);
    if (has_tz) tp_format_offset(buf + n, off);
    else strcpy(buf + n, "Z");
    return tp_str(t, buf);
}

static const struct { const char *name; js_native_fn fn; int n, magic; } in_methods[] = {
    { "add", in_add, 1, 0 },
    { "subtract", in_add, 1, 1 },
    { "until", in_until, 1, 0 },
    { "since", in_until, 1, 1 },
    { "round", in_round, 1, 0 },
    { "equals", in_equals, 1, 0 },
    { "toString", in_to_string, 0, 0 },
    { "toJSON", in_to_string, 0, 1 },
    { "toLocaleString", in_to_string, 0, 1 },
    { "valueOf", tp_value_of, 0, 0 },
};

/* ---- Temporal.Now ---- */

static __int128 now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (__int128)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static jsv now_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    __int128 ns = now_ns();
    char id[300];
    if (magic == 1) { tp_zone_system(t, id, sizeof id); return tp_str(t, id); }
    if (magic == 0) return tp_make_instant(t, ns, JSV_UNDEFINED);
    tp_zone zone;
    if (jsv_is_undefined(JS_ARG(0))) {
        /* the system zone always resolves: tp_zone_system checked it */
        tp_zone_system(t, id, sizeof id);
        if (tp_to_time_zone_rec(t, tp_str(t, id), id, sizeof id, &zone) < 0) return JSV_EXCEPTION;
    } else if (tp_to_time_zone_rec(t, JS_ARG(0), id, sizeof id, &zone) < 0) {
        return JSV_EXCEPTION;
    }
    tp_date d; tp_time tm;
    tp_epoch_to_parts(ns + tp_zone_offset(&zone, ns), &d, &tm);
    if (magic == 2) return tp_make_datetime(t, d, tm, JSV_UNDEFINED);
    if (magic == 3) return tp_make_date(t, d, JSV_UNDEFINED);
    if (magic == 4) return tp_make_time(t, tm, JSV_UNDEFINED);
    jsv tzv = tp_str(t, id);
    if (tzv == JSV_EXCEPTION) return JSV_EXCEPTION;
    return tp_make_zoned(t, ns, tzv, &zone, JSV_UNDEFINED);
}

static jsv date_to_instant(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_DATE)
        return jsvm_throw_type_error(t, "Date.prototype.toTemporalInstant called on a non-Date");
    double tv = jsv_get_number(((js_primitive_object *)JSV_OBJ(this_val))->value);
    if (!isfinite(tv)) return jsvm_throw_range_error(t, "Invalid Date");
    return tp_make_instant(t, (__int128)tv * 1000000, JSV_UNDEFINED);
}

int tp_init_instant(js_thread *t, js_realm *realm, js_object *ns)
{
    js_object *c = tp_make_type(t, realm, ns, "Instant", 1, in_construct, JS_INTR_TemporalInstant,
                                JS_INTR_TemporalInstantPrototype, "Temporal.Instant");
    if (!c) return -1;
    js_object *proto = JSV_OBJ(realm->intrinsics[JS_INTR_TemporalInstantPrototype]);
    if (jsobj_define_fn(t, c, "from", in_from, 1, 0) < 0 ||
        jsobj_define_fn(t, c, "fromEpochMilliseconds", in_from_epoch, 1, 0) < 0 ||
        jsobj_define_fn(t, c, "fromEpochNanoseconds", in_from_epoch, 1, 1) < 0 ||
        jsobj_define_fn(t, c, "compare", in_compare, 2, 0) < 0 ||
        jsobj_define_getter(t, proto, "epochMilliseconds", in_get, 0) < 0 ||
        jsobj_define_getter(t, proto, "epochNanoseconds", in_get, 1) < 0)
        return -1;
    for (size_t i = 0; i < sizeof in_methods / sizeof in_methods[0]; i++)
        if (jsobj_define_fn(t, proto, in_methods[i].name, in_methods[i].fn, in_methods[i].n, in_methods[i].magic) < 0)
            return -1;
    /* Temporal.Now */
    js_object *now = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!now || jsbi_set_tag(t, now, "Temporal.Now") < 0 ||
        jsobj_define_fn(t, now, "instant", now_fn, 0, 0) < 0 ||
        jsobj_define_fn(t, now, "timeZoneId", now_fn, 0, 1) < 0 ||
        jsobj_define_fn(t, now, "plainDateTimeISO", now_fn, 0, 2) < 0 ||
        jsobj_define_fn(t, now, "plainDateISO", now_fn, 0, 3) < 0 ||
        jsobj_define_fn(t, now, "plainTimeISO", now_fn, 0, 4) < 0 ||
        jsobj_define_fn(t, now, "zonedDateTimeISO", now_fn, 0, 5) < 0)
        return -1;
    js_key k = jskey_from_cstr(t, "Now");
    if (k == JSV_EXCEPTION || jsobj_define_value(t, ns, k, jsv_object(now), JS_PROP_C_W) < 0) return -1;
    jsv dp = realm->intrinsics[JS_INTR_DatePrototype];
    if (jsv_is_object(dp) && jsobj_define_fn(t, JSV_OBJ(dp), "toTemporalInstant", date_to_instant, 0, 0) < 0)
        return -1;
    return 0;
}
