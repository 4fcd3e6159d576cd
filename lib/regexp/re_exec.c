/*
 * re_exec.c - the backtracking matcher: runs re_compile.c bytecode over a flat
 * Latin-1 or UTF-16 js_string with an explicit backtrack stack (no recursion),
 * polling the interrupt word and accounting the stack through jsgc_malloc so
 * runaway patterns stay stoppable. Reads strings only; allocates only its stack.
 */
#include <stdlib.h>
#include <string.h>
#include "re_int.h"
#include "../core/string.h"
#include "../core/gc.h"
#include "../core/runtime.h"
#include "../vm/vm.h"
#include "../unicode/unicode.h"

/* Backtrack entries. */
enum { BT_CHOICE, BT_UNDO, BT_LOOK, BT_STAR_G, BT_STAR_L };

typedef struct bt_entry {
    uint32_t kind;
    uint32_t pc;     /* UNDO: register */
    int32_t pos;     /* UNDO: old value */
    uint32_t x;      /* STAR: count; LOOK: neg */
} bt_entry;

typedef struct matcher {
    js_thread *t;
    const jsre_prog *p;
    const uint8_t *s8;
    const uint16_t *s16;
    int32_t len;
    int unicode;
    int32_t *regs;
    bt_entry *st;
    uint32_t sp, cap;
    uint32_t steps;
    int heap;                    /* st is accounted heap memory (else inl) */
    bt_entry inl[128];
    int32_t inl_regs[64];
} matcher;

#define POLL_MASK 0x3FFF

static inline uint32_t cu(const matcher *m, int32_t i) { return m->s8 ? m->s8[i] : m->s16[i]; }

/* Reads the character at pos forward (back = 0) or before pos (back = 1);
 * returns it and its width in *w, or -1 at the boundary. */
static inline int64_t rdc(const matcher *m, int32_t pos, int back, int *w)
{
    if (!back) {
        if (pos >= m->len) return -1;
        uint32_t c = cu(m, pos);
        *w = 1;
        if (m->unicode && c >= 0xD800 && c <= 0xDBFF && pos + 1 < m->len) {
            uint32_t d = cu(m, pos + 1);
            if (d >= 0xDC00 && d <= 0xDFFF) { *w = 2; return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00); }
        }
        return c;
    }
    if (pos <= 0) return -1;
    uint32_t c = cu(m, pos - 1);
    *w = 1;
    if (m->unicode && c >= 0xDC00 && c <= 0xDFFF && pos - 2 >= 0) {
        uint32_t h = cu(m, pos - 2);
        if (h >= 0xD800 && h <= 0xDBFF) { *w = 2; return 0x10000 + ((h - 0xD800) << 10) + (c - 0xDC00); }
    }
    return c;
}

static int in_class(const re_class *k, uint32_t c)
{
    if (c < 256) return (k->bm[c >> 5] >> (c & 31)) & 1;
    uint32_t lo = 0, hi = k->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (c < k->r[2 * mid]) hi = mid;
        else if (c > k->r[2 * mid + 1]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

static int is_lt(uint32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

static int is_word(uint32_t c, int uword)
{
    if (c < 128) return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '_';
    return uword && (c == 0x17F || c == 0x212A);
}

/* One single-character instruction at pc against pos: new pos or -1. */
static inline int32_t match_one(const matcher *m, const uint32_t *code, uint32_t pc, int32_t pos)
{
    uint32_t ins = code[pc];
    int back = (ins & RE_BACK) != 0, w;
    int64_t c = rdc(m, pos, back, &w);
    if (c < 0) return -1;
    int ok;
    switch (ins & 0xFF) {
    case OP_CHAR:
        ok = (ins & RE_ICASE) ? jsre_canon((uint32_t)c, m->unicode) == code[pc + 1] : (uint32_t)c == code[pc + 1];
        break;
    case OP_ANY: ok = !is_lt((uint32_t)c); break;
    case OP_ANYALL: ok = 1; break;
    case OP_CLASS: case OP_NCLASS: {
        uint32_t ch = (ins & RE_ICASE) ? jsre_canon((uint32_t)c, m->unicode) : (uint32_t)c;
        ok = in_class(&m->p->classes[code[pc + 1]], ch) ^ ((ins & 0xFF) == OP_NCLASS);
        break;
    }
    default: ok = 0;
    }
    if (!ok) return -1;
    return back ? pos - w : pos + w;
}

static inline uint32_t single_len(uint32_t ins)
{
    uint32_t op = ins & 0xFF;
    return (op == OP_ANY || op == OP_ANYALL) ? 1 : 2;
}

static int grow(matcher *m)
{
    uint32_t nc = m->cap * 2;
    bt_entry *n;
    if (!m->heap) {
        n = jsgc_malloc(m->t, nc * sizeof(bt_entry));
        if (n) memcpy(n, m->st, m->cap * sizeof(bt_entry));
    } else n = jsgc_realloc(m->t, m->st, m->cap * sizeof(bt_entry), nc * sizeof(bt_entry));
    if (!n) return -1;
    m->heap = 1;
    m->st = n;
    m->cap = nc;
    return 0;
}

#define PUSH(K, PC, POS, X) do { \
        if (m->sp == m->cap && grow(m) < 0) return -1; \
        bt_entry *e_ = &m->st[m->sp++]; \
        e_->kind = (K); e_->pc = (PC); e_->pos = (POS); e_->x = (X); \
    } while (0)
#define SETREG(R, V) do { PUSH(BT_UNDO, (R), m->regs[R], 0); m->regs[R] = (V); } while (0)

static int word_at(const matcher *m, int32_t i, int uword)
{
    if (i < 0 || i >= m->len) return 0;
    return is_word(cu(m, i), uword);
}

/* Runs from pc 0 at pos. 1 match, 0 no match, -1 exception. */
static int run(matcher *m, int32_t pos)
{
    const uint32_t *code = m->p->code;
    uint32_t pc = 0;
    uint32_t base = m->sp;
    for (;;) {
        if ((++m->steps & POLL_MASK) == 0 && jsvm_poll_interrupt(m->t) < 0) return -1;
        uint32_t ins = code[pc];
        switch (ins & 0xFF) {
        case OP_CHAR: case OP_ANY: case OP_ANYALL: case OP_CLASS: case OP_NCLASS: {
            int32_t np = match_one(m, code, pc, pos);
            if (np < 0) goto fail;
            pos = np;
            pc += single_len(ins);
            continue;
        }
        case OP_BOL:
            if (pos == 0 || ((ins & RE_MULTI) && is_lt(cu(m, pos - 1)))) { pc++; continue; }
            goto fail;
        case OP_EOL:
            if (pos == m->len || ((ins & RE_MULTI) && is_lt(cu(m, pos)))) { pc++; continue; }
            goto fail;
        case OP_WORDB: case OP_NWORDB: {
            int uw = (ins & RE_UWORD) != 0;
            int a = word_at(m, pos - 1, uw), b = word_at(m, pos, uw);
            if ((a != b) == ((ins & 0xFF) == OP_WORDB)) { pc++; continue; }
            goto fail;
        }
        case OP_PUSH:
            PUSH(BT_CHOICE, code[pc + 1], pos, 0);
            pc += 2;
            continue;
        case OP_JMP:
            pc = code[pc + 1];
            continue;
        case OP_SAVE:
            SETREG(code[pc + 1], pos);
            pc += 2;
            continue;
        case OP_CLEAR: {
            SETREG(code[pc + 1], pos);
            for (uint32_t r = code[pc + 2]; r < code[pc + 3]; r++)
                if (m->regs[r] != -1) SETREG(r, -1);
            pc += 4;
            continue;
        }
        case OP_BACKREF: {
            uint32_t n = code[pc + 1];
            int32_t s = -1, e = -1;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t gi = code[pc + 2 + i];
                if (m->regs[2 * gi] >= 0 && m->regs[2 * gi + 1] >= 0) { s = m->regs[2 * gi]; e = m->regs[2 * gi + 1]; break; }
            }
            pc += 2 + n;
            if (s < 0) continue;
            int32_t l = e - s;
            int back = (ins & RE_BACK) != 0;
            int32_t st = back ? pos - l : pos;
            if (st < 0 || st + l > m->len) goto fail;
            if (ins & RE_ICASE) {
                int32_t i = 0;
                while (i < l) {
                    int w1, w2;
                    int64_t a = rdc(m, s + i, 0, &w1), b = rdc(m, st + i, 0, &w2);
                    if (s + i + w1 > e) w1 = 1, a = cu(m, s + i);
                    if (w1 != w2 || jsre_canon((uint32_t)a, m->unicode) != jsre_canon((uint32_t)b, m->unicode)) goto fail;
                    i += w1;
                }
            } else {
                for (int32_t i = 0; i < l; i++)
                    if (cu(m, s + i) != cu(m, st + i)) goto fail;
            }
            pos = back ? st : st + l;
            continue;
        }
        case OP_LOOK:
            PUSH(BT_LOOK, code[pc + 1], pos, (ins >> 16) & 1);
            pc += 2;
            continue;
        case OP_LOOK_END: {
            /* Find the barrier: the topmost BT_LOOK. */
            uint32_t b = m->sp;
            while (b > base && m->st[b - 1].kind != BT_LOOK) b--;
            b--;
            bt_entry look = m->st[b];
            if (look.x) {
                /* Negative lookaround whose body matched: undo and fail. */
                while (m->sp > b + 1) {
                    bt_entry *e = &m->st[--m->sp];
                    if (e->kind == BT_UNDO) m->regs[e->pc] = e->pos;
                }
                m->sp--;
                goto fail;
            }
            /* Positive: keep the undo records (captures made inside stay
             * until backtracking passes here), drop the choice points. */
            uint32_t w = b;
            for (uint32_t r = b + 1; r < m->sp; r++)
                if (m->st[r].kind == BT_UNDO) m->st[w++] = m->st[r];
            m->sp = w;
            pos = look.pos;
            pc = look.pc;
            continue;
        }
        case OP_LOOP_INIT:
            SETREG(code[pc + 1], 0);
            pc += 2;
            continue;
        case OP_LOOP: {
            uint32_t cnt = (uint32_t)m->regs[code[pc + 1]];
            uint32_t mn = code[pc + 2], mx = code[pc + 3];
            uint32_t exitpc = code[pc + 5], enter = pc + 6;
            if (cnt < mn) { pc = enter; continue; }
            if (mx != 0xFFFFFFFFu && cnt >= mx) { pc = exitpc; continue; }
            if (code[pc + 4]) {
                PUSH(BT_CHOICE, exitpc, pos, 0);
                pc = enter;
            } else {
                PUSH(BT_CHOICE, enter, pos, 0);
                pc = exitpc;
            }
            continue;
        }
        case OP_LOOP_END: {
            uint32_t rc = code[pc + 1], rp = code[pc + 2];
            uint32_t cnt = (uint32_t)m->regs[rc];
            if (cnt >= code[pc + 3] && pos == m->regs[rp]) goto fail;
            SETREG(rc, (int32_t)(cnt + 1));
            pc = code[pc + 4];
            continue;
        }
        case OP_STAR: {
            uint32_t mn = code[pc + 1], mx = code[pc + 2], greedy = code[pc + 3];
            uint32_t item = pc + 4, next = item + single_len(code[item]);
            uint32_t cnt = 0;
            uint32_t lim = greedy ? mx : mn;
            while (cnt < lim) {
                int32_t np = match_one(m, code, item, pos);
                if (np < 0) break;
                pos = np;
                cnt++;
                if (!(cnt & 0xFFFF) && jsvm_poll_interrupt(m->t) < 0) return -1;
            }
            if (cnt < mn) goto fail;
            if (greedy) {
                if (cnt > mn) PUSH(BT_STAR_G, pc, pos, cnt);
            } else if (cnt < mx) PUSH(BT_STAR_L, pc, pos, cnt);
            pc = next;
            continue;
        }
        case OP_MATCH:
            return 1;
        default:
            goto fail;
        }
    fail:
        for (;;) {
            if (m->sp == base) return 0;
            bt_entry *e = &m->st[--m->sp];
            switch (e->kind) {
            case BT_UNDO:
                m->regs[e->pc] = e->pos;
                continue;
            case BT_CHOICE:
                pc = e->pc;
                pos = e->pos;
                break;
            case BT_LOOK:
                if (e->x) { pc = e->pc; pos = e->pos; break; }
                continue;
            case BT_STAR_G: {
                /* give back one item */
                uint32_t sp = e->pc;
                pos = e->pos;
                int w = 1;
                rdc(m, pos, 1, &w);
                pos -= w;
                uint32_t cnt = e->x - 1;
                if (cnt > code[sp + 1]) { e->pos = pos; e->x = cnt; m->sp++; }
                pc = sp + 4 + single_len(code[sp + 4]);
                break;
            }
            case BT_STAR_L: {
                uint32_t sp = e->pc;
                int32_t np = match_one(m, code, sp + 4, e->pos);
                if (np < 0) continue;
                uint32_t cnt = e->x + 1;
                pos = np;
                if (cnt < code[sp + 2]) { e->pos = np; e->x = cnt; m->sp++; }
                pc = sp + 4 + single_len(code[sp + 4]);
                break;
            }
            }
            break;
        }
        if ((++m->steps & POLL_MASK) == 0 && jsvm_poll_interrupt(m->t) < 0) return -1;
    }
}

int jsre_exec(js_thread *t, const jsre_prog *p, const js_string *s, uint32_t start,
              int sticky, int32_t *caps)
{
    matcher mm, *m = &mm;
    m->t = t;
    m->sp = 0;
    m->steps = 0;
    m->heap = 0;
    m->st = m->inl;
    m->cap = sizeof m->inl / sizeof m->inl[0];
    m->p = p;
    m->len = (int32_t)s->len;
    m->s8 = NULL;
    m->s16 = NULL;
    if (jsstr_is_wide(s)) m->s16 = s->u.c16; else m->s8 = s->u.c8;
    m->unicode = (p->flags & (JSRE_U | JSRE_V)) != 0;
    int heap_regs = p->nregs > (int)(sizeof m->inl_regs / sizeof m->inl_regs[0]);
    m->regs = heap_regs ? jsgc_malloc(t, (size_t)p->nregs * sizeof(int32_t)) : m->inl_regs;
    if (!m->regs) return -1;
    int r = 0;
    int32_t pos = (int32_t)start;
    int filter = p->has_first && !sticky;
    for (;;) {
        if (pos > m->len) break;
        if (filter) {
            /* Skip positions whose code unit cannot start a match. A skipped
             * unit is never the middle of a matched pair, so unit steps are
             * as good as code point steps here. */
            if (m->s8) {
                while (pos < m->len && !((p->first_bm[m->s8[pos] >> 5] >> (m->s8[pos] & 31)) & 1)) pos++;
            } else {
                while (pos < m->len) {
                    uint32_t c = m->s16[pos];
                    if (c < 256 ? (p->first_bm[c >> 5] >> (c & 31)) & 1 : p->first_hi) break;
                    pos++;
                }
            }
            if (pos >= m->len) break;
        }
        /* Loop registers are always written before they are read. */
        for (int i = 0; i < 2 * p->ncap; i++) m->regs[i] = -1;
        m->sp = 0;
        r = run(m, pos);
        if (r) break;
        if (sticky) break;
        if (pos >= m->len) break;
        int w = 1;
        if (m->unicode) rdc(m, pos, 0, &w);
        pos += w;
        if ((++m->steps & 0xFF) == 0 && jsvm_poll_interrupt(t) < 0) { r = -1; break; }
    }
    if (r == 1) memcpy(caps, m->regs, 2 * (size_t)p->ncap * sizeof(int32_t));
    if (heap_regs) jsgc_free(t->rt, m->regs, (size_t)p->nregs * sizeof(int32_t));
    if (m->heap) jsgc_free(t->rt, m->st, m->cap * sizeof(bt_entry));
    return r;
}
