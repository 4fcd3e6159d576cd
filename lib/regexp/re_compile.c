/*
 * re_compile.c - RegExp AST -> bytecode (re_int.h), the public compile and
 * validate entry points and flag parsing. Lookbehind bodies are emitted in
 * reverse with RE_BACK set, so the matcher walks them backwards.
 * Touches no runtime state: plain malloc.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "re_int.h"

typedef struct re_cg {
    uint32_t *code;
    uint32_t n, cap;
    int nregs;
    int unicode;
    int oom;
} re_cg;

static void emit(re_cg *g, uint32_t w)
{
    if (g->oom) return;
    if (g->n == g->cap) {
        uint32_t nc = g->cap ? g->cap * 2 : 64;
        uint32_t *c = realloc(g->code, nc * sizeof(uint32_t));
        if (!c) { g->oom = 1; return; }
        g->code = c;
        g->cap = nc;
    }
    g->code[g->n++] = w;
}

static void patch(re_cg *g, uint32_t at, uint32_t v)
{
    if (!g->oom) g->code[at] = v;
}

static int is_single(const re_node *n)
{
    return n->type == N_CHAR || n->type == N_DOT || n->type == N_CLASS;
}

static uint32_t modbits(const re_node *n, int back)
{
    uint32_t f = back ? RE_BACK : 0;
    if (n->mods & RE_NI) f |= RE_ICASE;
    if (n->mods & RE_NM) f |= RE_MULTI;
    return f;
}

static void gen(re_cg *g, const re_node *n, int back, int depth);

static void gen_single(re_cg *g, const re_node *n, int back)
{
    uint32_t f = modbits(n, back) & (RE_BACK | RE_ICASE);
    switch (n->type) {
    case N_CHAR:
        emit(g, OP_CHAR | f);
        emit(g, (f & RE_ICASE) ? jsre_canon(n->c, g->unicode) : n->c);
        break;
    case N_DOT:
        emit(g, ((n->mods & RE_NS) ? OP_ANYALL : OP_ANY) | (f & RE_BACK));
        break;
    case N_CLASS:
        emit(g, (n->invert ? OP_NCLASS : OP_CLASS) | f);
        emit(g, (uint32_t)n->cls);
        break;
    }
}

static void gen_seq(re_cg *g, const re_node *first, int back, int depth)
{
    if (!back) {
        for (const re_node *k = first; k; k = k->next) gen(g, k, back, depth);
        return;
    }
    /* backwards: last term first */
    size_t cnt = 0, i = 0;
    for (const re_node *k = first; k; k = k->next) cnt++;
    const re_node **v = malloc((cnt ? cnt : 1) * sizeof *v);
    if (!v) { g->oom = 1; return; }
    for (const re_node *k = first; k; k = k->next) v[i++] = k;
    while (i > 0) gen(g, v[--i], back, depth);
    free(v);
}

static void gen(re_cg *g, const re_node *n, int back, int depth)
{
    switch (n->type) {
    case N_EMPTY:
        break;
    case N_CHAR: case N_DOT: case N_CLASS:
        gen_single(g, n, back);
        break;
    case N_BOL:
        emit(g, OP_BOL | (modbits(n, 0) & RE_MULTI));
        break;
    case N_EOL:
        emit(g, OP_EOL | (modbits(n, 0) & RE_MULTI));
        break;
    case N_WORDB: case N_NWORDB:
        emit(g, (n->type == N_WORDB ? OP_WORDB : OP_NWORDB) |
                ((g->unicode && (n->mods & RE_NI)) ? RE_UWORD : 0));
        break;
    case N_BACKREF:
        emit(g, OP_BACKREF | (modbits(n, back) & (RE_BACK | RE_ICASE)));
        emit(g, (uint32_t)n->nrefs);
        for (int i = 0; i < n->nrefs; i++) emit(g, (uint32_t)n->refs[i]);
        break;
    case N_GROUP:
        if (n->cap >= 0) emit(g, OP_SAVE), emit(g, 2 * n->cap + (back ? 1 : 0));
        gen(g, n->kid, back, depth);
        if (n->cap >= 0) emit(g, OP_SAVE), emit(g, 2 * n->cap + (back ? 0 : 1));
        break;
    case N_LOOK: {
        emit(g, OP_LOOK | (n->neg ? 1u << 16 : 0));
        uint32_t at = g->n;
        emit(g, 0);
        gen(g, n->kid, n->behind, depth);
        emit(g, OP_LOOK_END);
        patch(g, at, g->n);
        break;
    }
    case N_SEQ:
        gen_seq(g, n->kid, back, depth);
        break;
    case N_ALT: {
        uint32_t ends[1];
        uint32_t *jmps = NULL;
        int cnt = 0, k = 0;
        (void)ends;
        for (const re_node *a = n->kid; a; a = a->next) cnt++;
        jmps = malloc(cnt * sizeof(uint32_t));
        if (!jmps) { g->oom = 1; return; }
        for (const re_node *a = n->kid; a; a = a->next) {
            if (a->next) {
                emit(g, OP_PUSH);
                uint32_t at = g->n;
                emit(g, 0);
                gen(g, a, back, depth);
                emit(g, OP_JMP);
                jmps[k++] = g->n;
                emit(g, 0);
                patch(g, at, g->n);
            } else gen(g, a, back, depth);
        }
        for (int i = 0; i < k; i++) patch(g, jmps[i], g->n);
        free(jmps);
        break;
    }
    case N_QUANT: {
        if (n->max == 0) break;
        if (is_single(n->kid) && !back) {
            emit(g, OP_STAR);
            emit(g, n->min);
            emit(g, n->max);
            emit(g, n->greedy);
            gen_single(g, n->kid, 0);
            break;
        }
        if (n->min == 1 && n->max == 1) { gen(g, n->kid, back, depth); break; }
        int rc = g->nregs++, rp = g->nregs++;
        emit(g, OP_LOOP_INIT);
        emit(g, (uint32_t)rc);
        uint32_t head = g->n;
        emit(g, OP_LOOP);
        emit(g, (uint32_t)rc);
        emit(g, n->min);
        emit(g, n->max);
        emit(g, n->greedy);
        uint32_t exit_at = g->n;
        emit(g, 0);
        /* enter: OP_CLEAR saves the start position and clears inner captures */
        emit(g, OP_CLEAR);
        emit(g, (uint32_t)rp);
        emit(g, n->cap_lo <= n->cap_hi ? (uint32_t)(2 * n->cap_lo) : 0);
        emit(g, n->cap_lo <= n->cap_hi ? (uint32_t)(2 * n->cap_hi + 2) : 0);
        gen(g, n->kid, back, depth);
        emit(g, OP_LOOP_END);
        emit(g, (uint32_t)rc);
        emit(g, (uint32_t)rp);
        emit(g, n->min);
        emit(g, head);
        patch(g, exit_at, g->n);
        break;
    }
    }
}

/* First-character analysis for the search prefilter. Returns 1 when n can
 * match the empty string (then what follows n may start the match too), and
 * sets *all when any character could start it. */
typedef struct first_info { uint32_t bm[8]; int hi, all; } first_info;

static void fi_add(first_info *fi, uint32_t c)
{
    if (c < 256) fi->bm[c >> 5] |= 1u << (c & 31);
    else fi->hi = 1;
}

static int first_set(const re_node *n, const re_parse_out *po, int unicode, first_info *fi, int depth)
{
    if (fi->all || depth > 200) { fi->all = 1; return 1; }
    switch (n->type) {
    case N_EMPTY: case N_BOL: case N_EOL: case N_WORDB: case N_NWORDB: case N_LOOK:
        return 1;
    case N_BACKREF: case N_DOT:
        fi->all = 1;
        return 1;
    case N_CHAR: {
        uint32_t c = n->c;
        if (c > 0xFFFF) { fi->hi = 1; return 0; }
        if (n->mods & RE_NI) {
            if (c >= 128) { fi->all = 1; return 0; }
            if ((c | 32) >= 'a' && (c | 32) <= 'z') { fi_add(fi, c | 32); fi_add(fi, c & ~32u); }
            else fi_add(fi, c);
            if (unicode && (c | 32) == 'k') fi->hi = 1;    /* U+212A */
            if (unicode && (c | 32) == 's') fi->hi = 1;    /* U+017F */
            return 0;
        }
        fi_add(fi, c);
        return 0;
    }
    case N_CLASS: {
        const re_class *k = &po->classes[n->cls];
        if (n->invert || (n->mods & RE_NI)) { fi->all = 1; return 0; }
        for (int i = 0; i < 8; i++) fi->bm[i] |= k->bm[i];
        if (k->n && k->r[2 * k->n - 1] >= 256) fi->hi = 1;
        return 0;
    }
    case N_GROUP:
        return first_set(n->kid, po, unicode, fi, depth + 1);
    case N_QUANT: {
        int e = first_set(n->kid, po, unicode, fi, depth + 1);
        return e || n->min == 0;
    }
    case N_SEQ:
        for (const re_node *k = n->kid; k; k = k->next)
            if (!first_set(k, po, unicode, fi, depth + 1)) return 0;
        return 1;
    case N_ALT: {
        int e = 0;
        for (const re_node *k = n->kid; k; k = k->next) e |= first_set(k, po, unicode, fi, depth + 1);
        return e;
    }
    }
    fi->all = 1;
    return 1;
}

jsre_prog *jsre_codegen(re_parse_out *po, unsigned flags, int *oom)
{
    re_cg g = { 0 };
    g.unicode = (flags & (JSRE_U | JSRE_V)) != 0;
    g.nregs = 2 * po->ncap;
    emit(&g, OP_SAVE);
    emit(&g, 0);
    gen(&g, po->root, 0, 0);
    emit(&g, OP_SAVE);
    emit(&g, 1);
    emit(&g, OP_MATCH);
    jsre_prog *p = calloc(1, sizeof *p);
    if (g.oom || !p) {
        free(g.code);
        free(p);
        *oom = 1;
        return NULL;
    }
    p->refcount = 1;
    p->flags = flags;
    p->ncap = po->ncap;
    p->nregs = g.nregs;
    p->code = g.code;
    p->ncode = g.n;
    p->classes = po->classes;
    p->nclasses = po->nclasses;
    p->names = po->names;
    p->namelens = po->namelens;
    p->has_names = po->has_names;
    first_info fi;
    memset(&fi, 0, sizeof fi);
    if (!first_set(po->root, po, g.unicode, &fi, 0) && !fi.all) {
        p->has_first = 1;
        p->first_hi = fi.hi;
        memcpy(p->first_bm, fi.bm, sizeof fi.bm);
    }
    return p;
}

int jsre_parse_flags(const uint16_t *f, size_t n, unsigned *out)
{
    unsigned fl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned b;
        switch (f[i]) {
        case 'g': b = JSRE_G; break;
        case 'i': b = JSRE_I; break;
        case 'm': b = JSRE_M; break;
        case 's': b = JSRE_S; break;
        case 'u': b = JSRE_U; break;
        case 'y': b = JSRE_Y; break;
        case 'd': b = JSRE_D; break;
        case 'v': b = JSRE_V; break;
        default: return -1;
        }
        if (fl & b) return -1;
        fl |= b;
    }
    if ((fl & JSRE_U) && (fl & JSRE_V)) return -1;
    *out = fl;
    return 0;
}

jsre_prog *jsre_compile(const uint16_t *pat, size_t len, unsigned flags, char *err, size_t errlen, int *oom)
{
    re_parse_out po;
    memset(&po, 0, sizeof po);
    *oom = 0;
    if (jsre_parse(pat, len, flags, &po, err, errlen, oom) < 0) return NULL;
    jsre_prog *p = jsre_codegen(&po, flags, oom);
    jsre_parse_free_arena(po.arena);
    if (!p) {
        for (uint32_t i = 0; i < po.nclasses; i++) free(po.classes[i].r);
        free(po.classes);
        for (int i = 0; i < po.ncap; i++) free(po.names[i]);
        free(po.names);
        free(po.namelens);
        if (errlen) snprintf(err, errlen, "out of memory");
    }
    return p;
}

jsre_prog *jsre_retain(jsre_prog *p)
{
    p->refcount++;
    return p;
}

void jsre_free(jsre_prog *p)
{
    if (!p || --p->refcount > 0) return;
    for (uint32_t i = 0; i < p->nclasses; i++) free(p->classes[i].r);
    free(p->classes);
    for (int i = 0; i < p->ncap; i++) free(p->names[i]);
    free(p->names);
    free(p->namelens);
    free(p->code);
    free(p);
}

int jsre_capture_count(const jsre_prog *p) { return p->ncap; }
int jsre_has_names(const jsre_prog *p) { return p->has_names; }
unsigned jsre_flags(const jsre_prog *p) { return p->flags; }

const uint16_t *jsre_group_name(const jsre_prog *p, int i, uint32_t *len)
{
    if (i <= 0 || i >= p->ncap || !p->names[i]) return NULL;
    *len = p->namelens[i];
    return p->names[i];
}

int jsre_validate_pattern(const uint16_t *pat, size_t len, const char *flags, char *err, size_t errlen)
{
    uint16_t fb[8];
    size_t fn = strlen(flags);
    unsigned fl;
    int oom = 0;
    /* eight distinct flags at most: anything longer repeats one */
    for (size_t i = 0; i < fn && i < 8; i++) fb[i] = (uint8_t)flags[i];
    if (fn > 8 || jsre_parse_flags(fb, fn, &fl) < 0) {
        if (errlen) snprintf(err, errlen, "Invalid regular expression flags '%s'", flags);
        return -1;
    }
    re_parse_out po;
    memset(&po, 0, sizeof po);
    if (jsre_parse(pat, len, fl, &po, err, errlen, &oom) < 0) return -1;
    for (uint32_t i = 0; i < po.nclasses; i++) free(po.classes[i].r);
    free(po.classes);
    for (int i = 0; i < po.ncap; i++) free(po.names[i]);
    free(po.names);
    free(po.namelens);
    jsre_parse_free_arena(po.arena);
    return 0;
}
