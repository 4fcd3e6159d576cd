/*
 * test_clone.c - structured clone (lib/threads/clone.c): round trips of every
 * supported type, within one runtime and from one runtime to another; cycles
 * and identity; transfer; DataCloneError; and hostile input: every truncation
 * and thousands of random byte flips of valid forms are rejected or decoded
 * without a crash. Links the internal library.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "threads/clone.h"
#include "builtins/builtins.h"
#include "core/string.h"

typedef struct env { js_runtime *rt; js_thread *t; } env;

static void env_open(env *e)
{
    e->rt = jsrt_new(NULL);
    ck_assert_ptr_nonnull(e->rt);
    e->t = e->rt->main_thread;
    js_realm *realm = jsrt_realm_new(e->t);
    ck_assert_ptr_nonnull(realm);
    e->t->realm = realm;
}

static void env_close(env *e)
{
    jsrt_free(e->rt);
}

static jsv eval(env *e, const char *src)
{
    jsv v = jsvm_eval_script(e->t, src, strlen(src), "test_clone", 0);
    if (v == JSV_EXCEPTION) {
        jsv x = jsvm_take_exception(e->t);
        js_string *s = jsop_to_string(e->t, x);
        char *u = s ? jsstr_to_utf8(s, NULL) : NULL;
        ck_abort_msg("eval failed: %s\n  in: %s", u ? u : "?", src);
    }
    return v;
}

static void set_global(env *e, const char *name, jsv v)
{
    js_key k = jskey_from_cstr(e->t, name);
    ck_assert_int_ge(jsobj_set(e->t, e->t->realm->global, k, v, jsv_object(e->t->realm->global), JS_THROW), 0);
}

/* Checks `expr` (using globals c and o) is true. */
static void check_true(env *e, const char *expr)
{
    jsv v = eval(e, expr);
    ck_assert_msg(v == JSV_TRUE, "not true: %s", expr);
}

static const char *const sample =
    "var o = { i: 1, d: 1.5, neg0: -0, nan: NaN, s: 'h\\u00e9llo', w: '\\u2603\\ud83d\\ude00', b: 2n ** 100n, nb: -7n,"
    "  u: undefined, n: null, t: true, f: false, arr: [1, , 'x'], date: new Date(1234567890123),"
    "  re: /a+b/gimsuy, m: new Map([[1, 'one'], ['k', { z: 1 }]]), set: new Set([1, 'two', 3n]),"
    "  err: new RangeError('r', { cause: 'why' }), e2: new Error('plain'), bo: new Boolean(false),"
    "  no: new Number(3.25), so: new String('wrapped'), bio: Object(12n), proto: { ['__proto__']: 5 } };"
    "o.arr.extra = 'p'; o.arr.length = 10; o.self = o; o.alias = o.m; o.m.set('me', o);"
    "var ab = new ArrayBuffer(16, { maxByteLength: 64 }); new Uint8Array(ab).set([1,2,3,4,5,6,7,8]);"
    "o.ab = ab; o.u16 = new Uint16Array(ab, 2, 3); o.f64 = new Float64Array(ab, 8); o.dv = new DataView(ab, 4, 4);"
    "o.big = new BigInt64Array([-1n, 5n]); o.track = new Uint8Array(ab, 4);"
    "o.fixed = new Uint8Array([9, 8, 7]).buffer;"
    "o";

static const char *const sample_check =
    "c !== o && c.i === 1 && c.d === 1.5 && Object.is(c.neg0, -0) && Number.isNaN(c.nan) && c.s === o.s && c.w === o.w"
    " && c.b === 2n ** 100n && c.nb === -7n && 'u' in c && c.u === undefined && c.n === null && c.t === true && c.f === false"
    " && Array.isArray(c.arr) && c.arr.length === 10 && !(1 in c.arr) && c.arr[2] === 'x' && c.arr.extra === 'p'"
    " && c.date instanceof Date && c.date.getTime() === 1234567890123"
    " && c.re instanceof RegExp && c.re.source === 'a+b' && c.re.flags === 'gimsuy'"
    " && c.m instanceof Map && c.m.size === 3 && c.m.get(1) === 'one' && c.m.get('k').z === 1 && c.m.get('me') === c"
    " && c.alias === c.m && c.self === c && c.set instanceof Set && c.set.has('two') && c.set.has(3n)"
    " && c.err instanceof RangeError && c.err.message === 'r' && c.err.cause === 'why' && c.err.name === 'RangeError'"
    " && !Object.getOwnPropertyDescriptor(c.err, 'message').enumerable && typeof c.err.stack === 'string'"
    " && c.e2 instanceof Error && c.e2.message === 'plain' && !('cause' in c.e2)"
    " && typeof c.bo === 'object' && c.bo.valueOf() === false && c.no.valueOf() === 3.25 && c.so.valueOf() === 'wrapped'"
    " && c.so.length === 7 && c.bio.valueOf() === 12n && Object.getOwnPropertyNames(c.proto)[0] === '__proto__'"
    " && c.proto.__proto__ === 5 && Object.getPrototypeOf(c.proto) === Object.prototype"
    " && c.ab instanceof ArrayBuffer && c.ab.resizable && c.ab.maxByteLength === 64 && c.ab.byteLength === 16"
    " && c.u16.buffer === c.ab && c.u16.byteOffset === 2 && c.u16.length === 3 && c.u16[0] === new Uint16Array(o.ab, 2)[0]"
    " && c.f64.buffer === c.ab && c.f64.length === 1 && c.dv.buffer === c.ab && c.dv.byteOffset === 4 && c.dv.byteLength === 4"
    " && c.big[0] === -1n && c.big[1] === 5n && c.track.length === 12 && (c.ab.resize(20), c.track.length === 16)"
    " && !c.fixed.resizable && new Uint8Array(c.fixed)[2] === 7"
    " && JSON.stringify(Object.keys(c)) === JSON.stringify(Object.keys(o))";

static void serialize_ok(env *e, jsv v, jsv xfer, jsclone_buf *b)
{
    int r = jsclone_serialize(e->t, v, xfer, b);
    if (r < 0) {
        js_string *s = jsop_to_string(e->t, jsvm_take_exception(e->t));
        ck_abort_msg("serialize failed: %s", s ? jsstr_to_utf8(s, NULL) : "?");
    }
}

START_TEST(round_trip_same_runtime)
{
    env e;
    env_open(&e);
    jsv o = eval(&e, sample);
    jsclone_buf b;
    serialize_ok(&e, o, JSV_UNDEFINED, &b);
    jsv c = jsclone_deserialize(e.t, b.data, b.len, b.stores, b.nstores);
    ck_assert(c != JSV_EXCEPTION);
    set_global(&e, "c", c);
    check_true(&e, sample_check);
    /* The form is reusable: a second decoding gives an equal, distinct graph. */
    jsv c2 = jsclone_deserialize(e.t, b.data, b.len, b.stores, b.nstores);
    ck_assert(c2 != JSV_EXCEPTION && c2 != c);
    jsclone_buf_free(&b);
    env_close(&e);
}
END_TEST

START_TEST(round_trip_across_runtimes)
{
    env a, z;
    env_open(&a);
    jsv o = eval(&a, sample);
    eval(&a, "var sab = new SharedArrayBuffer(8); new Int32Array(sab)[0] = 41; sab");
    jsv pair = eval(&a, "[o, sab, new Int32Array(sab, 4)]");
    jsclone_buf b;
    serialize_ok(&a, pair, JSV_UNDEFINED, &b);
    ck_assert_uint_eq(b.nstores, 1);
    /* The form outlives the sender's runtime... */
    jsv keep = o;
    (void)keep;
    env_open(&z);
    jsv c = jsclone_deserialize(z.t, b.data, b.len, b.stores, b.nstores);
    ck_assert(c != JSV_EXCEPTION);
    set_global(&z, "pair", c);
    eval(&z, "var c = pair[0]; var o = { }; ");
    /* keys compared against the sender's list, spelled out */
    check_true(&z, "c.self === c && c.m.get('me') === c && c.u16.buffer === c.ab && c.date.getTime() === 1234567890123");
    check_true(&z, "pair[1] instanceof SharedArrayBuffer && new Int32Array(pair[1])[0] === 41 && pair[2].buffer === pair[1]");
    eval(&z, "new Int32Array(pair[1])[1] = 99");
    /* ...and shares SharedArrayBuffer storage with it. */
    check_true(&a, "new Int32Array(sab)[1] === 99");
    jsclone_buf_free(&b);
    env_close(&a);
    check_true(&z, "Atomics.add(new Int32Array(pair[1]), 0, 1) === 41 && new Int32Array(pair[1])[0] === 42");
    env_close(&z);
}
END_TEST

START_TEST(transfer)
{
    env e;
    env_open(&e);
    eval(&e, "var ab = new ArrayBuffer(8, { maxByteLength: 32 }); new Uint8Array(ab)[3] = 77; ab");
    jsv list = eval(&e, "[ab]");
    jsv v = eval(&e, "({ a: ab, b: ab, v: new Uint8Array(ab, 2) })");
    jsclone_buf b;
    serialize_ok(&e, v, list, &b);
    check_true(&e, "ab.detached === true && ab.byteLength === 0");
    jsv c = jsclone_deserialize(e.t, b.data, b.len, b.stores, b.nstores);
    ck_assert(c != JSV_EXCEPTION);
    ck_assert_ptr_null(b.stores[0]);   /* taken over */
    set_global(&e, "c", c);
    check_true(&e, "c.a === c.b && c.a.byteLength === 8 && c.a.resizable && c.a.maxByteLength === 32"
                   " && new Uint8Array(c.a)[3] === 77 && c.v.buffer === c.a && c.v[1] === 77");
    /* A transferred storage is consumed: decoding again is an error. */
    ck_assert(jsclone_deserialize(e.t, b.data, b.len, b.stores, b.nstores) == JSV_EXCEPTION);
    jsvm_take_exception(e.t);
    jsclone_buf_free(&b);
    env_close(&e);
}
END_TEST

static void expect_clone_error(env *e, const char *src, const char *xfer)
{
    jsv v = eval(e, src);
    jsv x = xfer ? eval(e, xfer) : JSV_UNDEFINED;
    jsclone_buf b;
    ck_assert_msg(jsclone_serialize(e->t, v, x, &b) < 0, "no error for %s", src);
    ck_assert_ptr_null(b.data);
    set_global(e, "err", jsvm_take_exception(e->t));
    check_true(e, "err instanceof Error && err.name === 'DataCloneError' && err.code === 25");
}

START_TEST(data_clone_errors)
{
    env e;
    env_open(&e);
    expect_clone_error(&e, "(function () {})", NULL);
    expect_clone_error(&e, "({ f: () => 1 })", NULL);
    expect_clone_error(&e, "Symbol('s')", NULL);
    expect_clone_error(&e, "[Object(Symbol())]", NULL);
    expect_clone_error(&e, "new Proxy({}, {})", NULL);
    expect_clone_error(&e, "Promise.resolve(1)", NULL);
    expect_clone_error(&e, "new WeakMap()", NULL);
    expect_clone_error(&e, "new WeakSet()", NULL);
    expect_clone_error(&e, "new WeakRef({})", NULL);
    expect_clone_error(&e, "[1][Symbol.iterator]()", NULL);
    expect_clone_error(&e, "(function* () {})()", NULL);
    expect_clone_error(&e, "var d = new ArrayBuffer(1); d.transfer(); d", NULL);
    expect_clone_error(&e, "var s = new SharedArrayBuffer(4); s", "[s]");
    expect_clone_error(&e, "var q = new ArrayBuffer(4); q", "[q, q]");
    expect_clone_error(&e, "1", "[{}]");
    /* A failed transfer leaves the buffer attached. */
    expect_clone_error(&e, "var kept = new ArrayBuffer(4); [kept, () => 1]", "[kept]");
    check_true(&e, "kept.detached === false && kept.byteLength === 4");
    /* Nesting is bounded with a clean error, not a C stack overflow. */
    jsv deep = eval(&e, "var deep = []; for (var i = 0; i < 100000; i++) deep = [deep]; deep");
    jsclone_buf b;
    ck_assert_int_lt(jsclone_serialize(e.t, deep, JSV_UNDEFINED, &b), 0);
    jsvm_take_exception(e.t);
    env_close(&e);
}
END_TEST

/* ---- hostile input ---- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static int decode(env *e, const uint8_t *p, size_t n, jsclone_buf *b)
{
    jsv v = jsclone_deserialize(e->t, p, n, b->stores, b->nstores);
    if (v == JSV_EXCEPTION) {
        ck_assert(e->t->has_exception);
        jsvm_take_exception(e->t);
        return 0;
    }
    return 1;
}

START_TEST(malformed_inputs)
{
    env e;
    env_open(&e);
    eval(&e, sample);
    jsv sab = eval(&e, "[o, new SharedArrayBuffer(8)]");
    jsclone_buf b;
    serialize_ok(&e, sab, JSV_UNDEFINED, &b);
    uint8_t *copy = malloc(b.len);
    ck_assert_ptr_nonnull(copy);
    /* Every proper prefix is rejected (the format has no optional tail). */
    for (size_t n = 0; n < b.len; n++) {
        memcpy(copy, b.data, n);
        ck_assert_msg(!decode(&e, copy, n, &b), "prefix %zu accepted", n);
    }
    /* Random flips: anything may come back, but nothing crashes. */
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    int accepted = 0;
    for (int round = 0; round < 5000; round++) {
        memcpy(copy, b.data, b.len);
        int nflips = 1 + (int)(rng_next(&seed) % 4);
        for (int k = 0; k < nflips; k++) {
            size_t at = (size_t)(rng_next(&seed) % b.len);
            if (rng_next(&seed) & 1)
                copy[at] ^= (uint8_t)(1u << (rng_next(&seed) % 8));
            else
                copy[at] = (uint8_t)rng_next(&seed);
        }
        size_t n = (rng_next(&seed) % 8) ? b.len : (size_t)(rng_next(&seed) % b.len);
        accepted += decode(&e, copy, n, &b);
        if (round % 500 == 0)
            jsgc_collect(e.rt);
    }
    ck_assert_int_lt(accepted, 5000);
    fprintf(stderr, "random flips: %d of 5000 decoded\n", accepted);
    free(copy);

    /* Hand-made attacks. */
    static const struct { const char *what; size_t n; uint8_t bytes[24]; } bad[] = {
        { "empty", 0, { 0 } },
        { "wrong magic", 6, { 'X', 'S', 'C', 'L', 1, 0 } },
        { "wrong version", 6, { 'J', 'S', 'C', 'L', 9, 0 } },
        { "unknown tag", 6, { 'J', 'S', 'C', 'L', 1, 0x7f } },
        { "trailing", 7, { 'J', 'S', 'C', 'L', 1, 0, 0 } },
        { "huge string", 10, { 'J', 'S', 'C', 'L', 1, 0x06, 0xff, 0xff, 0xff, 0x0f } },
        { "varint overflow", 17, { 'J', 'S', 'C', 'L', 1, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0 } },
        { "ref to nothing", 7, { 'J', 'S', 'C', 'L', 1, 0x10, 0 } },
        { "ref forward", 10, { 'J', 'S', 'C', 'L', 1, 0x11, 0, 0x05, 0x10, 5 } },
        { "bad key kind", 8, { 'J', 'S', 'C', 'L', 1, 0x11, 7, 0 } },
        { "sab no store", 7, { 'J', 'S', 'C', 'L', 1, 0x22, 3 } },
        { "xfer no store", 9, { 'J', 'S', 'C', 'L', 1, 0x21, 0, 0, 0 } },
        { "big ab", 12, { 'J', 'S', 'C', 'L', 1, 0x20, 0xff, 0xff, 0xff, 0xff, 0x0f, 0 } },
        { "ab max < len", 10, { 'J', 'S', 'C', 'L', 1, 0x20, 2, 1, 1, 0 } },
        { "view over int", 15, { 'J', 'S', 'C', 'L', 1, 0x23, 1, 0, 0, 1, 0x04, 1, 0, 0, 0 } },
        { "view bad kind", 10, { 'J', 'S', 'C', 'L', 1, 0x23, 99, 0, 0, 0 } },
        { "view past end", 14, { 'J', 'S', 'C', 'L', 1, 0x24, 4, 0, 8, 0x20, 2, 0, 1, 2 } },
        { "bigint bad digit", 9, { 'J', 'S', 'C', 'L', 1, 0x08, 0, 1, 'z' } },
        { "bigint empty", 8, { 'J', 'S', 'C', 'L', 1, 0x08, 0, 0 } },
        { "error kind", 8, { 'J', 'S', 'C', 'L', 1, 0x1c, 40, 0 } },
        { "bool obj", 7, { 'J', 'S', 'C', 'L', 1, 0x16, 2 } },
        { "index key too big", 14, { 'J', 'S', 'C', 'L', 1, 0x11, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0x12 } },
    };
    jsclone_buf none;
    jsclone_buf_init(&none);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!decode(&e, bad[i].bytes, bad[i].n, &none), "accepted: %s", bad[i].what);
    /* A transferred reference whose storage is shared is refused. */
    ck_assert_uint_eq(b.nstores, 1);
    static const uint8_t xs[] = { 'J', 'S', 'C', 'L', 1, 0x21, 0, 0, 0 };
    ck_assert(!decode(&e, xs, sizeof xs, &b));

    /* Nesting at the limit decodes; one level more is refused. */
    for (int extra = 0; extra <= 1; extra++) {
        size_t depth = JSCLONE_MAX_DEPTH + extra, n = 5 + 5 * depth + 1;
        uint8_t *deep = malloc(n);
        ck_assert_ptr_nonnull(deep);
        memcpy(deep, "JSCL\1", 5);
        for (size_t i = 0; i < depth; i++)
            memcpy(deep + 5 + 4 * i, "\x13\x01\x01\x00", 4);   /* [ index 0: ... */
        deep[5 + 4 * depth] = 0;                             /* undefined */
        memset(deep + 6 + 4 * depth, 0x12, depth);           /* ] ... */
        ck_assert_int_eq(decode(&e, deep, n, &none), !extra);
        free(deep);
    }
    jsclone_buf_free(&b);
    env_close(&e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("clone");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, round_trip_same_runtime);
    tcase_add_test(tc, round_trip_across_runtimes);
    tcase_add_test(tc, transfer);
    tcase_add_test(tc, data_clone_errors);
    tcase_add_test(tc, malformed_inputs);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
