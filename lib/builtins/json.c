/*
 * json.c - the JSON object: parse (with reviver and the source-text access of
 * JSON Parse Records: the reviver's context.source), stringify (replacer
 * function/list, gap, toJSON, cycle TypeError, well-formed escapes, raw JSON),
 * rawJSON and isRawJSON.
 * Must not touch: the ECMAScript parser; JSON text is parsed here on its own.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "../core/numconv.h"

#define KEY(atom) jskey_from_atom_id(t, JS_ATOM_##atom)

/* Gap strings are cut to this many code units (ECMA-262 25.5.2). */
#define JSON_MAX_GAP 10

/* ---- a growable UTF-16 buffer ---- */

typedef struct wbuf {
    uint16_t *p;
    size_t n, cap;
} wbuf;

static int wbuf_grow(js_thread *t, wbuf *b, size_t extra)
{
    size_t nc;
    uint16_t *np;
    if (b->n + extra <= b->cap)
        return 0;
    nc = b->cap ? b->cap * 2 : 256;
    while (nc < b->n + extra)
        nc *= 2;
    np = realloc(b->p, nc * sizeof *np);
    if (!np) {
        jsvm_throw_out_of_memory(t);
        return -1;
    }
    b->p = np;
    b->cap = nc;
    return 0;
}

static int wbuf_putc(js_thread *t, wbuf *b, uint16_t c)
{
    if (b->n == b->cap && wbuf_grow(t, b, 1) < 0)
        return -1;
    b->p[b->n++] = c;
    return 0;
}

static int wbuf_puts(js_thread *t, wbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (wbuf_grow(t, b, l) < 0)
        return -1;
    for (size_t i = 0; i < l; i++)
        b->p[b->n++] = (uint8_t)s[i];
    return 0;
}

static int wbuf_putstr(js_thread *t, wbuf *b, js_string *s)
{
    s = jsstr_flatten(t, s);
    if (!s || wbuf_grow(t, b, s->len) < 0)
        return -1;
    for (uint32_t i = 0; i < s->len; i++)
        b->p[b->n++] = (uint16_t)jsstr_at(s, i);
    return 0;
}

/* ====================================================================
 * JSON.parse
 * ==================================================================== */

/* JSON Parse Record: kept only when a reviver will look at it. */
typedef struct jrec {
    jsv value;
    uint32_t start, end;          /* source text of a primitive */
    uint32_t n, cap;
    struct jrec **kids;           /* array elements or object entries */
    js_key *keys;                 /* entry keys (objects only) */
} jrec;

typedef struct jparser {
    js_thread *t;
    js_string *s;                 /* flat */
    uint32_t pos, len;
    int records;                  /* build jrec trees */
    js_object *roots;             /* keeps record values and keys alive */
    wbuf sb;                      /* string unescaping */
} jparser;

static void jrec_free(jrec *r)
{
    if (!r)
        return;
    for (uint32_t i = 0; i < r->n; i++)
        jrec_free(r->kids[i]);
    free(r->kids);
    free(r->keys);
    free(r);
}

static jrec *jrec_new(jparser *p, uint32_t start)
{
    jrec *r = calloc(1, sizeof *r);
    if (!r)
        jsvm_throw_out_of_memory(p->t);
    else
        r->start = start;
    return r;
}

static int jrec_add(jparser *p, jrec *parent, jrec *kid, js_key key)
{
    if (parent->n == parent->cap) {
        uint32_t nc = parent->cap ? parent->cap * 2 : 4;
        jrec **nk = realloc(parent->kids, nc * sizeof *nk);
        js_key *nkeys;
        if (!nk)
            goto oom;
        parent->kids = nk;
        nkeys = realloc(parent->keys, nc * sizeof *nkeys);
        if (!nkeys)
            goto oom;
        parent->keys = nkeys;
        parent->cap = nc;
    }
    parent->kids[parent->n] = kid;
    parent->keys[parent->n++] = key;
    return 0;
oom:
    jsvm_throw_out_of_memory(p->t);
    return -1;
}

#define PCH(p, i) jsstr_at((p)->s, (i))

static jsv json_error(jparser *p, const char *what)
{
    if (p->pos >= p->len)
        return jsvm_throw_syntax_error(p->t, "JSON.parse: unexpected end of input");
    return jsvm_throw_syntax_error(p->t, "JSON.parse: %s at position %u", what, p->pos);
}

static void skip_ws(jparser *p)
{
    while (p->pos < p->len) {
        uint32_t c = PCH(p, p->pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int hex4(jparser *p, uint32_t at, uint32_t *out)
{
    uint32_t v = 0;
    if (at + 4 > p->len)
        return -1;
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t c = PCH(p, at + i);
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    *out = v;
    return 0;
}

/* At the opening quote. */
static js_string *parse_string(jparser *p)
{
    uint32_t start = ++p->pos;
    js_thread *t = p->t;

    /* Fast path: no escapes. */
    while (p->pos < p->len) {
        uint32_t c = PCH(p, p->pos);
        if (c == '"') {
            js_string *r = jsstr_substring(t, p->s, start, p->pos);
            p->pos++;
            return r;
        }
        if (c == '\\')
            break;
        if (c < 0x20) {
            json_error(p, "bad control character in string literal");
            return NULL;
        }
        p->pos++;
    }
    p->sb.n = 0;
    for (uint32_t i = start; i < p->pos; i++)
        if (wbuf_putc(t, &p->sb, (uint16_t)PCH(p, i)) < 0)
            return NULL;
    while (p->pos < p->len) {
        uint32_t c = PCH(p, p->pos);
        if (c == '"') {
            p->pos++;
            return jsstr_new_utf16(t, p->sb.p, p->sb.n);
        }
        if (c < 0x20) {
            json_error(p, "bad control character in string literal");
            return NULL;
        }
        if (c == '\\') {
            uint32_t e;
            if (++p->pos >= p->len)
                break;
            e = PCH(p, p->pos);
            switch (e) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
                if (hex4(p, p->pos + 1, &c) < 0) {
                    json_error(p, "bad Unicode escape");
                    return NULL;
                }
                p->pos += 4;
                break;
            default:
                json_error(p, "bad escaped character");
                return NULL;
            }
        }
        if (wbuf_putc(t, &p->sb, (uint16_t)c) < 0)
            return NULL;
        p->pos++;
    }
    json_error(p, "unterminated string");
    return NULL;
}

static jsv parse_number(jparser *p)
{
    uint32_t start = p->pos, i = p->pos;
    char sbuf[64], *buf = sbuf;
    const char *endp;
    double d;
    int is_int = 1;

    if (i < p->len && PCH(p, i) == '-')
        i++;
    if (i >= p->len)
        goto bad;
    if (PCH(p, i) == '0') {
        i++;
    } else if (PCH(p, i) >= '1' && PCH(p, i) <= '9') {
        while (i < p->len && PCH(p, i) >= '0' && PCH(p, i) <= '9')
            i++;
    } else {
        goto bad;
    }
    if (i < p->len && PCH(p, i) == '.') {
        is_int = 0;
        i++;
        if (i >= p->len || PCH(p, i) < '0' || PCH(p, i) > '9')
            goto bad;
        while (i < p->len && PCH(p, i) >= '0' && PCH(p, i) <= '9')
            i++;
    }
    if (i < p->len && (PCH(p, i) == 'e' || PCH(p, i) == 'E')) {
        is_int = 0;
        i++;
        if (i < p->len && (PCH(p, i) == '+' || PCH(p, i) == '-'))
            i++;
        if (i >= p->len || PCH(p, i) < '0' || PCH(p, i) > '9')
            goto bad;
        while (i < p->len && PCH(p, i) >= '0' && PCH(p, i) <= '9')
            i++;
    }
    p->pos = i;
    if (is_int && i - start < 10) {
        int64_t v = 0;
        int neg = PCH(p, start) == '-';
        for (uint32_t j = start + (uint32_t)neg; j < i; j++)
            v = v * 10 + (PCH(p, j) - '0');
        if (neg && v == 0)
            return jsv_from_double(-0.0);
        return jsv_number((double)(neg ? -v : v));
    }
    if (i - start >= sizeof sbuf) {
        buf = malloc(i - start + 1);
        if (!buf)
            return jsvm_throw_out_of_memory(p->t);
    }
    for (uint32_t j = start; j < i; j++)
        buf[j - start] = (char)PCH(p, j);
    buf[i - start] = 0;
    d = jsnum_strtod(buf, i - start, &endp);
    if (buf != sbuf)
        free(buf);
    return jsv_number(d);
bad:
    p->pos = i;
    return json_error(p, "bad number");
}

static int match_word(jparser *p, const char *w)
{
    size_t l = strlen(w);
    if (p->pos + l > p->len)
        return 0;
    for (size_t i = 0; i < l; i++)
        if (PCH(p, p->pos + (uint32_t)i) != (uint8_t)w[i])
            return 0;
    p->pos += (uint32_t)l;
    return 1;
}

static int keep(jparser *p, jsv v)
{
    return jsarray_push(p->t, p->roots, v);
}

static jsv parse_value(jparser *p, jrec **recp);

static jsv parse_array(jparser *p, jrec *rec)
{
    js_thread *t = p->t;
    js_object *a = jsobj_new_array(t, 0);
    if (!a)
        return JSV_EXCEPTION;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && PCH(p, p->pos) == ']') {
        p->pos++;
        return jsv_object(a);
    }
    for (;;) {
        jrec *kid = NULL;
        jsv v = parse_value(p, rec ? &kid : NULL);
        if (v == JSV_EXCEPTION)
            return v;
        if (rec && jrec_add(p, rec, kid, JSV_UNDEFINED) < 0) {
            jrec_free(kid);
            return JSV_EXCEPTION;
        }
        if (jsarray_push(t, a, v) < 0)
            return JSV_EXCEPTION;
        skip_ws(p);
        if (p->pos < p->len && PCH(p, p->pos) == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && PCH(p, p->pos) == ']') {
            p->pos++;
            return jsv_object(a);
        }
        return json_error(p, "expected ',' or ']' after array element");
    }
}

static jsv parse_object(jparser *p, jrec *rec)
{
    js_thread *t = p->t;
    js_object *o = jsobj_new_plain(t);
    if (!o)
        return JSV_EXCEPTION;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && PCH(p, p->pos) == '}') {
        p->pos++;
        return jsv_object(o);
    }
    for (;;) {
        js_string *ks;
        js_key k;
        jrec *kid = NULL;
        jsv v;
        if (p->pos >= p->len || PCH(p, p->pos) != '"')
            return json_error(p, "expected property name");
        ks = parse_string(p);
        if (!ks)
            return JSV_EXCEPTION;
        k = jskey_from_string(t, ks);
        if (k == JSV_EXCEPTION)
            return k;
        skip_ws(p);
        if (p->pos >= p->len || PCH(p, p->pos) != ':')
            return json_error(p, "expected ':' after property name");
        p->pos++;
        v = parse_value(p, rec ? &kid : NULL);
        if (v == JSV_EXCEPTION)
            return v;
        if (rec && (keep(p, k) < 0 || jrec_add(p, rec, kid, k) < 0)) {
            jrec_free(kid);
            return JSV_EXCEPTION;
        }
        if (jsobj_create_data_property(t, o, k, v, JS_THROW) < 0)
            return JSV_EXCEPTION;
        skip_ws(p);
        if (p->pos < p->len && PCH(p, p->pos) == ',') {
            p->pos++;
            skip_ws(p);
            continue;
        }
        if (p->pos < p->len && PCH(p, p->pos) == '}') {
            p->pos++;
            return jsv_object(o);
        }
        return json_error(p, "expected ',' or '}' after property value");
    }
}

static jsv parse_value(jparser *p, jrec **recp)
{
    js_thread *t = p->t;
    jrec *rec = NULL;
    jsv v;
    uint32_t c;

    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    skip_ws(p);
    if (p->pos >= p->len)
        return json_error(p, "unexpected end of input");
    if (recp) {
        rec = jrec_new(p, p->pos);
        if (!rec)
            return JSV_EXCEPTION;
    }
    c = PCH(p, p->pos);
    switch (c) {
    case '{':
        v = parse_object(p, rec);
        break;
    case '[':
        v = parse_array(p, rec);
        break;
    case '"': {
        js_string *s = parse_string(p);
        v = s ? jsv_string(s) : JSV_EXCEPTION;
        break;
    }
    case 't':
        v = match_word(p, "true") ? JSV_TRUE : json_error(p, "unexpected token");
        break;
    case 'f':
        v = match_word(p, "false") ? JSV_FALSE : json_error(p, "unexpected token");
        break;
    case 'n':
        v = match_word(p, "null") ? JSV_NULL : json_error(p, "unexpected token");
        break;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            v = parse_number(p);
        else
            v = json_error(p, "unexpected character");
        break;
    }
    if (v == JSV_EXCEPTION || (rec && keep(p, v) < 0)) {
        jrec_free(rec);
        return JSV_EXCEPTION;
    }
    if (rec) {
        rec->value = v;
        rec->end = p->pos;
        *recp = rec;
    }
    return v;
}

/* Parses the whole text; *rec gets the record tree when wanted. */
static jsv json_parse_text(jparser *p, jrec **rec)
{
    jsv v = parse_value(p, rec);
    if (v == JSV_EXCEPTION)
        return v;
    skip_ws(p);
    if (p->pos < p->len) {
        if (rec) {
            jrec_free(*rec);
            *rec = NULL;
        }
        return json_error(p, "unexpected non-whitespace character after JSON data");
    }
    return v;
}

static jrec *find_entry(jrec *r, js_key k)
{
    /* Duplicate names: the last pair is the one whose value was kept. */
    for (uint32_t i = r->n; i-- > 0;)
        if (r->keys[i] == k)
            return r->kids[i];
    return NULL;
}

static jsv internalize(jparser *p, js_object *holder, js_key name, jsv reviver, jrec *rec)
{
    js_thread *t = p->t;
    js_object *context;
    jsv val, args[3], namev;
    jrec *elems = NULL;

    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    val = jsobj_get(t, holder, name, jsv_object(holder));
    if (val == JSV_EXCEPTION)
        return val;
    context = jsobj_new_plain(t);
    if (!context)
        return JSV_EXCEPTION;
    if (rec && jsop_same_value(rec->value, val)) {
        if (!jsv_is_object(val)) {
            js_string *src = jsstr_substring(t, p->s, rec->start, rec->end);
            if (!src || jsobj_create_data_property(t, context, KEY(source), jsv_string(src), JS_THROW) < 0)
                return JSV_EXCEPTION;
        }
        elems = rec;
    }
    if (jsv_is_object(val)) {
        js_object *o = JSV_OBJ(val);
        int is_array = jsobj_is_array(t, val);
        if (is_array < 0)
            return JSV_EXCEPTION;
        if (is_array) {
            int64_t len;
            if (jsop_length_of_array_like(t, o, &len) < 0)
                return JSV_EXCEPTION;
            for (int64_t i = 0; i < len; i++) {
                jrec *kr = elems && (uint64_t)i < elems->n ? elems->kids[i] : NULL;
                js_key k;
                jsv nv;
                if (i <= 0xFFFFFFFEll) {
                    k = jskey_from_index((uint32_t)i);
                } else {
                    js_string *ks = jsop_number_to_string(t, (double)i);
                    if (!ks || (k = jskey_from_string(t, ks)) == JSV_EXCEPTION)
                        return JSV_EXCEPTION;
                }
                nv = internalize(p, o, k, reviver, kr);
                if (nv == JSV_EXCEPTION)
                    return nv;
                if (jsv_is_undefined(nv)) {
                    if (jsobj_delete(t, o, k, 0) < 0)
                        return JSV_EXCEPTION;
                } else if (jsobj_create_data_property(t, o, k, nv, 0) < 0) {
                    return JSV_EXCEPTION;
                }
            }
        } else {
            js_object *keys = jsbi_own_keys(t, o), *names;
            if (!keys)
                return JSV_EXCEPTION;
            /* EnumerableOwnProperties(val, key): the list is fixed first. */
            names = jsobj_new_array(t, 0);
            if (!names)
                return JSV_EXCEPTION;
            for (uint32_t j = 0; j < keys->elen; j++) {
                js_propdesc d;
                int r;
                if (jsv_is_symbol(keys->elems[j]))
                    continue;
                r = jsobj_get_own_property(t, o, keys->elems[j], &d);
                if (r < 0)
                    return JSV_EXCEPTION;
                if (r && (d.flags & JS_PROP_ENUMERABLE) && jsarray_push(t, names, keys->elems[j]) < 0)
                    return JSV_EXCEPTION;
            }
            for (uint32_t j = 0; j < names->elen; j++) {
                js_key k = names->elems[j];
                jrec *kr = elems && elems->keys ? find_entry(elems, k) : NULL;
                jsv nv = internalize(p, o, k, reviver, kr);
                if (nv == JSV_EXCEPTION)
                    return nv;
                if (jsv_is_undefined(nv)) {
                    if (jsobj_delete(t, o, k, 0) < 0)
                        return JSV_EXCEPTION;
                } else if (jsobj_create_data_property(t, o, k, nv, 0) < 0) {
                    return JSV_EXCEPTION;
                }
            }
        }
    }
    namev = jskey_to_value(t, name);
    if (namev == JSV_EXCEPTION)
        return namev;
    args[0] = namev;
    args[1] = val;
    args[2] = jsv_object(context);
    return jsvm_call(t, reviver, jsv_object(holder), 3, args);
}

static jsv json_parse(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = jsop_to_string(t, JS_ARG(0));
    jsv reviver = JS_ARG(1), v;
    jparser p = { 0 };
    jrec *rec = NULL;

    if (!s || !(s = jsstr_flatten(t, s)))
        return JSV_EXCEPTION;
    p.t = t;
    p.s = s;
    p.len = s->len;
    p.records = jsop_is_callable(reviver);
    if (p.records) {
        p.roots = jsobj_new_array(t, 0);
        if (!p.roots)
            return JSV_EXCEPTION;
    }
    v = json_parse_text(&p, p.records ? &rec : NULL);
    free(p.sb.p);
    if (v != JSV_EXCEPTION && p.records) {
        js_object *root = jsobj_new_plain(t);
        if (!root || jsobj_create_data_property(t, root, KEY(empty), v, JS_THROW) < 0)
            v = JSV_EXCEPTION;
        else
            v = internalize(&p, root, KEY(empty), reviver, rec);
    }
    jrec_free(rec);
    /* p.roots must stay reachable until here. */
    __asm__ volatile("" : : "r"(p.roots) : "memory");
    return v;
}

/* ====================================================================
 * JSON.stringify
 * ==================================================================== */

typedef struct jstate {
    js_thread *t;
    jsv replacer;                 /* function or undefined */
    js_object *plist;             /* property list (canonical keys) or NULL */
    uint16_t gap[JSON_MAX_GAP];
    int gap_len;
    int depth;
    js_object **stack;            /* cycle detection */
    int nstack, capstack;
    wbuf out;
} jstate;

static int quote_string(js_thread *t, wbuf *b, js_string *s)
{
    static const char hex[] = "0123456789abcdef";
    s = jsstr_flatten(t, s);
    if (!s || wbuf_grow(t, b, s->len + 2) < 0)
        return -1;
    b->p[b->n++] = '"';
    for (uint32_t i = 0; i < s->len; i++) {
        uint32_t c = jsstr_at(s, i);
        const char *esc = NULL;
        char ubuf[8];
        switch (c) {
        case '\b': esc = "\\b"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\f': esc = "\\f"; break;
        case '\r': esc = "\\r"; break;
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        default:
            if (c < 0x20) {
                esc = ubuf;
            } else if (c >= 0xD800 && c <= 0xDFFF) {
                /* Well-formed stringify: only lone surrogates are escaped. */
                if (c <= 0xDBFF && i + 1 < s->len && jsstr_at(s, i + 1) >= 0xDC00 &&
                    jsstr_at(s, i + 1) <= 0xDFFF) {
                    if (wbuf_putc(t, b, (uint16_t)c) < 0 || wbuf_putc(t, b, (uint16_t)jsstr_at(s, i + 1)) < 0)
                        return -1;
                    i++;
                    continue;
                }
                esc = ubuf;
            }
            break;
        }
        if (esc == ubuf) {
            ubuf[0] = '\\'; ubuf[1] = 'u';
            ubuf[2] = hex[(c >> 12) & 15]; ubuf[3] = hex[(c >> 8) & 15];
            ubuf[4] = hex[(c >> 4) & 15]; ubuf[5] = hex[c & 15]; ubuf[6] = 0;
        }
        if (esc) {
            if (wbuf_puts(t, b, esc) < 0)
                return -1;
        } else if (wbuf_putc(t, b, (uint16_t)c) < 0) {
            return -1;
        }
    }
    return wbuf_putc(t, b, '"');
}

static int newline_indent(jstate *st)
{
    if (wbuf_putc(st->t, &st->out, '\n') < 0 || wbuf_grow(st->t, &st->out, (size_t)st->gap_len * st->depth) < 0)
        return -1;
    for (int d = 0; d < st->depth; d++)
        for (int i = 0; i < st->gap_len; i++)
            st->out.p[st->out.n++] = st->gap[i];
    return 0;
}

static int ser_property(jstate *st, js_key key, jsv holder);

static int stack_push(jstate *st, js_object *o)
{
    for (int i = 0; i < st->nstack; i++)
        if (st->stack[i] == o) {
            jsvm_throw_type_error(st->t, "Converting circular structure to JSON");
            return -1;
        }
    if (st->nstack == st->capstack) {
        int nc = st->capstack ? st->capstack * 2 : 16;
        js_object **ns = realloc(st->stack, (size_t)nc * sizeof *ns);
        if (!ns) {
            jsvm_throw_out_of_memory(st->t);
            return -1;
        }
        st->stack = ns;
        st->capstack = nc;
    }
    st->stack[st->nstack++] = o;
    return 0;
}

static int ser_object(jstate *st, js_object *o)
{
    js_thread *t = st->t;
    js_object *keys;
    int any = 0;

    if (jsvm_check_stack(t) < 0 || stack_push(st, o) < 0)
        return -1;
    st->depth++;
    if (st->plist) {
        keys = st->plist;
    } else {
        js_object *all = jsbi_own_keys(t, o);
        if (!all || !(keys = jsobj_new_array(t, 0)))
            return -1;
        for (uint32_t j = 0; j < all->elen; j++) {
            js_propdesc d;
            int r;
            if (jsv_is_symbol(all->elems[j]))
                continue;
            r = jsobj_get_own_property(t, o, all->elems[j], &d);
            if (r < 0)
                return -1;
            if (r && (d.flags & JS_PROP_ENUMERABLE) && jsarray_push(t, keys, all->elems[j]) < 0)
                return -1;
        }
    }
    if (wbuf_putc(t, &st->out, '{') < 0)
        return -1;
    for (uint32_t j = 0; j < keys->elen; j++) {
        size_t mark = st->out.n;
        js_key k = keys->elems[j];
        jsv kv;
        int r;
        if (any && wbuf_putc(t, &st->out, ',') < 0)
            return -1;
        if (st->gap_len && newline_indent(st) < 0)
            return -1;
        kv = jskey_to_value(t, k);
        if (kv == JSV_EXCEPTION || quote_string(t, &st->out, JSV_STR(kv)) < 0 ||
            wbuf_putc(t, &st->out, ':') < 0 || (st->gap_len && wbuf_putc(t, &st->out, ' ') < 0))
            return -1;
        r = ser_property(st, k, jsv_object(o));
        if (r < 0)
            return -1;
        if (r == 0)
            st->out.n = mark;   /* undefined: the member is left out */
        else
            any = 1;
    }
    st->depth--;
    if (any && st->gap_len && newline_indent(st) < 0)
        return -1;
    st->nstack--;
    return wbuf_putc(t, &st->out, '}');
}

static int ser_array(jstate *st, js_object *a)
{
    js_thread *t = st->t;
    int64_t len;

    if (jsvm_check_stack(t) < 0 || stack_push(st, a) < 0)
        return -1;
    st->depth++;
    if (jsop_length_of_array_like(t, a, &len) < 0 || wbuf_putc(t, &st->out, '[') < 0)
        return -1;
    for (int64_t i = 0; i < len; i++) {
        js_key k;
        int r;
        if (i && wbuf_putc(t, &st->out, ',') < 0)
            return -1;
        if (st->gap_len && newline_indent(st) < 0)
            return -1;
        if (i <= 0xFFFFFFFEll) {
            k = jskey_from_index((uint32_t)i);
        } else {
            js_string *ks = jsop_number_to_string(t, (double)i);
            if (!ks || (k = jskey_from_string(t, ks)) == JSV_EXCEPTION)
                return -1;
        }
        r = ser_property(st, k, jsv_object(a));
        if (r < 0)
            return -1;
        if (r == 0 && wbuf_puts(t, &st->out, "null") < 0)
            return -1;
    }
    st->depth--;
    if (len > 0 && st->gap_len && newline_indent(st) < 0)
        return -1;
    st->nstack--;
    return wbuf_putc(t, &st->out, ']');
}

/* SerializeJSONProperty: 1 wrote a value, 0 undefined, -1 exception. */
static int ser_property(jstate *st, js_key key, jsv holder)
{
    js_thread *t = st->t;
    jsv value = jsobj_get(t, JSV_OBJ(holder), key, holder), keyv = JSV_UNDEFINED;

    if (value == JSV_EXCEPTION)
        return -1;
    if (jsv_is_object(value) || jsv_is_bigint(value)) {
        jsv tojson = jsobj_get_value(t, value, KEY(toJSON));
        if (tojson == JSV_EXCEPTION)
            return -1;
        if (jsop_is_callable(tojson)) {
            keyv = jskey_to_value(t, key);
            if (keyv == JSV_EXCEPTION)
                return -1;
            value = jsvm_call(t, tojson, value, 1, &keyv);
            if (value == JSV_EXCEPTION)
                return -1;
        }
    }
    if (!jsv_is_undefined(st->replacer)) {
        jsv args[2];
        if (jsv_is_undefined(keyv) && (keyv = jskey_to_value(t, key)) == JSV_EXCEPTION)
            return -1;
        args[0] = keyv;
        args[1] = value;
        value = jsvm_call(t, st->replacer, holder, 2, args);
        if (value == JSV_EXCEPTION)
            return -1;
    }
    if (jsv_is_object(value)) {
        js_object *o = JSV_OBJ(value);
        if (o->h.flags & JS_OBJ_RAW_JSON) {
            jsv raw = jsobj_get(t, o, jskey_from_cstr(t, "rawJSON"), value);
            if (raw == JSV_EXCEPTION)
                return -1;
            return jsv_is_string(raw) && wbuf_putstr(t, &st->out, JSV_STR(raw)) < 0 ? -1 : 1;
        }
        switch (jsobj_class(o)) {
        case JS_CLASS_NUMBER:
            value = jsop_to_number_value(t, value);
            break;
        case JS_CLASS_STRING:
            value = jsop_to_string_value(t, value);
            break;
        case JS_CLASS_BOOLEAN:
        case JS_CLASS_BIGINT:
            value = ((js_primitive_object *)o)->value;
            break;
        default:
            break;
        }
        if (value == JSV_EXCEPTION)
            return -1;
    }
    if (jsv_is_null(value))
        return wbuf_puts(t, &st->out, "null") < 0 ? -1 : 1;
    if (value == JSV_TRUE)
        return wbuf_puts(t, &st->out, "true") < 0 ? -1 : 1;
    if (value == JSV_FALSE)
        return wbuf_puts(t, &st->out, "false") < 0 ? -1 : 1;
    if (jsv_is_string(value))
        return quote_string(t, &st->out, JSV_STR(value)) < 0 ? -1 : 1;
    if (jsv_is_number(value)) {
        double d = jsv_get_number(value);
        char buf[JSNUM_BUF];
        if (!isfinite(d))
            return wbuf_puts(t, &st->out, "null") < 0 ? -1 : 1;
        jsnum_to_string(d, buf);
        return wbuf_puts(t, &st->out, buf) < 0 ? -1 : 1;
    }
    if (jsv_is_bigint(value)) {
        jsvm_throw_type_error(t, "Do not know how to serialize a BigInt");
        return -1;
    }
    if (jsv_is_object(value) && !jsop_is_callable(value)) {
        int is_array = jsobj_is_array(t, value);
        if (is_array < 0)
            return -1;
        if ((is_array ? ser_array(st, JSV_OBJ(value)) : ser_object(st, JSV_OBJ(value))) < 0)
            return -1;
        return 1;
    }
    return 0;
}

static int build_property_list(jstate *st, js_object *rep)
{
    js_thread *t = st->t;
    int64_t len;

    st->plist = jsobj_new_array(t, 0);
    if (!st->plist || jsop_length_of_array_like(t, rep, &len) < 0)
        return -1;
    for (int64_t i = 0; i < len; i++) {
        jsv v = jsobj_get(t, rep, i <= 0xFFFFFFFEll ? jskey_from_index((uint32_t)i) : JSV_UNDEFINED, jsv_object(rep));
        js_string *item = NULL;
        js_key k;
        int dup = 0;
        if (v == JSV_EXCEPTION)
            return -1;
        if (jsv_is_string(v)) {
            item = JSV_STR(v);
        } else if (jsv_is_number(v) ||
                   (jsv_is_object(v) && (jsobj_class(JSV_OBJ(v)) == JS_CLASS_STRING ||
                                         jsobj_class(JSV_OBJ(v)) == JS_CLASS_NUMBER))) {
            item = jsop_to_string(t, v);
            if (!item)
                return -1;
        }
        if (!item)
            continue;
        k = jskey_from_string(t, item);
        if (k == JSV_EXCEPTION)
            return -1;
        for (uint32_t j = 0; j < st->plist->elen; j++)
            if (st->plist->elems[j] == k)
                dup = 1;
        if (!dup && jsarray_push(t, st->plist, k) < 0)
            return -1;
    }
    return 0;
}

static jsv json_stringify(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv replacer = JS_ARG(1), space = JS_ARG(2), res = JSV_EXCEPTION;
    jstate st = { 0 };
    js_object *wrapper;
    int r;

    st.t = t;
    st.replacer = JSV_UNDEFINED;
    if (jsv_is_object(replacer)) {
        if (jsop_is_callable(replacer)) {
            st.replacer = replacer;
        } else {
            int is_array = jsobj_is_array(t, replacer);
            if (is_array < 0)
                return JSV_EXCEPTION;
            if (is_array && build_property_list(&st, JSV_OBJ(replacer)) < 0)
                return JSV_EXCEPTION;
        }
    }
    if (jsv_is_object(space)) {
        unsigned cls = jsobj_class(JSV_OBJ(space));
        if (cls == JS_CLASS_NUMBER)
            space = jsop_to_number_value(t, space);
        else if (cls == JS_CLASS_STRING)
            space = jsop_to_string_value(t, space);
        if (space == JSV_EXCEPTION)
            return space;
    }
    if (jsv_is_number(space)) {
        double n;
        if (jsop_to_integer_or_infinity(t, space, &n) < 0)
            return JSV_EXCEPTION;
        if (n > JSON_MAX_GAP)
            n = JSON_MAX_GAP;
        for (int i = 0; i < (int)n; i++)
            st.gap[st.gap_len++] = ' ';
    } else if (jsv_is_string(space)) {
        js_string *s = jsstr_flatten(t, JSV_STR(space));
        if (!s)
            return JSV_EXCEPTION;
        for (uint32_t i = 0; i < s->len && i < JSON_MAX_GAP; i++)
            st.gap[st.gap_len++] = (uint16_t)jsstr_at(s, i);
    }
    wrapper = jsobj_new_plain(t);
    if (!wrapper || jsobj_create_data_property(t, wrapper, KEY(empty), JS_ARG(0), JS_THROW) < 0)
        goto out;
    r = ser_property(&st, KEY(empty), jsv_object(wrapper));
    if (r < 0)
        goto out;
    if (r == 0) {
        res = JSV_UNDEFINED;
    } else {
        js_string *s = jsstr_new_utf16(t, st.out.p ? st.out.p : (const uint16_t *)"", st.out.n);
        res = s ? jsv_string(s) : JSV_EXCEPTION;
    }
out:
    free(st.out.p);
    free(st.stack);
    __asm__ volatile("" : : "r"(st.plist) : "memory");
    return res;
}

/* ---- rawJSON / isRawJSON ---- */

static jsv json_raw_json(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = jsop_to_string(t, JS_ARG(0));
    jparser p = { 0 };
    js_object *o;
    js_propdesc d = { 0 };
    uint32_t c0, c1;
    jsv v;

    if (!s || !(s = jsstr_flatten(t, s)))
        return JSV_EXCEPTION;
    if (s->len == 0)
        return jsvm_throw_syntax_error(t, "JSON.rawJSON: empty string");
    c0 = jsstr_at(s, 0);
    c1 = jsstr_at(s, s->len - 1);
    if (c0 == '\t' || c0 == '\n' || c0 == '\r' || c0 == ' ' ||
        c1 == '\t' || c1 == '\n' || c1 == '\r' || c1 == ' ')
        return jsvm_throw_syntax_error(t, "JSON.rawJSON: leading or trailing whitespace");
    if (c0 == '{' || c0 == '[')
        return jsvm_throw_syntax_error(t, "JSON.rawJSON: objects and arrays are not allowed");
    p.t = t;
    p.s = s;
    p.len = s->len;
    v = json_parse_text(&p, NULL);
    free(p.sb.p);
    if (v == JSV_EXCEPTION)
        return v;
    o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!o || jsobj_create_data_property(t, o, jskey_from_cstr(t, "rawJSON"), jsv_string(s), JS_THROW) < 0)
        return JSV_EXCEPTION;
    d.flags = JS_DESC_HAS_CONFIGURABLE | JS_DESC_HAS_WRITABLE;
    if (jsobj_prevent_extensions(t, o, JS_THROW) < 0 ||
        jsobj_define_own_property(t, o, jskey_from_cstr(t, "rawJSON"), &d, JS_THROW) < 0)
        return JSV_EXCEPTION;
    o->h.flags |= JS_OBJ_RAW_JSON;
    return jsv_object(o);
}

static jsv json_is_raw_json(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    return jsv_from_bool(jsv_is_object(v) && (JSV_OBJ(v)->h.flags & JS_OBJ_RAW_JSON));
}

int jsbi_init_json(js_thread *t, js_realm *realm)
{
    js_object *j = jsobj_new_plain(t);

    if (!j)
        return -1;
    if (jsobj_define_fn(t, j, "isRawJSON", json_is_raw_json, 1, 0) < 0 ||
        jsobj_define_fn(t, j, "parse", json_parse, 2, 0) < 0 ||
        jsobj_define_fn(t, j, "rawJSON", json_raw_json, 1, 0) < 0 ||
        jsobj_define_fn(t, j, "stringify", json_stringify, 3, 0) < 0 ||
        jsbi_set_tag(t, j, "JSON") < 0)
        return -1;
    realm->intrinsics[JS_INTR_JSON] = jsv_object(j);
    return jsobj_define_value(t, realm->global, KEY(JSON), jsv_object(j), JS_PROP_C_W);
}
