/*
 * math.c - the Math namespace: libm wrappers with the spec's edge cases, clz32,
 * imul, fround, f16round, hypot, the exact Math.sumPrecise (Shewchuk partials
 * with overflow tracking, as in the proposal's reference algorithm) and
 * Math.random (xorshift128+, state per js_thread).
 * Must not touch: anything outside the Math object.
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include "builtins.h"

/* ---- unary functions (magic indexes this table) ---- */

static double js_round(double x)
{
    double r;
    if (!isfinite(x) || x == 0)
        return x;
    if (x > 0 && x < 0.5)
        return 0.0;
    if (x < 0 && x >= -0.5)
        return -0.0;
    r = floor(x);
    if (x - r >= 0.5)
        r += 1;
    return r;
}

static double js_sign(double x)
{
    if (isnan(x) || x == 0)
        return x;
    return x > 0 ? 1 : -1;
}

static double js_fround(double x)
{
    return (double)(float)x;
}

/* Round to IEEE binary16 (ties to even), returned as a double. Going through
 * float would round twice. */
static double js_f16round(double x)
{
    double a = fabs(x), q, r;
    int e;
    if (isnan(x) || isinf(x) || x == 0)
        return x;
    if (a >= 65520.0)
        return copysign(INFINITY, x);
    frexp(a, &e);          /* a = m * 2^e, m in [0.5, 1) */
    e -= 1;                /* a in [2^e, 2^(e+1)) */
    if (e < -14)
        e = -14;           /* subnormal halves share the quantum 2^-24 */
    q = ldexp(1.0, e - 10);
    r = nearbyint(a / q) * q;
    if (r >= 65520.0)
        return copysign(INFINITY, x);
    return copysign(r, x);
}

static double js_abs(double x) { return fabs(x); }
static double js_trunc(double x) { return trunc(x); }

typedef double (*unary_fn)(double);
static const struct { const char *name; unary_fn fn; } unary_fns[] = {
    { "abs", js_abs }, { "acos", acos }, { "acosh", acosh }, { "asin", asin },
    { "asinh", asinh }, { "atan", atan }, { "atanh", atanh }, { "cbrt", cbrt },
    { "ceil", ceil }, { "cos", cos }, { "cosh", cosh }, { "exp", exp },
    { "expm1", expm1 }, { "floor", floor }, { "fround", js_fround }, { "log", log },
    { "log1p", log1p }, { "log10", log10 }, { "log2", log2 }, { "round", js_round },
    { "sign", js_sign }, { "sin", sin }, { "sinh", sinh }, { "sqrt", sqrt },
    { "tan", tan }, { "tanh", tanh }, { "trunc", js_trunc }, { "f16round", js_f16round },
};

static jsv math_unary(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    double x;
    if (jsv_is_number(v))
        x = jsv_get_number(v);
    else if (jsop_to_number(t, v, &x) < 0)
        return JSV_EXCEPTION;
    return jsv_number(unary_fns[magic].fn(x));
}

/* ---- functions of several arguments ---- */

static jsv math_atan2(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double y, x;
    if (jsop_to_number(t, JS_ARG(0), &y) < 0 || jsop_to_number(t, JS_ARG(1), &x) < 0)
        return JSV_EXCEPTION;
    return jsv_number(atan2(y, x));
}

/* Number::exponentiate: differs from C pow for NaN exponents and |base| = 1. */
static double js_pow(double b, double e)
{
    if (isnan(e))
        return NAN;
    if (e == 0)
        return 1;
    if (isinf(e) && fabs(b) == 1)
        return NAN;
    return pow(b, e);
}

static jsv math_pow(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double b, e;
    if (jsop_to_number(t, JS_ARG(0), &b) < 0 || jsop_to_number(t, JS_ARG(1), &e) < 0)
        return JSV_EXCEPTION;
    return jsv_number(js_pow(b, e));
}

/* magic 0: max, 1: min. Every argument is coerced even after a NaN. */
static jsv math_minmax(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double r = magic ? INFINITY : -INFINITY;
    int nan = 0;
    for (int i = 0; i < argc; i++) {
        double x;
        if (jsop_to_number(t, argv[i], &x) < 0)
            return JSV_EXCEPTION;
        if (isnan(x)) {
            nan = 1;
        } else if (magic) {
            if (x < r || (x == 0 && r == 0 && signbit(x)))
                r = x;
        } else {
            if (x > r || (x == 0 && r == 0 && !signbit(x)))
                r = x;
        }
    }
    return jsv_number(nan ? NAN : r);
}

static jsv math_hypot(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double *v, m = 0, sum = 0, comp = 0;
    int inf = 0, nan = 0;

    if (argc == 0)
        return jsv_from_int(0);
    v = malloc((size_t)argc * sizeof *v);
    if (!v)
        return jsvm_throw_out_of_memory(t);
    for (int i = 0; i < argc; i++) {
        if (jsop_to_number(t, argv[i], &v[i]) < 0) {
            free(v);
            return JSV_EXCEPTION;
        }
    }
    for (int i = 0; i < argc; i++) {
        if (isinf(v[i]))
            inf = 1;
        else if (isnan(v[i]))
            nan = 1;
        else if (fabs(v[i]) > m)
            m = fabs(v[i]);
    }
    if (inf || nan || m == 0) {
        free(v);
        return jsv_number(inf ? INFINITY : nan ? NAN : 0);
    }
    /* Scale by the largest magnitude so squares neither overflow nor
     * underflow; Kahan summation keeps small terms. */
    for (int i = 0; i < argc; i++) {
        double s = v[i] / m, y = s * s - comp, tt = sum + y;
        comp = (tt - sum) - y;
        sum = tt;
    }
    free(v);
    return jsv_number(sqrt(sum) * m);
}

static jsv math_clz32(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    uint32_t n;
    if (jsop_to_uint32(t, JS_ARG(0), &n) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int(n ? __builtin_clz(n) : 32);
}

static jsv math_imul(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    uint32_t a, b;
    if (jsop_to_uint32(t, JS_ARG(0), &a) < 0 || jsop_to_uint32(t, JS_ARG(1), &b) < 0)
        return JSV_EXCEPTION;
    return jsv_from_int((int32_t)(a * b));
}

/* ---- Math.random ---- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static jsv math_random(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    uint64_t *s = t->random_state, s0, s1;
    if (s[0] == 0 && s[1] == 0) {
        struct timespec ts;
        uint64_t seed;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)t;
        s[0] = splitmix64(&seed);
        s[1] = splitmix64(&seed);
        if (s[0] == 0 && s[1] == 0)
            s[1] = 1;
    }
    s1 = s[0];
    s0 = s[1];
    s[0] = s0;
    s1 ^= s1 << 23;
    s[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return jsv_from_double((double)((s[1] + s0) >> 11) * 0x1.0p-53);
}

/* ---- Math.sumPrecise ---- */

typedef struct partials {
    double *p;
    int n, cap;
    double overflow;   /* multiples of 2^1024 carried out of the partials */
} partials;

static int partials_add(partials *ps, double x)
{
    int used = 0;
    for (int i = 0; i < ps->n; i++) {
        double y = ps->p[i], hi, lo;
        if (fabs(x) < fabs(y)) {
            double tmp = x; x = y; y = tmp;
        }
        hi = x + y;
        if (isinf(hi)) {
            double sign = hi > 0 ? 1 : -1;
            ps->overflow += sign;
            x = (x - sign * 0x1p1023) - sign * 0x1p1023;
            if (fabs(x) < fabs(y)) {
                double tmp = x; x = y; y = tmp;
            }
            hi = x + y;
        }
        lo = y - (hi - x);
        if (lo != 0)
            ps->p[used++] = lo;
        x = hi;
    }
    ps->n = used;
    if (x != 0) {
        if (ps->n == ps->cap) {
            int nc = ps->cap ? ps->cap * 2 : 16;
            double *np = realloc(ps->p, (size_t)nc * sizeof *np);
            if (!np)
                return -1;
            ps->p = np;
            ps->cap = nc;
        }
        ps->p[ps->n++] = x;
    }
    return 0;
}

static double partials_result(partials *ps)
{
    const double max_double = 1.7976931348623157e308, max_ulp = 0x1p971;
    double *p = ps->p, hi = 0, lo = 0;
    int n = ps->n - 1;

    if (ps->overflow != 0) {
        double next = n >= 0 ? p[n] : 0, x, y;
        n--;
        if (fabs(ps->overflow) > 1 || (ps->overflow > 0 && next > 0) || (ps->overflow < 0 && next < 0))
            return ps->overflow > 0 ? INFINITY : -INFINITY;
        /* Halve so the arithmetic stays finite. */
        x = ps->overflow * 0x1p1023;
        y = next / 2;
        hi = x + y;
        lo = y - (hi - x);
        lo *= 2;
        if (isinf(2 * hi)) {
            if (hi > 0)
                return (hi == 0x1p1023 && lo == -(max_ulp / 2) && n >= 0 && p[n] < 0) ? max_double : INFINITY;
            return (hi == -0x1p1023 && lo == max_ulp / 2 && n >= 0 && p[n] > 0) ? -max_double : -INFINITY;
        }
        if (lo != 0) {
            p[n + 1] = lo;
            n++;
            lo = 0;
        }
        hi *= 2;
    }
    while (n >= 0) {
        double x = hi, y = p[n--];
        hi = x + y;
        lo = y - (hi - x);
        if (lo != 0)
            break;
    }
    /* A remainder of exactly half an ulp: the next partial decides the rounding. */
    if (n >= 0 && ((lo < 0 && p[n] < 0) || (lo > 0 && p[n] > 0))) {
        double y = lo * 2, x = hi + y, yr = x - hi;
        if (y == yr)
            hi = x;
    }
    return hi;
}

static jsv math_sum_precise(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv items = JS_ARG(0);
    js_iter_record it;
    partials ps = { 0 };
    enum { ST_MINUS_ZERO, ST_FINITE, ST_PINF, ST_NINF, ST_NAN } state = ST_MINUS_ZERO;
    double count = 0, res;

    if (jsv_is_nullish(items))
        return jsvm_throw_type_error(t, "Math.sumPrecise requires an iterable");
    if (jsop_get_iterator(t, items, 0, &it) < 0)
        return JSV_EXCEPTION;
    for (;;) {
        jsv v;
        double x;
        int r = jsop_iterator_step_value(t, &it, &v);
        if (r < 0)
            goto fail;
        if (!r)
            break;
        if (++count >= 9007199254740992.0) {
            jsvm_throw_range_error(t, "Math.sumPrecise: too many values");
            goto close;
        }
        if (!jsv_is_number(v)) {
            jsvm_throw_type_error(t, "Math.sumPrecise: value is not a number");
            goto close;
        }
        if (state == ST_NAN)
            continue;
        x = jsv_get_number(v);
        if (isnan(x)) {
            state = ST_NAN;
        } else if (x == INFINITY) {
            state = state == ST_NINF ? ST_NAN : ST_PINF;
        } else if (x == -INFINITY) {
            state = state == ST_PINF ? ST_NAN : ST_NINF;
        } else if (!(x == 0 && signbit(x)) && (state == ST_MINUS_ZERO || state == ST_FINITE)) {
            state = ST_FINITE;
            if (partials_add(&ps, x) < 0) {
                jsvm_throw_out_of_memory(t);
                goto close;
            }
        }
    }
    switch (state) {
    case ST_NAN: res = NAN; break;
    case ST_PINF: res = INFINITY; break;
    case ST_NINF: res = -INFINITY; break;
    case ST_MINUS_ZERO: res = -0.0; break;
    default: res = partials_result(&ps); break;
    }
    free(ps.p);
    return jsv_number(res);
close:
    jsop_iterator_close(t, &it, 1);
fail:
    free(ps.p);
    return JSV_EXCEPTION;
}

int jsbi_init_math(js_thread *t, js_realm *realm)
{
    static const struct { const char *name; double v; } consts[] = {
        { "E", 2.718281828459045 }, { "LN10", 2.302585092994046 },
        { "LN2", 0.6931471805599453 }, { "LOG10E", 0.4342944819032518 },
        { "LOG2E", 1.4426950408889634 }, { "PI", 3.141592653589793 },
        { "SQRT1_2", 0.7071067811865476 }, { "SQRT2", 1.4142135623730951 },
    };
    static const struct { const char *name; js_native_fn fn; int len, magic; } fns[] = {
        { "atan2", math_atan2, 2, 0 }, { "clz32", math_clz32, 1, 0 },
        { "hypot", math_hypot, 2, 0 }, { "imul", math_imul, 2, 0 },
        { "max", math_minmax, 2, 0 }, { "min", math_minmax, 2, 1 },
        { "pow", math_pow, 2, 0 }, { "random", math_random, 0, 0 },
        { "sumPrecise", math_sum_precise, 1, 0 },
    };
    js_object *m = jsobj_new_plain(t);

    if (!m)
        return -1;
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (jsbi_define_value_cstr(t, m, consts[i].name, jsv_from_double(consts[i].v), 0) < 0)
            return -1;
    for (size_t i = 0; i < sizeof unary_fns / sizeof unary_fns[0]; i++)
        if (jsobj_define_fn(t, m, unary_fns[i].name, math_unary, 1, (int)i) < 0)
            return -1;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (jsobj_define_fn(t, m, fns[i].name, fns[i].fn, fns[i].len, fns[i].magic) < 0)
            return -1;
    if (jsbi_set_tag(t, m, "Math") < 0)
        return -1;
    realm->intrinsics[JS_INTR_Math] = jsv_object(m);
    return jsobj_define_value(t, realm->global, jskey_from_atom_id(t, JS_ATOM_Math), jsv_object(m), JS_PROP_C_W);
}
