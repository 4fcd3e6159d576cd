/*
 * test_string.c - unit tests of strings, ropes, atoms and symbols
 * (lib/core/string.c): encodings, flattening, hashing, interning, array
 * indices, and that the collector keeps rope children and atoms correct.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/runtime.h"

static js_runtime *rt;
static js_thread *t;

static void setup(void)
{
    js_runtime_options o = { 0 };
    rt = jsrt_new(&o);
    ck_assert_ptr_nonnull(rt);
    t = jsrt_thread(rt);
}

static void teardown(void)
{
    jsrt_free(rt);
    rt = NULL;
    t = NULL;
}

/* Overwrite dead stack so stale pointers from earlier calls don't look live;
 * called from the collecting frame itself (see test_gc.c). */
__attribute__((noinline)) static void scrub_stack(void)
{
    char buf[32768];
    memset(buf, 0, sizeof buf);
    /* Keep the stores: buf is otherwise dead. */
    __asm__ volatile("" : : "r"(buf) : "memory");
}
#define collect_clean() (scrub_stack(), jsgc_collect(rt))

static void assert_utf8(js_string *s, const char *expect, size_t expect_len)
{
    size_t n = 0;
    char *u = jsstr_to_utf8(s, &n);
    ck_assert_ptr_nonnull(u);
    ck_assert_uint_eq(n, expect_len);
    ck_assert(memcmp(u, expect, n) == 0);
    ck_assert_int_eq(u[n], 0);
    free(u);
}

START_TEST(test_latin1_utf16)
{
    js_string *a = jsstr_new_latin1(t, (const uint8_t *)"h\xe9llo", 5);
    ck_assert_uint_eq(a->len, 5);
    ck_assert(!jsstr_is_wide(a));
    ck_assert_uint_eq(jsstr_at(a, 1), 0xE9);
    assert_utf8(a, "h\xc3\xa9llo", 6);

    const uint16_t narrow[] = { 'h', 0xE9, 'l', 'l', 'o' };
    js_string *b = jsstr_new_utf16(t, narrow, 5);
    ck_assert(!jsstr_is_wide(b));   /* narrowed */
    ck_assert(jsstr_equal(a, b));
    ck_assert_uint_eq(jsstr_hash(a), jsstr_hash(b));

    const uint16_t wide[] = { 0x3B1, 'x', 0xD83D, 0xDE00 };
    js_string *c = jsstr_new_utf16(t, wide, 4);
    ck_assert(jsstr_is_wide(c));
    assert_utf8(c, "\xce\xb1x\xf0\x9f\x98\x80", 7);

    /* Lone surrogates become U+FFFD on the way out. */
    const uint16_t lone[] = { 'a', 0xD800, 'b', 0xDC00 };
    assert_utf8(jsstr_new_utf16(t, lone, 4), "a\xef\xbf\xbd" "b\xef\xbf\xbd", 8);
    const uint16_t hi_end[] = { 'a', 0xDBFF };
    assert_utf8(jsstr_new_utf16(t, hi_end, 2), "a\xef\xbf\xbd", 4);
}
END_TEST

START_TEST(test_utf8_in)
{
    const char *src = "h\xc3\xa9llo \xf0\x9f\x98\x80 w\xc3\xb6rld \xe2\x82\xac";
    js_string *s = jsstr_new_cstr(t, src);
    ck_assert(jsstr_is_wide(s));
    /* h é l l o ␠ (2 units) ␠ w ö r l d ␠ € */
    ck_assert_uint_eq(s->len, 16);
    ck_assert_uint_eq(jsstr_at(s, 6), 0xD83D);
    ck_assert_uint_eq(jsstr_at(s, 7), 0xDE00);
    ck_assert_uint_eq(jsstr_at(s, 15), 0x20AC);
    assert_utf8(s, src, strlen(src));

    /* Latin-1 range only: stays narrow. */
    js_string *l = jsstr_new_cstr(t, "caf\xc3\xa9");
    ck_assert(!jsstr_is_wide(l));
    ck_assert_uint_eq(l->len, 4);
    ck_assert_uint_eq(jsstr_at(l, 3), 0xE9);

    /* Invalid input: one U+FFFD per maximal ill-formed subpart. */
    struct { const char *in; size_t len; uint32_t units[6]; size_t n; } cases[] = {
        { "\xc0\x80", 2, { 0xFFFD, 0xFFFD }, 2 },
        { "\xe0\x80" "a", 3, { 0xFFFD, 0xFFFD, 'a' }, 3 },
        { "\xf0\x9f\x98", 3, { 0xFFFD }, 1 },
        { "\xed\xa0\x80", 3, { 0xFFFD, 0xFFFD, 0xFFFD }, 3 },
        { "a\xff" "b", 3, { 'a', 0xFFFD, 'b' }, 3 },
        { "\xe2\x82", 2, { 0xFFFD }, 1 },
        { "\xf4\x90\x80\x80", 4, { 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD }, 4 },
        { "\xc3" "a", 2, { 0xFFFD, 'a' }, 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        js_string *r = jsstr_new_utf8(t, cases[i].in, cases[i].len);
        ck_assert_msg(r->len == cases[i].n, "case %zu: len %u", i, r->len);
        for (size_t k = 0; k < cases[i].n; k++)
            ck_assert_msg(jsstr_at(r, (uint32_t)k) == cases[i].units[k], "case %zu unit %zu", i, k);
    }
    /* Embedded NUL survives. */
    js_string *z = jsstr_new_utf8(t, "a\0b", 3);
    ck_assert_uint_eq(z->len, 3);
    ck_assert_uint_eq(jsstr_at(z, 1), 0);
}
END_TEST

START_TEST(test_from_char_substring)
{
    js_string *a = jsstr_from_char(t, 'a');
    ck_assert_ptr_eq(a, jsstr_from_char(t, 'a'));   /* shared */
    ck_assert(jsstr_equal_cstr(a, "a"));
    js_string *e = jsstr_from_char(t, 0x20AC);
    ck_assert(jsstr_is_wide(e));
    ck_assert_uint_eq(jsstr_at(e, 0), 0x20AC);
    js_string *p = jsstr_from_char(t, 0x1F600);
    ck_assert_uint_eq(p->len, 2);
    ck_assert_uint_eq(jsstr_at(p, 0), 0xD83D);
    ck_assert_uint_eq(jsstr_at(p, 1), 0xDE00);

    js_string *s = jsstr_new_cstr(t, "hello \xe2\x82\xac world");
    js_string *sub = jsstr_substring(t, s, 8, 13);
    ck_assert(jsstr_equal_cstr(sub, "world"));
    ck_assert(!jsstr_is_wide(sub));   /* narrowed */
    ck_assert_ptr_eq(jsstr_substring(t, s, 0, s->len), s);
    ck_assert_uint_eq(jsstr_substring(t, s, 5, 5)->len, 0);
    ck_assert_ptr_eq(jsstr_empty(t), jsstr_substring(t, s, 9, 3));
    ck_assert(jsstr_equal_cstr(jsstr_empty(t), ""));
}
END_TEST

static js_string *repeat_char(char c, size_t n)
{
    char *buf = malloc(n);
    memset(buf, c, n);
    js_string *s = jsstr_new_latin1(t, (uint8_t *)buf, n);
    free(buf);
    return s;
}

START_TEST(test_ropes)
{
    js_string *a = repeat_char('a', 20), *b = repeat_char('b', 20);
    js_string *ab = jsstr_concat(t, a, b);
    ck_assert(!jsstr_is_flat(ab));
    ck_assert_uint_eq(ab->len, 40);
    ck_assert_uint_eq(jsstr_char_at(ab, 19), 'a');
    ck_assert_uint_eq(jsstr_char_at(ab, 20), 'b');
    /* Short results are flat. */
    js_string *x = jsstr_concat(t, jsstr_new_cstr(t, "foo"), jsstr_new_cstr(t, "bar"));
    ck_assert(jsstr_is_flat(x));
    ck_assert(jsstr_equal_cstr(x, "foobar"));
    ck_assert_ptr_eq(jsstr_concat(t, x, jsstr_empty(t)), x);

    /* Rope vs flat: equal, same hash, compare 0. */
    char buf[41];
    memset(buf, 'a', 20);
    memset(buf + 20, 'b', 20);
    buf[40] = 0;
    js_string *flat = jsstr_new_cstr(t, buf);
    uint32_t h = jsstr_hash(ab);
    ck_assert_uint_eq(h, jsstr_hash(flat));
    ck_assert(jsstr_equal(ab, flat));
    ck_assert(jsstr_equal_cstr(ab, buf));
    ck_assert_int_eq(jsstr_compare(ab, flat), 0);
    assert_utf8(ab, buf, 40);

    /* Wide + narrow rope. */
    const uint16_t w[] = { 0x3B1, 0x3B2 };
    js_string *wide = jsstr_concat(t, ab, jsstr_new_utf16(t, w, 2));
    ck_assert(jsstr_is_wide(wide));
    ck_assert_uint_eq(jsstr_char_at(wide, 41), 0x3B2);

    /* Flatten: every holder sees the flat result. */
    js_string *f = jsstr_flatten(t, ab);
    ck_assert(jsstr_is_flat(f));
    ck_assert(!jsstr_is_flat(ab));
    ck_assert_ptr_eq(jsstr_flatten(t, ab), f);
    ck_assert(jsstr_equal(f, flat));
    ck_assert_uint_eq(jsstr_hash(f), h);
    ck_assert_uint_eq(jsstr_char_at(ab, 39), 'b');
    /* The wide rope built over ab still reads correctly. */
    js_string *wf = jsstr_flatten(t, wide);
    ck_assert(jsstr_is_wide(wf));
    ck_assert_uint_eq(jsstr_at(wf, 0), 'a');
    ck_assert_uint_eq(jsstr_at(wf, 40), 0x3B1);

    /* A surrogate pair split across two leaves encodes as one code point. */
    const uint16_t hi[] = { 0xD83D }, lo[] = { 0xDE00 };
    js_string *l1 = jsstr_concat(t, repeat_char('x', 24), jsstr_new_utf16(t, hi, 1));
    js_string *pair = jsstr_concat(t, l1, jsstr_new_utf16(t, lo, 1));
    ck_assert(!jsstr_is_flat(pair));
    size_t n;
    char *u = jsstr_to_utf8(pair, &n);
    ck_assert_uint_eq(n, 28);
    ck_assert(memcmp(u + 24, "\xf0\x9f\x98\x80", 4) == 0);
    free(u);
}
END_TEST

START_TEST(test_deep_ropes)
{
    /* Appending one character at a time: left-deep, depth bounded. */
    js_string *s = repeat_char('q', 30);
    js_string *c = jsstr_from_char(t, 'z');
    for (int i = 0; i < 100000; i++) {
        s = jsstr_concat(t, s, c);
        if (!s) ck_abort_msg("concat failed");
    }
    ck_assert_uint_eq(s->len, 100030);
    ck_assert(jsstr_is_flat(s) || s->u.rope.depth <= 1000);
    ck_assert_uint_eq(jsstr_char_at(s, 29), 'q');
    ck_assert_uint_eq(jsstr_char_at(s, 100029), 'z');
    /* Prepending: right-deep. */
    js_string *r = repeat_char('q', 30);
    for (int i = 0; i < 100000; i++) {
        r = jsstr_concat(t, c, r);
        if (!r) ck_abort_msg("concat failed");
    }
    ck_assert_uint_eq(r->len, 100030);
    ck_assert_uint_eq(jsstr_char_at(r, 0), 'z');
    ck_assert_uint_eq(jsstr_char_at(r, 100000), 'q');
    ck_assert_int_gt(jsstr_compare(r, s), 0);   /* 'z...' vs 'q...' */
    ck_assert_int_lt(jsstr_compare(s, r), 0);
    collect_clean();   /* ropes survive tracing (explicit stack, no recursion) */
    js_string *f = jsstr_flatten(t, s);
    ck_assert_uint_eq(jsstr_at(f, 100029), 'z');
    ck_assert_uint_eq(jsstr_hash(r), jsstr_hash(jsstr_flatten(t, r)));

    /* Doubling until the length limit throws instead of crashing. */
    js_string *d = repeat_char('d', 32);
    while (d && (size_t)d->len * 2 <= JSSTR_MAX_LEN) d = jsstr_concat(t, d, d);
    ck_assert_ptr_nonnull(d);
    ck_assert(!t->has_exception);
    ck_assert_ptr_null(jsstr_concat(t, d, d));
    ck_assert(t->has_exception);
    t->has_exception = 0;
    ck_assert_ptr_null(jsstr_alloc(t, (size_t)JSSTR_MAX_LEN + 1, 0));
    ck_assert(t->has_exception);
    t->has_exception = 0;
}
END_TEST

/* Mixed appends and prepends of pieces of assorted lengths and widths,
 * checked unit by unit against a plain buffer built alongside. */
START_TEST(test_concat_patterns)
{
    enum { STEPS = 20000, CAP = 20000 * 40 * 2 + 16 };
    uint16_t *ref = malloc(CAP * sizeof *ref);
    size_t start = CAP / 2, end = CAP / 2;
    js_string *s = jsstr_empty(t);
    uint32_t seed = 12345;
    for (int i = 0; i < STEPS; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t plen = 1 + (seed >> 8) % 40;
        int wide = ((seed >> 20) & 7) == 0;
        int prepend = ((seed >> 24) & 3) == 0;
        uint16_t piece[40];
        for (uint32_t k = 0; k < plen; k++) piece[k] = (uint16_t)((wide && k == 0) ? 0x400 + k + i % 50 : 'a' + (i + k) % 26);
        js_string *p = jsstr_new_utf16(t, piece, plen);
        if (!p) ck_abort_msg("alloc");
        if (prepend) {
            s = jsstr_concat(t, p, s);
            start -= plen;
            memcpy(ref + start, piece, plen * sizeof *piece);
        } else {
            s = jsstr_concat(t, s, p);
            memcpy(ref + end, piece, plen * sizeof *piece);
            end += plen;
        }
        if (!s) ck_abort_msg("concat");
        if (i % 5000 == 0) collect_clean();
    }
    ck_assert_uint_eq(s->len, end - start);
    uint32_t h = jsstr_hash(s);
    js_string *f = jsstr_flatten(t, s);
    for (size_t k = 0; k < end - start; k++)
        if (jsstr_at(f, (uint32_t)k) != ref[start + k]) ck_abort_msg("unit %zu differs", k);
    js_string *r = jsstr_new_utf16(t, ref + start, end - start);
    ck_assert(jsstr_equal(r, s));
    ck_assert_uint_eq(jsstr_hash(r), h);
    free(ref);
}
END_TEST

__attribute__((noinline)) static js_string *make_rope_of_fresh(void)
{
    js_string *a = repeat_char('m', 100), *b = repeat_char('n', 100);
    return jsstr_concat(t, a, b);
}

START_TEST(test_rope_gc)
{
    js_string *volatile r = make_rope_of_fresh();
    for (int i = 0; i < 100000; i++)
        if (!repeat_char('g', 50)) ck_abort_msg("alloc failed");
    collect_clean();
    ck_assert_uint_eq(jsstr_char_at(r, 0), 'm');
    ck_assert_uint_eq(jsstr_char_at(r, 199), 'n');
    js_string *f = jsstr_flatten(t, r);
    (void)f;
    f = NULL;
    collect_clean();
    ck_assert_uint_eq(jsstr_char_at(r, 150), 'n');
}
END_TEST

START_TEST(test_atoms)
{
    js_string *a = jsstr_atom(t, "fooBar");
    ck_assert(a->h.flags & JS_STR_ATOM);
    ck_assert_ptr_eq(jsstr_atom(t, "fooBar"), a);
    ck_assert_ptr_eq(jsstr_intern(t, jsstr_new_cstr(t, "fooBar")), a);
    /* A wide copy of the same text interns to the same atom. */
    js_string *w = jsstr_alloc(t, 6, 1);
    for (int i = 0; i < 6; i++) jsstr_mut16(w)[i] = (uint16_t)"fooBar"[i];
    ck_assert_uint_eq(jsstr_hash(w), jsstr_hash(a));
    ck_assert_ptr_eq(jsstr_intern(t, w), a);
    /* And a rope. */
    js_string *r = jsstr_concat(t, jsstr_new_cstr(t, "foo"), jsstr_new_cstr(t, "Bar"));
    ck_assert_ptr_eq(jsstr_intern(t, r), a);
    /* Non-ASCII atom. */
    js_string *u = jsstr_atom(t, "\xce\xb1\xce\xb2");
    ck_assert_ptr_eq(jsstr_intern(t, jsstr_new_cstr(t, "\xce\xb1\xce\xb2")), u);
    ck_assert(u != a);
    /* Predefined. */
    ck_assert(jsstr_equal_cstr(rt->atoms[JS_ATOM_length], "length"));
    ck_assert_ptr_eq(jsstr_atom(t, "length"), rt->atoms[JS_ATOM_length]);
    ck_assert_ptr_eq(jsstr_empty(t), rt->atoms[JS_ATOM_empty]);
    ck_assert_ptr_eq(jsstr_intern(t, jsstr_from_char(t, 'k')), jsstr_atom(t, "k"));
    /* Two distinct atoms never compare equal. */
    ck_assert(!jsstr_equal(a, u));
}
END_TEST

__attribute__((noinline)) static void make_many_atoms(int base, int n)
{
    char buf[32];
    for (int i = 0; i < n; i++) {
        snprintf(buf, sizeof buf, "atom_%d", base + i);
        if (!jsstr_atom(t, buf)) ck_abort_msg("atom failed");
    }
}

START_TEST(test_atoms_weak)
{
    js_string *volatile keep = jsstr_atom(t, "kept_atom");
    /* Many unreferenced atoms: they go at the next collection, the table
     * survives the churn, and re-interning makes fresh, unique atoms. */
    for (int round = 0; round < 5; round++) {
        make_many_atoms(round * 1000, 20000);
        collect_clean();
    }
    ck_assert_ptr_eq(jsstr_atom(t, "kept_atom"), keep);
    js_string *x1 = jsstr_atom(t, "atom_1234");
    ck_assert_ptr_eq(jsstr_atom(t, "atom_1234"), x1);
    ck_assert_ptr_eq(jsstr_atom(t, "length"), rt->atoms[JS_ATOM_length]);
    js_gc_stats st;
    jsgc_get_stats(rt, &st);
    ck_assert_uint_lt(st.cells_live, 20000);
}
END_TEST

START_TEST(test_array_index)
{
    struct { const char *s; int ok; uint32_t v; } cases[] = {
        { "0", 1, 0 }, { "7", 1, 7 }, { "123", 1, 123 }, { "4294967294", 1, 4294967294u },
        { "4294967295", 0, 0 }, { "4294967296", 0, 0 }, { "99999999999", 0, 0 },
        { "00", 0, 0 }, { "01", 0, 0 }, { "-1", 0, 0 }, { "1e3", 0, 0 }, { "", 0, 0 },
        { " 1", 0, 0 }, { "1.5", 0, 0 }, { "+1", 0, 0 }, { "length", 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        js_string *s = jsstr_new_cstr(t, cases[i].s);
        uint32_t v = 77;
        int ok = jsstr_is_array_index(s, &v);
        ck_assert_msg(ok == cases[i].ok, "%s", cases[i].s);
        if (ok) ck_assert_uint_eq(v, cases[i].v);
        /* cached answer is the same */
        ck_assert_int_eq(jsstr_is_array_index(s, &v), ok);
        /* atoms too */
        js_string *a = jsstr_atom(t, cases[i].s);
        ck_assert_int_eq(jsstr_is_array_index(a, &v), ok);
        if (ok) ck_assert_uint_eq(v, cases[i].v);
    }
    const uint16_t w[] = { '4', '2' };
    js_string *ws = jsstr_alloc(t, 2, 1);
    memcpy(jsstr_mut16(ws), w, sizeof w);
    uint32_t v;
    ck_assert(jsstr_is_array_index(ws, &v));
    ck_assert_uint_eq(v, 42);
}
END_TEST

START_TEST(test_compare)
{
    js_string *a = jsstr_new_cstr(t, "a"), *b = jsstr_new_cstr(t, "b"), *ab = jsstr_new_cstr(t, "ab");
    ck_assert_int_lt(jsstr_compare(a, b), 0);
    ck_assert_int_gt(jsstr_compare(b, a), 0);
    ck_assert_int_lt(jsstr_compare(a, ab), 0);
    ck_assert_int_gt(jsstr_compare(ab, a), 0);
    ck_assert_int_eq(jsstr_compare(ab, jsstr_new_cstr(t, "ab")), 0);
    const uint16_t hi[] = { 0xFF21 };   /* fullwidth A > any Latin-1 */
    js_string *w = jsstr_new_utf16(t, hi, 1);
    ck_assert_int_gt(jsstr_compare(w, jsstr_new_cstr(t, "\xc3\xbf")), 0);
    /* code unit order: U+FFFF-range unit vs a surrogate */
    const uint16_t s1[] = { 0xD83D }, s2[] = { 0xFF61 };
    ck_assert_int_lt(jsstr_compare(jsstr_new_utf16(t, s1, 1), jsstr_new_utf16(t, s2, 1)), 0);
    ck_assert(!jsstr_equal(a, b));
    ck_assert(!jsstr_equal_cstr(ab, "abc"));
    ck_assert(jsstr_equal_cstr(jsstr_new_utf16(t, (const uint16_t[]){ 'a', 'b' }, 2), "ab"));
}
END_TEST

START_TEST(test_symbols)
{
    js_symbol *it = rt->wk_symbols[JS_WKS_iterator];
    ck_assert_ptr_nonnull(it);
    ck_assert(jsv_is_string(it->description));
    ck_assert(jsstr_equal_cstr(JSV_STR(it->description), "Symbol.iterator"));
    ck_assert(jsstr_equal_cstr(JSV_STR(rt->wk_symbols[JS_WKS_asyncDispose]->description), "Symbol.asyncDispose"));
    js_symbol *s = jssym_new(t, JSV_UNDEFINED);
    js_symbol *volatile d = jssym_new(t, jsv_string(jsstr_new_cstr(t, "some description here")));
    ck_assert(s != d);
    ck_assert_int_eq(s->h.type, JS_CELL_SYMBOL);
    collect_clean();
    ck_assert(jsstr_equal_cstr(JSV_STR(d->description), "some description here"));
    ck_assert(jsstr_equal_cstr(JSV_STR(rt->wk_symbols[JS_WKS_species]->description), "Symbol.species"));
}
END_TEST

static Suite *string_suite(void)
{
    Suite *s = suite_create("string");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_latin1_utf16);
    tcase_add_test(tc, test_utf8_in);
    tcase_add_test(tc, test_from_char_substring);
    tcase_add_test(tc, test_ropes);
    tcase_add_test(tc, test_deep_ropes);
    tcase_add_test(tc, test_rope_gc);
    tcase_add_test(tc, test_concat_patterns);
    tcase_add_test(tc, test_atoms);
    tcase_add_test(tc, test_atoms_weak);
    tcase_add_test(tc, test_array_index);
    tcase_add_test(tc, test_compare);
    tcase_add_test(tc, test_symbols);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(string_suite());
}
