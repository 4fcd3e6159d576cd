/*
 * typedarray_methods.c - %TypedArray%.prototype: accessors and methods
 * (iteration, searching, copying, sorting, set/slice/subarray, ...). Every
 * path re-checks detachment and bounds after user code may have run, as the
 * specification orders it. Must not touch buffer internals beyond binary.h.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "binary.h"
#include "../core/bigint.h"
#include "../core/string.h"

/* Element k as the spec's Get(O, ! ToString(k)): undefined when no longer valid. */
static jsv get_k(js_thread *t, js_typed_array *ta, int64_t k)
{
    int64_t len = jsta_length(ta);
    if (k < 0 || k >= len)
        return JSV_UNDEFINED;
    return jsta_read_elem(t, ta->kind, jsab_data(ta->buffer) + ta->byte_offset + (size_t)k * jsta_elem_size[ta->kind]);
}

/* Store an already converted value at k if k is still valid. */
static void put_k(js_typed_array *ta, int64_t k, jsv v)
{
    int64_t len = jsta_length(ta);
    if (k >= 0 && k < len)
        jsta_write_elem(ta->kind, jsab_data(ta->buffer) + ta->byte_offset + (size_t)k * jsta_elem_size[ta->kind], v);
}

/* TypedArraySetElement (convert, then store). */
static int set_k(js_thread *t, js_typed_array *ta, int64_t k, jsv v)
{
    jsv n = jsta_convert(t, ta->kind, v);
    if (n == JSV_EXCEPTION)
        return -1;
    put_k(ta, k, n);
    return 0;
}

static int rel_index(js_thread *t, jsv v, int64_t len, int64_t dflt, int64_t *out)
{
    double r;
    if (jsv_is_undefined(v)) {
        *out = dflt;
        return 0;
    }
    if (jsop_to_integer_or_infinity(t, v, &r) < 0)
        return -1;
    if (r < 0)
        *out = r + (double)len < 0 ? 0 : (int64_t)(r + (double)len);
    else
        *out = r > (double)len ? len : (int64_t)r;
    return 0;
}

/* ---- accessors ---- */

enum { A_BUFFER, A_BYTE_LENGTH, A_BYTE_OFFSET, A_LENGTH };

static jsv ta_accessor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = jsta_get(this_val);
    if (!ta)
        return jsvm_throw_type_error(t, "not a TypedArray");
    if (magic == A_BUFFER)
        return jsv_object(ta->buffer);
    int64_t len = jsta_length(ta);
    if (len < 0)
        return jsv_from_int(0);
    switch (magic) {
    case A_BYTE_LENGTH: return jsv_number((double)len * jsta_elem_size[ta->kind]);
    case A_BYTE_OFFSET: return jsv_number((double)ta->byte_offset);
    default: return jsv_number((double)len);
    }
}

static jsv ta_tag(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = jsta_get(this_val);
    if (!ta)
        return JSV_UNDEFINED;
    js_string *s = jsstr_atom(t, jsta_names[ta->kind]);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

/* ---- iteration ---- */

static jsv ta_iter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsta_validate(t, this_val, NULL))
        return JSV_EXCEPTION;
    /* %ArrayIteratorPrototype%.next handles typed arrays through jsbi_typed_array_length */
    return jsbi_create_array_iterator(t, this_val, magic);
}

/* every 0, some 1, forEach 2, find 3, findIndex 4, findLast 5, findLastIndex 6 */
static jsv ta_callback_loop(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    jsv fn = JS_ARG(0), this_arg = JS_ARG(1);
    if (!ta)
        return JSV_EXCEPTION;
    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "callback is not a function");
    int backwards = magic == 5 || magic == 6;
    for (int64_t i = 0; i < len; i++) {
        int64_t k = backwards ? len - 1 - i : i;
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv args[3] = { v, jsv_number((double)k), this_val };
        jsv r = jsvm_call(t, fn, this_arg, 3, args);
        if (r == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        int b = jsop_to_boolean(r);
        switch (magic) {
        case 0: if (!b) return JSV_FALSE; break;
        case 1: if (b) return JSV_TRUE; break;
        case 3: case 5: if (b) return v; break;
        case 4: case 6: if (b) return jsv_number((double)k); break;
        }
    }
    switch (magic) {
    case 0: return JSV_TRUE;
    case 1: return JSV_FALSE;
    case 4: case 6: return jsv_from_int(-1);
    default: return JSV_UNDEFINED;
    }
}

static jsv ta_at(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    double r;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    if (!ta || jsop_to_integer_or_infinity(t, JS_ARG(0), &r) < 0)
        return JSV_EXCEPTION;
    double k = r >= 0 ? r : (double)len + r;
    if (k < 0 || k >= (double)len)
        return JSV_UNDEFINED;
    return get_k(t, ta, (int64_t)k);
}

static jsv ta_copy_within(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len, to, from, fin;
    js_typed_array *ta = jsta_validate_write(t, this_val, &len);
    if (!ta || rel_index(t, JS_ARG(0), len, 0, &to) < 0 || rel_index(t, JS_ARG(1), len, 0, &from) < 0 ||
        rel_index(t, JS_ARG(2), len, len, &fin) < 0)
        return JSV_EXCEPTION;
    int64_t count = fin - from < len - to ? fin - from : len - to;
    if (count <= 0)
        return this_val;
    if (!jsta_validate(t, this_val, &len))
        return JSV_EXCEPTION;
    size_t es = jsta_elem_size[ta->kind], off = ta->byte_offset;
    size_t limit = (size_t)len * es + off, tb = (size_t)to * es + off, fb = (size_t)from * es + off;
    size_t cb = (size_t)count * es;
    uint8_t *d = jsab_data(ta->buffer);
    /* the buffer may have shrunk while the arguments were converted: copy what still fits */
    if (fb < limit && tb < limit) {
        size_t n = cb;
        if (n > limit - fb) n = limit - fb;
        if (n > limit - tb) n = limit - tb;
        memmove(d + tb, d + fb, n);
    }
    return this_val;
}

static jsv ta_fill(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len, k, fin;
    js_typed_array *ta = jsta_validate_write(t, this_val, &len);
    if (!ta)
        return JSV_EXCEPTION;
    jsv v = jsta_convert(t, ta->kind, JS_ARG(0));
    if (v == JSV_EXCEPTION || rel_index(t, JS_ARG(1), len, 0, &k) < 0 || rel_index(t, JS_ARG(2), len, len, &fin) < 0)
        return JSV_EXCEPTION;
    if (!jsta_validate(t, this_val, &len))
        return JSV_EXCEPTION;
    if (fin > len)
        fin = len;
    for (; k < fin; k++)
        put_k(ta, k, v);
    return this_val;
}

static jsv ta_filter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    jsv fn = JS_ARG(0), this_arg = JS_ARG(1);
    if (!ta)
        return JSV_EXCEPTION;
    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "callback is not a function");
    js_object *kept = jsobj_new_array(t, 0);
    if (!kept)
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv args[3] = { v, jsv_number((double)k), this_val };
        jsv r = jsvm_call(t, fn, this_arg, 3, args);
        if (r == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (jsop_to_boolean(r) && jsarray_push(t, kept, v) < 0)
            return JSV_EXCEPTION;
    }
    jsv n = jsv_number(kept->elen);
    js_typed_array *a = jsta_species_create(t, ta, 1, &n, 1);
    if (!a)
        return JSV_EXCEPTION;
    for (uint32_t i = 0; i < kept->elen; i++)
        if (jsobj_set(t, &a->base, jskey_from_index(i), kept->elems[i], jsv_object(a), JS_THROW) < 0)
            return JSV_EXCEPTION;
    return jsv_object(a);
}

/* includes 0, indexOf 1, lastIndexOf 2 */
static jsv ta_search(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    double n;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    jsv target = JS_ARG(0);
    jsv notfound = magic == 0 ? JSV_FALSE : jsv_from_int(-1);
    if (!ta)
        return JSV_EXCEPTION;
    if (len == 0)
        return notfound;
    if (magic == 2) {
        n = (double)len - 1;
        if (argc > 1 && jsop_to_integer_or_infinity(t, argv[1], &n) < 0)
            return JSV_EXCEPTION;
        if (n == -INFINITY)
            return notfound;
        double k = n >= 0 ? (n < (double)len - 1 ? n : (double)len - 1) : (double)len + n;
        for (int64_t i = (int64_t)k; i >= 0; i--) {
            if (i >= jsta_length(ta))
                continue;
            jsv v = get_k(t, ta, i);
            if (v == JSV_EXCEPTION)
                return JSV_EXCEPTION;
            if (jsop_strict_equals(v, target))
                return jsv_number((double)i);
        }
        return notfound;
    }
    if (jsop_to_integer_or_infinity(t, JS_ARG(1), &n) < 0)
        return JSV_EXCEPTION;
    if (n == INFINITY)
        return notfound;
    if (n == -INFINITY)
        n = 0;
    int64_t k = n >= 0 ? (int64_t)n : ((double)len + n < 0 ? 0 : (int64_t)((double)len + n));
    for (; k < len; k++) {
        if (magic == 1 && k >= jsta_length(ta))
            continue;   /* HasProperty is false for invalid indices */
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (magic == 0 ? jsop_same_value_zero(v, target) : jsop_strict_equals(v, target))
            return magic == 0 ? JSV_TRUE : jsv_number((double)k);
    }
    return notfound;
}

static jsv ta_join(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    js_string *sep, *r;
    if (!ta)
        return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0)))
        sep = jsstr_atom(t, ",");
    else
        sep = jsop_to_string(t, JS_ARG(0));
    if (!sep || !(r = jsstr_empty(t)))
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        if (k > 0 && !(r = jsstr_concat(t, r, sep)))
            return JSV_EXCEPTION;
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (!jsv_is_undefined(v)) {
            js_string *s = jsop_to_string(t, v);
            if (!s || !(r = jsstr_concat(t, r, s)))
                return JSV_EXCEPTION;
        }
    }
    return jsv_string(r);
}

static jsv ta_to_locale_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    js_string *sep = jsstr_atom(t, ","), *r = jsstr_empty(t);
    if (!ta || !sep || !r)
        return JSV_EXCEPTION;
    js_key k_tls = jskey_from_cstr(t, "toLocaleString");
    if (k_tls == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        if (k > 0 && !(r = jsstr_concat(t, r, sep)))
            return JSV_EXCEPTION;
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (!jsv_is_nullish(v)) {
            jsv s = jsvm_invoke(t, v, k_tls, 0, NULL);
            js_string *str;
            if (s == JSV_EXCEPTION || !(str = jsop_to_string(t, s)) || !(r = jsstr_concat(t, r, str)))
                return JSV_EXCEPTION;
        }
    }
    return jsv_string(r);
}

static jsv ta_map(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    jsv fn = JS_ARG(0), this_arg = JS_ARG(1);
    if (!ta)
        return JSV_EXCEPTION;
    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "callback is not a function");
    jsv n = jsv_number((double)len);
    js_typed_array *a = jsta_species_create(t, ta, 1, &n, 1);
    if (!a)
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv args[3] = { v, jsv_number((double)k), this_val };
        jsv r = jsvm_call(t, fn, this_arg, 3, args);
        js_key key = jsta_index_key(t, k);
        if (r == JSV_EXCEPTION || key == JSV_EXCEPTION || jsobj_set(t, &a->base, key, r, jsv_object(a), JS_THROW) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(a);
}

/* reduce 0, reduceRight 1 */
static jsv ta_reduce(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len, i = 0;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    jsv fn = JS_ARG(0), acc;
    if (!ta)
        return JSV_EXCEPTION;
    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "callback is not a function");
    if (len == 0 && argc < 2)
        return jsvm_throw_type_error(t, "Reduce of empty array with no initial value");
    if (argc >= 2) {
        acc = argv[1];
    } else {
        acc = get_k(t, ta, magic ? len - 1 : 0);
        i = 1;
    }
    for (; i < len; i++) {
        int64_t k = magic ? len - 1 - i : i;
        if (acc == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv args[4] = { acc, v, jsv_number((double)k), this_val };
        acc = jsvm_call(t, fn, JSV_UNDEFINED, 4, args);
    }
    return acc;
}

static jsv ta_reverse(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate_write(t, this_val, &len);
    if (!ta)
        return JSV_EXCEPTION;
    size_t es = jsta_elem_size[ta->kind];
    uint8_t *d = jsab_data(ta->buffer) + ta->byte_offset, tmp[8];
    for (int64_t lo = 0, hi = len - 1; lo < hi; lo++, hi--) {
        memcpy(tmp, d + lo * es, es);
        memcpy(d + lo * es, d + hi * es, es);
        memcpy(d + hi * es, tmp, es);
    }
    return this_val;
}

static int set_from_typed_array(js_thread *t, js_typed_array *dst, double off, js_typed_array *src)
{
    int64_t dlen, slen;
    if (!jsta_validate(t, jsv_object(dst), &dlen) || !jsta_validate(t, jsv_object(src), &slen))
        return -1;
    if (jsta_is_bigint(dst->kind) != jsta_is_bigint(src->kind)) {
        jsvm_throw_type_error(t, "Cannot mix BigInt and other types");
        return -1;
    }
    if (off == INFINITY || (double)slen + off > (double)dlen) {
        jsvm_throw_range_error(t, "offset is out of bounds");
        return -1;
    }
    size_t ses = jsta_elem_size[src->kind], des = jsta_elem_size[dst->kind];
    const uint8_t *sp = jsab_data(src->buffer) + src->byte_offset;
    uint8_t *dp = jsab_data(dst->buffer) + dst->byte_offset + (size_t)off * des;
    if (src->kind == dst->kind) {
        memmove(dp, sp, (size_t)slen * ses);
        return 0;
    }
    uint8_t *copy = NULL;
    if (src->buffer->store == dst->buffer->store) {
        /* overlapping views of other types: read from a snapshot */
        copy = malloc((size_t)slen * ses + 1);
        if (!copy) {
            jsvm_throw_out_of_memory(t);
            return -1;
        }
        memcpy(copy, sp, (size_t)slen * ses);
        sp = copy;
    }
    for (int64_t i = 0; i < slen; i++) {
        jsv v = jsta_read_elem(t, src->kind, sp + i * ses);
        if (v == JSV_EXCEPTION) {
            free(copy);
            return -1;
        }
        if (jsta_is_bigint(dst->kind) == jsta_is_bigint(src->kind))
            jsta_write_elem(dst->kind, dp + i * des, v);
    }
    free(copy);
    return 0;
}

static jsv ta_set(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = jsta_get(this_val);
    double off;
    if (!ta)
        return jsvm_throw_type_error(t, "not a TypedArray");
    if (ta->buffer->immutable)
        return jsvm_throw_type_error(t, "TypedArray is backed by an immutable ArrayBuffer");
    if (jsop_to_integer_or_infinity(t, JS_ARG(1), &off) < 0)
        return JSV_EXCEPTION;
    if (off < 0)
        return jsvm_throw_range_error(t, "offset is out of bounds");
    js_typed_array *src = jsta_get(JS_ARG(0));
    if (src)
        return set_from_typed_array(t, ta, off, src) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    int64_t dlen, slen;
    if (!jsta_validate(t, this_val, &dlen))
        return JSV_EXCEPTION;
    jsv so = jsop_to_object(t, JS_ARG(0));
    if (so == JSV_EXCEPTION || jsop_length_of_array_like(t, JSV_OBJ(so), &slen) < 0)
        return JSV_EXCEPTION;
    if (off == INFINITY || (double)slen + off > (double)dlen)
        return jsvm_throw_range_error(t, "offset is out of bounds");
    for (int64_t k = 0; k < slen; k++) {
        js_key key = jsta_index_key(t, k);
        if (key == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv v = jsobj_get(t, JSV_OBJ(so), key, so);
        if (v == JSV_EXCEPTION || set_k(t, ta, (int64_t)off + k, v) < 0)
            return JSV_EXCEPTION;
    }
    return JSV_UNDEFINED;
}

static jsv ta_slice(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len, start, fin;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    if (!ta || rel_index(t, JS_ARG(0), len, 0, &start) < 0 || rel_index(t, JS_ARG(1), len, len, &fin) < 0)
        return JSV_EXCEPTION;
    int64_t count = fin > start ? fin - start : 0;
    jsv n = jsv_number((double)count);
    js_typed_array *a = jsta_species_create(t, ta, 1, &n, 1);
    if (!a)
        return JSV_EXCEPTION;
    if (count > 0) {
        if (!jsta_validate(t, this_val, &len))
            return JSV_EXCEPTION;
        if (fin > len)
            fin = len;
        count = fin > start ? fin - start : 0;
        if (a->kind == ta->kind) {
            size_t es = jsta_elem_size[ta->kind];
            int64_t alen = jsta_length(a);
            size_t bytes = (size_t)count * es;
            if (alen >= 0 && (size_t)alen * es < bytes)
                bytes = (size_t)alen * es;
            if (alen >= 0 && bytes) {
                /* byte by byte, forwards, as specified: a species result viewing the
                 * same buffer at a higher offset sees the smeared pattern */
                uint8_t *dst = jsab_data(a->buffer) + a->byte_offset;
                const uint8_t *src = jsab_data(ta->buffer) + ta->byte_offset + (size_t)start * es;
                for (size_t i = 0; i < bytes; i++)
                    dst[i] = src[i];
            }
        } else {
            for (int64_t k = start, i = 0; k < fin; k++, i++) {
                jsv v = get_k(t, ta, k);
                js_key key = jsta_index_key(t, i);
                if (v == JSV_EXCEPTION || key == JSV_EXCEPTION ||
                    jsobj_set(t, &a->base, key, v, jsv_object(a), JS_THROW) < 0)
                    return JSV_EXCEPTION;
            }
        }
    }
    return jsv_object(a);
}

/* ---- sorting ---- */

/* SortCompare; -1 on exception, else sets *lt (a < b strictly, per comparator). */
static int sort_cmp(js_thread *t, jsv cmp, jsv a, jsv b, double *out)
{
    if (!jsv_is_undefined(cmp)) {
        jsv args[2] = { a, b };
        jsv r = jsvm_call(t, cmp, JSV_UNDEFINED, 2, args);
        double d;
        if (r == JSV_EXCEPTION || jsop_to_number(t, r, &d) < 0)
            return -1;
        *out = d != d ? 0 : d;
        return 0;
    }
    if (jsv_is_bigint(a)) {
        *out = jsbig_cmp(JSV_BIG(a), JSV_BIG(b));
        return 0;
    }
    double x = jsv_get_number(a), y = jsv_get_number(b);
    if (x != x) *out = y != y ? 0 : 1;
    else if (y != y) *out = -1;
    else if (x < y) *out = -1;
    else if (x > y) *out = 1;
    else if (x == 0 && y == 0) *out = signbit(x) && !signbit(y) ? -1 : (!signbit(x) && signbit(y) ? 1 : 0);
    else *out = 0;
    return 0;
}

/* Stable merge sort of v[0..n) (kept alive by the caller's array). */
static int merge_sort(js_thread *t, jsv cmp, jsv *v, jsv *tmp, int64_t n)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n - w; lo += 2 * w) {
            int64_t mid = lo + w, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = 0;
            while (i < mid && j < hi) {
                double c;
                if (sort_cmp(t, cmp, v[j], v[i], &c) < 0)
                    return -1;
                tmp[k++] = c < 0 ? v[j++] : v[i++];
            }
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
            memcpy(v + lo, tmp, (size_t)k * sizeof(jsv));
        }
    }
    return 0;
}

/* The elements of ta sorted into a fresh dense Array (NULL on exception). */
static js_object *sorted_list(js_thread *t, js_typed_array *ta, int64_t len, jsv cmp)
{
    js_object *list = jsobj_new_array(t, 0);
    if (!list)
        return NULL;
    for (int64_t k = 0; k < len; k++) {
        jsv v = get_k(t, ta, k);
        if (v == JSV_EXCEPTION || jsarray_push(t, list, v) < 0)
            return NULL;
    }
    if (len < 2)
        return list;
    jsv *tmp = malloc((size_t)len * sizeof(jsv));
    if (!tmp) {
        jsvm_throw_out_of_memory(t);
        return NULL;
    }
    int r = merge_sort(t, cmp, list->elems, tmp, len);
    free(tmp);
    return r < 0 ? NULL : list;
}

/* sort 0, toSorted 1 */
static jsv ta_sort(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv cmp = JS_ARG(0);
    int64_t len;
    if (!jsv_is_undefined(cmp) && !jsop_is_callable(cmp))
        return jsvm_throw_type_error(t, "The comparison function must be either a function or undefined");
    js_typed_array *ta = magic ? jsta_validate(t, this_val, &len) : jsta_validate_write(t, this_val, &len);
    if (!ta)
        return JSV_EXCEPTION;
    js_typed_array *dst = ta;
    if (magic && !(dst = jsta_create(t, JSV_UNDEFINED, ta->kind, len)))
        return JSV_EXCEPTION;
    js_object *list = sorted_list(t, ta, len, cmp);
    if (!list)
        return JSV_EXCEPTION;
    for (uint32_t k = 0; k < list->elen; k++)
        put_k(dst, k, list->elems[k]);
    return jsv_object(dst);
}

static jsv ta_subarray(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = jsta_get(this_val);
    int64_t start, fin;
    if (!ta)
        return jsvm_throw_type_error(t, "not a TypedArray");
    int64_t len = jsta_length(ta);
    if (len < 0)
        len = 0;
    if (rel_index(t, JS_ARG(0), len, 0, &start) < 0)
        return JSV_EXCEPTION;
    size_t es = jsta_elem_size[ta->kind];
    jsv args[3] = { jsv_object(ta->buffer), jsv_number((double)ta->byte_offset + (double)start * es), JSV_UNDEFINED };
    int n = 2;
    if (!(ta->length_tracking && jsv_is_undefined(JS_ARG(1)))) {
        if (rel_index(t, JS_ARG(1), len, len, &fin) < 0)
            return JSV_EXCEPTION;
        args[2] = jsv_number((double)(fin > start ? fin - start : 0));
        n = 3;
    }
    js_typed_array *a = jsta_species_create(t, ta, n, args, 0);
    return a ? jsv_object(a) : JSV_EXCEPTION;
}

static jsv ta_to_reversed(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    js_typed_array *ta = jsta_validate(t, this_val, &len), *a;
    if (!ta || !(a = jsta_create(t, JSV_UNDEFINED, ta->kind, len)))
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv v = get_k(t, ta, len - 1 - k);
        if (v == JSV_EXCEPTION || set_k(t, a, k, v) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(a);
}

static jsv ta_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int64_t len;
    double r;
    js_typed_array *ta = jsta_validate(t, this_val, &len), *a;
    if (!ta || jsop_to_integer_or_infinity(t, JS_ARG(0), &r) < 0)
        return JSV_EXCEPTION;
    double idx = r >= 0 ? r : (double)len + r;
    jsv v = jsta_convert(t, ta->kind, JS_ARG(1));
    if (v == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    int64_t cur = jsta_length(ta);
    if (!(idx >= 0 && idx < (double)cur))
        return jsvm_throw_range_error(t, "Invalid typed array index");
    if (!(a = jsta_create(t, JSV_UNDEFINED, ta->kind, len)))
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv e = k == (int64_t)idx ? v : get_k(t, ta, k);
        if (e == JSV_EXCEPTION || set_k(t, a, k, e) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(a);
}

typedef struct fn_entry { const char *name; js_native_fn fn; int length; int magic; } fn_entry;

static const fn_entry proto_fns[] = {
    { "at", ta_at, 1, 0 },
    { "copyWithin", ta_copy_within, 2, 0 },
    { "entries", ta_iter, 0, 2 },
    { "every", ta_callback_loop, 1, 0 },
    { "fill", ta_fill, 1, 0 },
    { "filter", ta_filter, 1, 0 },
    { "find", ta_callback_loop, 1, 3 },
    { "findIndex", ta_callback_loop, 1, 4 },
    { "findLast", ta_callback_loop, 1, 5 },
    { "findLastIndex", ta_callback_loop, 1, 6 },
    { "forEach", ta_callback_loop, 1, 2 },
    { "includes", ta_search, 1, 0 },
    { "indexOf", ta_search, 1, 1 },
    { "join", ta_join, 1, 0 },
    { "keys", ta_iter, 0, 0 },
    { "lastIndexOf", ta_search, 1, 2 },
    { "map", ta_map, 1, 0 },
    { "reduce", ta_reduce, 1, 0 },
    { "reduceRight", ta_reduce, 1, 1 },
    { "reverse", ta_reverse, 0, 0 },
    { "set", ta_set, 1, 0 },
    { "slice", ta_slice, 2, 0 },
    { "some", ta_callback_loop, 1, 1 },
    { "sort", ta_sort, 1, 0 },
    { "subarray", ta_subarray, 2, 0 },
    { "toLocaleString", ta_to_locale_string, 0, 0 },
    { "toReversed", ta_to_reversed, 0, 0 },
    { "toSorted", ta_sort, 1, 1 },
    { "with", ta_with, 2, 0 },
};

int jsta_init_methods(js_thread *t, js_realm *realm, js_object *proto)
{
    for (size_t i = 0; i < sizeof proto_fns / sizeof proto_fns[0]; i++)
        if (jsobj_define_fn(t, proto, proto_fns[i].name, proto_fns[i].fn, proto_fns[i].length, proto_fns[i].magic) < 0)
            return -1;
    if (jsobj_define_getter(t, proto, "buffer", ta_accessor, A_BUFFER) < 0 ||
        jsobj_define_getter(t, proto, "byteLength", ta_accessor, A_BYTE_LENGTH) < 0 ||
        jsobj_define_getter(t, proto, "byteOffset", ta_accessor, A_BYTE_OFFSET) < 0 ||
        jsobj_define_getter(t, proto, "length", ta_accessor, A_LENGTH) < 0 ||
        jsobj_define_getset(t, proto, jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]), ta_tag, NULL, 0) < 0)
        return -1;
    /* values and @@iterator are one function object; toString is Array.prototype's */
    js_key kv = jskey_from_cstr(t, "values");
    if (kv == JSV_EXCEPTION)
        return -1;
    js_object *values = jsfn_new_native(t, ta_iter, kv, 0, 1);
    if (!values || jsobj_define_value(t, proto, kv, jsv_object(values), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, proto, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]), jsv_object(values), JS_PROP_C_W) < 0)
        return -1;
    js_key kts = jskey_from_atom_id(t, JS_ATOM_toString);
    jsv ap = realm->intrinsics[JS_INTR_ArrayPrototype];
    jsv ts = jsv_is_object(ap) ? jsobj_get(t, JSV_OBJ(ap), kts, ap) : JSV_UNDEFINED;
    if (ts == JSV_EXCEPTION)
        return -1;
    if (jsv_is_object(ts) && jsobj_define_value(t, proto, kts, ts, JS_PROP_C_W) < 0)
        return -1;
    return 0;
}
