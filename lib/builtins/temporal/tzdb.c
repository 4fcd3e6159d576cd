/*
 * tzdb.c - IANA time zones for Temporal: reads TZif files (RFC 8536, v1-v4)
 * and their POSIX TZ footers from the zoneinfo directory (TZDIR, else
 * /usr/share/zoneinfo), answers offsets, possible instants and transitions,
 * and keeps the parsed zones in a per-runtime cache (rt->tz_cache).
 * Must not trust a file: every count and index is checked before use.
 * Knows nothing of Temporal objects; zoned.c and instant.c call in.
 * Threads: the cache is runtime-affine (only the thread running the runtime
 * touches it); a parsed zone is immutable once cached and lives until jsrt_free.
 */
#include "temporal.h"
#include "tzdb.h"
#include "../../core/runtime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

/* Real zone files are under 4 KiB; anything past this is not a zone file. */
#define TPZ_MAX_FILE (1 << 20)
/* tzdata has ~300 transitions per zone at most; 64Ki leaves ample room. */
#define TPZ_MAX_TRANS 65536
/* Temporal forbids offsets of a day or more (|offset| < 24 h). */
#define TPZ_MAX_OFFSET 86399
#define SEC_DAY 86400
#define NS_SEC 1000000000LL
/* Years past Temporal's range (+-275760) need no rule transitions. */
#define TPZ_MAX_YEAR 275762

/* ---- parsed zones ---- */

typedef struct tpz_rule {
    char kind;          /* 'J' (1..365, no Feb 29), 'N' (0..365), 'M' (month.week.day) */
    int16_t a, b, c;    /* J/N: a = day; M: a = month, b = week, c = weekday */
    int32_t time;       /* seconds after local midnight, -167h..167h */
} tpz_rule;

struct tpz_zone {
    int64_t *trans;     /* transition times (epoch s), strictly ascending */
    int32_t *after;     /* UTC offset (s) from trans[i] on */
    int ntrans;
    int32_t first_off;  /* offset before the first transition (time type 0) */
    int has_footer;     /* the footer governs times after the last transition */
    int has_dst;        /* footer with a DST rule */
    int32_t std_off, dst_off;   /* footer offsets, east of UTC positive */
    tpz_rule start, end;
};

void tpz_free(tpz_zone *z)
{
    if (!z) return;
    free(z->trans);
    free(z->after);
    free(z);
}

static int64_t floordiv64(int64_t a, int64_t b) { int64_t q = a / b; return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q; }

static int64_t ns_to_sec(__int128 ns)
{
    __int128 q = ns / NS_SEC;
    if (ns % NS_SEC < 0) q--;
    return (int64_t)q;
}

/* ---- POSIX TZ strings ---- */

typedef struct pcur { const char *p, *end; } pcur;

static int pc_peek(pcur *c) { return c->p < c->end ? (unsigned char)*c->p : -1; }

static int parse_num(pcur *c, int maxdig, int *out)
{
    int n = 0, v = 0;
    while (n < maxdig && pc_peek(c) >= '0' && pc_peek(c) <= '9') { v = v * 10 + (*c->p++ - '0'); n++; }
    if (!n) return -1;
    *out = v;
    return 0;
}

/* std/dst abbreviation: 3+ letters, or <...> of letters, digits, + and -. */
static int parse_abbr(pcur *c)
{
    int n = 0;
    if (pc_peek(c) == '<') {
        c->p++;
        while (pc_peek(c) != '>') {
            int ch = pc_peek(c);
            if (ch < 0 || !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '-'))
                return -1;
            c->p++; n++;
        }
        c->p++;
    } else {
        while ((pc_peek(c) >= 'A' && pc_peek(c) <= 'Z') || (pc_peek(c) >= 'a' && pc_peek(c) <= 'z')) { c->p++; n++; }
    }
    return n >= 3 ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] with hours up to maxh; seconds into *out. */
static int parse_hms(pcur *c, int maxh, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (pc_peek(c) == '+' || pc_peek(c) == '-') sign = *c->p++ == '-' ? -1 : 1;
    if (parse_num(c, 3, &h) < 0 || h > maxh) return -1;
    if (pc_peek(c) == ':') {
        c->p++;
        if (parse_num(c, 2, &m) < 0 || m > 59) return -1;
        if (pc_peek(c) == ':') {
            c->p++;
            if (parse_num(c, 2, &s) < 0 || s > 59) return -1;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return 0;
}

static int parse_rule(pcur *c, tpz_rule *r)
{
    int a, b, d;
    if (pc_peek(c) == 'J') {
        c->p++;
        if (parse_num(c, 3, &a) < 0 || a < 1 || a > 365) return -1;
        r->kind = 'J'; r->a = (int16_t)a;
    } else if (pc_peek(c) == 'M') {
        c->p++;
        if (parse_num(c, 2, &a) < 0 || a < 1 || a > 12 || pc_peek(c) != '.') return -1;
        c->p++;
        if (parse_num(c, 1, &b) < 0 || b < 1 || b > 5 || pc_peek(c) != '.') return -1;
        c->p++;
        if (parse_num(c, 1, &d) < 0 || d > 6) return -1;
        r->kind = 'M'; r->a = (int16_t)a; r->b = (int16_t)b; r->c = (int16_t)d;
    } else {
        if (parse_num(c, 3, &a) < 0 || a > 365) return -1;
        r->kind = 'N'; r->a = (int16_t)a;
    }
    r->time = 7200;
    if (pc_peek(c) == '/') {
        c->p++;
        if (parse_hms(c, 167, &r->time) < 0) return -1;   /* RFC 8536 allows -167..167 h */
    }
    return 0;
}

/* Fills the footer fields of z from a POSIX TZ string. */
static int parse_posix_into(const char *s, size_t len, tpz_zone *z)
{
    pcur c = { s, s + len };
    int32_t off;
    if (parse_abbr(&c) < 0 || parse_hms(&c, 24, &off) < 0) return -1;
    z->std_off = -off;          /* POSIX counts west of Greenwich as positive */
    z->has_footer = 1;
    if (c.p == c.end) return -TPZ_MAX_OFFSET <= z->std_off && z->std_off <= TPZ_MAX_OFFSET ? 0 : -1;
    if (parse_abbr(&c) < 0) return -1;
    z->dst_off = z->std_off + 3600;
    if (pc_peek(&c) != ',' && c.p != c.end) {
        if (parse_hms(&c, 24, &off) < 0) return -1;
        z->dst_off = -off;
    }
    if (c.p == c.end) {
        /* No rule: POSIX leaves it to the implementation; tzcode uses the US rules. */
        z->start = (tpz_rule){ 'M', 3, 2, 0, 7200 };
        z->end = (tpz_rule){ 'M', 11, 1, 0, 7200 };
    } else {
        if (pc_peek(&c) != ',') return -1;
        c.p++;
        if (parse_rule(&c, &z->start) < 0 || pc_peek(&c) != ',') return -1;
        c.p++;
        if (parse_rule(&c, &z->end) < 0 || c.p != c.end) return -1;
    }
    if (z->std_off < -TPZ_MAX_OFFSET || z->std_off > TPZ_MAX_OFFSET || z->dst_off < -TPZ_MAX_OFFSET ||
        z->dst_off > TPZ_MAX_OFFSET)
        return -1;
    z->has_dst = 1;
    return 0;
}

int tpz_parse_posix(const char *s, size_t len, tpz_zone **out)
{
    tpz_zone *z = calloc(1, sizeof *z);
    if (!z) return -1;
    if (parse_posix_into(s, len, z) < 0) { free(z); return -1; }
    z->first_off = z->std_off;
    *out = z;
    return 0;
}

/* Epoch day of a rule's date in year y. */
static int64_t rule_day(const tpz_rule *r, int64_t y)
{
    int64_t jan1 = tp_epoch_days(y, 1, 1);
    if (r->kind == 'J') return jan1 + r->a - 1 + (tp_is_leap(y) && r->a >= 60);
    if (r->kind == 'N') return jan1 + r->a;
    int64_t first = tp_epoch_days(y, r->a, 1);
    int dow = (int)((first % 7 + 7 + 4) % 7);           /* 1970-01-01 was a Thursday; 0 = Sunday */
    int64_t d = first + (r->c - dow + 7) % 7 + (int64_t)(r->b - 1) * 7;
    int64_t last = first + tp_days_in_month(y, r->a) - 1;
    while (d > last) d -= 7;
    return d;
}

/* The footer's two changes in year y, as (instant, offset after) pairs. */
static void rule_events(const tpz_zone *z, int64_t y, int64_t at[2], int32_t off[2])
{
    at[0] = rule_day(&z->start, y) * SEC_DAY + z->start.time - z->std_off;
    off[0] = z->dst_off;
    at[1] = rule_day(&z->end, y) * SEC_DAY + z->end.time - z->dst_off;
    off[1] = z->std_off;
}

static int64_t year_of(int64_t s) { return tp_from_epoch_days(floordiv64(s, SEC_DAY)).year; }

static int32_t footer_offset(const tpz_zone *z, int64_t s)
{
    if (!z->has_dst) return z->std_off;
    int64_t y = year_of(s), best = INT64_MIN;
    int32_t off = z->std_off;
    for (int64_t yy = y - 2; yy <= y + 1; yy++) {
        int64_t at[2]; int32_t o[2];
        rule_events(z, yy, at, o);
        for (int i = 0; i < 2; i++)
            if (at[i] <= s && at[i] >= best) { best = at[i]; off = o[i]; }
    }
    return off;
}

static int32_t offset_at(const tpz_zone *z, int64_t s)
{
    if (z->ntrans == 0) return z->has_footer ? footer_offset(z, s) : z->first_off;
    if (s < z->trans[0]) return z->first_off;
    if (s >= z->trans[z->ntrans - 1] && z->has_footer) return footer_offset(z, s);
    int lo = 0, hi = z->ntrans - 1;        /* last i with trans[i] <= s */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (z->trans[mid] <= s) lo = mid; else hi = mid - 1;
    }
    return z->after[lo];
}

int64_t tpz_offset_ns(const tpz_zone *z, __int128 epoch_ns)
{
    return (int64_t)offset_at(z, ns_to_sec(epoch_ns)) * NS_SEC;
}

int tpz_possible(const tpz_zone *z, __int128 local_ns, __int128 out[2])
{
    /* Each candidate offset is the one in force a day either side; a wall
     * time is real under offset o when o is the offset at local - o. */
    int64_t before = tpz_offset_ns(z, local_ns - (__int128)SEC_DAY * NS_SEC);
    int64_t after = tpz_offset_ns(z, local_ns + (__int128)SEC_DAY * NS_SEC);
    int64_t cand[2] = { before, after };
    int n = 0;
    for (int i = 0; i < (before == after ? 1 : 2); i++) {
        __int128 e = local_ns - cand[i];
        if (tpz_offset_ns(z, e) == cand[i]) out[n++] = e;
    }
    if (n == 2) {
        if (out[0] == out[1]) n = 1;
        else if (out[0] > out[1]) { __int128 x = out[0]; out[0] = out[1]; out[1] = x; }
    }
    return n;
}

/* A transition that changes nothing Temporal sees (only isdst or the
 * abbreviation) is not a transition here. */
static int changes_offset(const tpz_zone *z, int64_t s) { return offset_at(z, s - 1) != offset_at(z, s); }

static int footer_transition(const tpz_zone *z, int64_t s, int next, int64_t floor_s, int64_t *out)
{
    if (!z->has_dst) return 0;
    int64_t y = year_of(s), best = 0;
    int found = 0;
    /* Two changes a year: the neighbouring years hold the answer unless the
     * rule never changes the offset (DST all year). */
    for (int64_t yy = y - 2; yy <= y + 2; yy++) {
        if (yy < -TPZ_MAX_YEAR || yy > TPZ_MAX_YEAR) continue;
        int64_t at[2]; int32_t o[2];
        rule_events(z, yy, at, o);
        for (int i = 0; i < 2; i++) {
            int64_t a = at[i];
            if (next ? a <= s : a >= s) continue;
            if (a <= floor_s || !changes_offset(z, a)) continue;
            if (!found || (next ? a < best : a > best)) { best = a; found = 1; }
        }
    }
    if (found) *out = best;
    return found;
}

int tpz_transition(const tpz_zone *z, __int128 epoch_ns, int next, __int128 *out)
{
    int64_t s = ns_to_sec(epoch_ns);
    int64_t last = z->ntrans ? z->trans[z->ntrans - 1] : INT64_MIN;
    int64_t r;
    if (next) {
        /* transitions fall on whole seconds: after epoch_ns means after s */
        int64_t from = s;
        int lo = 0, hi = z->ntrans;           /* first i with trans[i] > from */
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (z->trans[mid] > from) hi = mid; else lo = mid + 1;
        }
        for (int i = lo; i < z->ntrans; i++)
            if (changes_offset(z, z->trans[i])) { *out = (__int128)z->trans[i] * NS_SEC; return 1; }
        if (z->has_footer && footer_transition(z, from > last ? from : last, 1, last, &r)) {
            *out = (__int128)r * NS_SEC;
            return 1;
        }
        return 0;
    }
    int64_t to = (__int128)s * NS_SEC < epoch_ns ? s + 1 : s;   /* transitions strictly before epoch_ns */
    if (z->has_footer && to > last && footer_transition(z, to, 0, last, &r)) {
        *out = (__int128)r * NS_SEC;
        return 1;
    }
    for (int i = z->ntrans - 1; i >= 0; i--) {
        if (z->trans[i] < to && changes_offset(z, z->trans[i])) { *out = (__int128)z->trans[i] * NS_SEC; return 1; }
    }
    return 0;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

#define FAIL(msg) do { snprintf(err, errcap, "%s", msg); goto fail; } while (0)

int tpz_parse(const unsigned char *buf, size_t len, tpz_zone **out, char *err, size_t errcap)
{
    tpz_zone *z = calloc(1, sizeof *z);
    if (!z) { snprintf(err, errcap, "out of memory"); return -1; }
    size_t pos = 0;
    int version = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (len - pos < 44) FAIL("truncated TZif header");
        const unsigned char *h = buf + pos;
        if (memcmp(h, "TZif", 4) != 0) FAIL("not a TZif file");
        if (pass == 0) {
            if (h[4] == 0) version = 1;
            else if (h[4] >= '2' && h[4] <= '4') version = h[4] - '0';
            else FAIL("unknown TZif version");
        }
        uint32_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), timecnt = be32(h + 32),
                 typecnt = be32(h + 36), charcnt = be32(h + 40);
        int tsize = pass == 0 ? 4 : 8;
        if (typecnt == 0 || typecnt > 256 || charcnt == 0 || charcnt > 65536 || timecnt > TPZ_MAX_TRANS ||
            leap > 65536 || (isut && isut != typecnt) || (isstd && isstd != typecnt))
            FAIL("invalid TZif counts");
        uint64_t need = (uint64_t)timecnt * (tsize + 1) + (uint64_t)typecnt * 6 + charcnt +
                        (uint64_t)leap * (tsize + 4) + isstd + isut;
        pos += 44;
        if ((uint64_t)(len - pos) < need) FAIL("truncated TZif data");
        if (pass == 0 && version >= 2) { pos += (size_t)need; continue; }
        if (leap) FAIL("TZif files with leap seconds are not supported");
        const unsigned char *tp = buf + pos, *ip = tp + (size_t)timecnt * tsize, *ty = ip + timecnt;
        int32_t offs[256];
        for (uint32_t i = 0; i < typecnt; i++) {
            int32_t o = (int32_t)be32(ty + 6 * i);
            if (o < -TPZ_MAX_OFFSET || o > TPZ_MAX_OFFSET) FAIL("TZif offset out of range");
            if (ty[6 * i + 4] > 1 || ty[6 * i + 5] >= charcnt) FAIL("invalid TZif local time type");
            offs[i] = o;
        }
        z->first_off = offs[0];
        if (timecnt) {
            z->trans = malloc(sizeof(int64_t) * timecnt);
            z->after = malloc(sizeof(int32_t) * timecnt);
            if (!z->trans || !z->after) FAIL("out of memory");
        }
        for (uint32_t i = 0; i < timecnt; i++) {
            int64_t at = tsize == 4 ? (int64_t)(int32_t)be32(tp + 4 * i) : be64(tp + 8 * i);
            if (i && at <= z->trans[i - 1]) FAIL("TZif transitions out of order");
            if (ip[i] >= typecnt) FAIL("TZif type index out of range");
            z->trans[i] = at;
            z->after[i] = offs[ip[i]];
        }
        z->ntrans = (int)timecnt;
        pos += (size_t)need;
        break;
    }
    if (version >= 2) {
        /* footer: "\n" TZ-string "\n" */
        if (pos >= len || buf[pos] != '\n') FAIL("missing TZif footer");
        const unsigned char *nl = memchr(buf + pos + 1, '\n', len - pos - 1);
        if (!nl) FAIL("truncated TZif footer");
        size_t flen = (size_t)(nl - (buf + pos + 1));
        if (flen && parse_posix_into((const char *)buf + pos + 1, flen, z) < 0) FAIL("invalid TZif footer");
    }
    *out = z;
    return 0;
fail:
    tpz_free(z);
    return -1;
}

/* ---- identifiers ---- */

int tpz_valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255) return 0;
    const char *p = s;
    for (;;) {
        const char *q = p;
        if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || *q == '.' || *q == '_')) return 0;
        q++;
        while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '.' ||
               *q == '_' || *q == '-' || *q == '+')
            q++;
        if ((q - p == 1 && p[0] == '.') || (q - p == 2 && p[0] == '.' && p[1] == '.')) return 0;
        if (*q == 0) return 1;
        if (*q != '/') return 0;
        p = q + 1;
    }
}

/* ---- the per-runtime cache ---- */

typedef struct tpz_name { char *name; int primary; } tpz_name;   /* primary: index into names */
typedef struct tpz_loaded { char *primary; tpz_zone *zone; } tpz_loaded;

typedef struct tpz_cache {
    char dir[4096];
    int names_read;         /* 1: tried tzdata.zi; names may still be empty */
    tpz_name *names;        /* sorted case-insensitively */
    int nnames;
    tpz_loaded *zones;
    int nzones, capzones;
} tpz_cache;

static void cache_free(void *p)
{
    tpz_cache *c = p;
    if (!c) return;
    for (int i = 0; i < c->nnames; i++) free(c->names[i].name);
    free(c->names);
    for (int i = 0; i < c->nzones; i++) { free(c->zones[i].primary); tpz_free(c->zones[i].zone); }
    free(c->zones);
    free(c);
}

static tpz_cache *get_cache(js_runtime *rt)
{
    if (rt->tz_cache) return rt->tz_cache;
    tpz_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    const char *d = getenv("TZDIR");
    snprintf(c->dir, sizeof c->dir, "%s", d && d[0] == '/' ? d : "/usr/share/zoneinfo");
    rt->tz_cache = c;
    rt->tz_cache_free = cache_free;
    return c;
}

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > TPZ_MAX_FILE) { close(fd); return -1; }
    unsigned char *b = malloc((size_t)st.st_size + 1);
    if (!b) { close(fd); return -1; }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    *buf = b;
    *len = got;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcasecmp(((const tpz_name *)a)->name, ((const tpz_name *)b)->name);
}

static int find_name(const tpz_cache *c, const char *s)
{
    int lo = 0, hi = c->nnames - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, r = strcasecmp(s, c->names[mid].name);
        if (!r) return mid;
        if (r < 0) hi = mid - 1; else lo = mid + 1;
    }
    return -1;
}

/* Reads the zone and link names from tzdata.zi ("Z name ..." and
 * "L target name" lines): the one list that names every zone and says which
 * names are links. Without it, names are checked against the files alone. */
static void load_names(tpz_cache *c)
{
    c->names_read = 1;
    char path[4200];
    snprintf(path, sizeof path, "%s/tzdata.zi", c->dir);
    unsigned char *buf;
    size_t len;
    if (read_file(path, &buf, &len) < 0) return;
    buf[len] = 0;
    int cap = 0, n = 0;
    tpz_name *v = NULL;
    char **targets = NULL;
    for (char *line = (char *)buf; line && *line;) {
        char *next = strchr(line, '\n');
        if (next) *next++ = 0;
        char a[256], b[256];
        int kind = 0;
        if (line[0] == 'Z' && line[1] == ' ' && sscanf(line + 2, "%255s", a) == 1) kind = 1;
        else if (line[0] == 'L' && line[1] == ' ' && sscanf(line + 2, "%255s %255s", b, a) == 2) kind = 2;
        if (kind && tpz_valid_name(a)) {
            if (n == cap) {
                cap = cap ? cap * 2 : 1024;
                tpz_name *nv = realloc(v, sizeof *v * cap);
                char **nt = realloc(targets, sizeof *targets * cap);
                if (nv) v = nv;
                if (nt) targets = nt;
                if (!nv || !nt) break;
            }
            v[n].name = strdup(a);
            targets[n] = kind == 2 ? strdup(b) : NULL;
            if (!v[n].name || (kind == 2 && !targets[n])) { free(v[n].name); free(targets[n]); break; }
            v[n].primary = -1;
            n++;
        }
        line = next;
    }
    free(buf);
    /* Sort, keeping each entry's link target, then resolve the targets. */
    tpz_name *sorted = n ? malloc(sizeof *sorted * n) : NULL;
    int *pos = n ? malloc(sizeof(int) * n) : NULL;
    if (sorted && pos) {
        for (int i = 0; i < n; i++) { sorted[i] = v[i]; sorted[i].primary = i; }
        qsort(sorted, (size_t)n, sizeof *sorted, name_cmp);
        for (int i = 0; i < n; i++) pos[sorted[i].primary] = i;     /* entry -> sorted index */
        c->names = sorted;
        c->nnames = n;
        for (int i = 0; i < n; i++) {
            int p = pos[i];
            if (targets[i]) {
                int k = find_name(c, targets[i]);
                if (k >= 0) p = k;
            }
            c->names[pos[i]].primary = p;
        }
        /* A link to a link: follow it to the zone (tzdata keeps chains short). */
        for (int i = 0; i < n; i++) {
            int p = c->names[i].primary;
            for (int hop = 0; hop < 8 && c->names[p].primary != p; hop++) p = c->names[p].primary;
            c->names[i].primary = p;
        }
        sorted = NULL;
    } else {
        for (int i = 0; i < n; i++) free(v[i].name);
    }
    free(sorted);
    free(pos);
    for (int i = 0; i < n; i++) free(targets[i]);
    free(targets);
    free(v);
}

/* ECMA-402 makes "UTC" the primary name of every UTC alias. */
static int utc_primary(const char *p)
{
    return !strcasecmp(p, "Etc/UTC") || !strcasecmp(p, "Etc/GMT") || !strcasecmp(p, "GMT") || !strcasecmp(p, "UTC");
}

static const char *const utc_builtin[] = { "UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu",
                                           "Universal", "Zulu", "Etc/UCT", "UCT", "Etc/GMT0", "GMT0",
                                           "Etc/GMT+0", "Etc/GMT-0", "GMT+0", "GMT-0", "Etc/Greenwich", "Greenwich" };

/* Loads the parsed zone for primary name p (cached). 0 ok, -1 RangeError thrown. */
static int load_zone(js_thread *t, tpz_cache *c, const char *p, const tpz_zone **out, const char **primary)
{
    for (int i = 0; i < c->nzones; i++)
        if (!strcmp(c->zones[i].primary, p)) { *out = c->zones[i].zone; *primary = c->zones[i].primary; return 0; }
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", c->dir, p);
    unsigned char *buf;
    size_t len;
    if (read_file(path, &buf, &len) < 0) { jsvm_throw_range_error(t, "time zone %s: cannot read %s", p, path); return -1; }
    tpz_zone *z;
    char err[128];
    int r = tpz_parse(buf, len, &z, err, sizeof err);
    free(buf);
    if (r < 0) { jsvm_throw_range_error(t, "time zone %s: %s (%s)", p, err, path); return -1; }
    if (c->nzones == c->capzones) {
        int nc = c->capzones ? c->capzones * 2 : 16;
        tpz_loaded *nz = realloc(c->zones, sizeof *nz * nc);
        if (!nz) { tpz_free(z); jsvm_throw_range_error(t, "out of memory"); return -1; }
        c->zones = nz; c->capzones = nc;
    }
    char *dup = strdup(p);
    if (!dup) { tpz_free(z); jsvm_throw_range_error(t, "out of memory"); return -1; }
    c->zones[c->nzones].primary = dup;
    c->zones[c->nzones].zone = z;
    c->nzones++;
    *out = z;
    *primary = dup;
    return 0;
}

int tp_zone_lookup(js_thread *t, const char *id, char *name, size_t cap, tp_zone *z)
{
    tpz_cache *c = get_cache(t->rt);
    if (!c) { jsvm_throw_range_error(t, "out of memory"); return -1; }
    z->db = NULL; z->fixed = 0; z->named = 1; z->primary = "UTC";
    /* UTC and its aliases need no file (nor the name list: most scripts use only these). */
    for (size_t k = 0; k < sizeof utc_builtin / sizeof utc_builtin[0]; k++)
        if (!strcasecmp(id, utc_builtin[k])) { snprintf(name, cap, "%s", utc_builtin[k]); return 0; }
    if (!c->names_read) load_names(c);
    if (tpz_valid_name(id)) {
        int i = c->nnames ? find_name(c, id) : -1;
        if (i >= 0) {
            const char *p = c->names[c->names[i].primary].name;
            snprintf(name, cap, "%s", c->names[i].name);
            if (utc_primary(p)) return 0;
            const char *ign;
            z->primary = p;
            return load_zone(t, c, p, &z->db, &ign);
        }
    }
    if (!c->nnames && tpz_valid_name(id)) {
        /* No tzdata.zi: the file itself is the authority, with its name as given. */
        char path[4400];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", c->dir, id);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (load_zone(t, c, id, &z->db, &z->primary) < 0) return -1;
            snprintf(name, cap, "%s", id);
            return 0;
        }
    }
    jsvm_throw_range_error(t, "unknown time zone: %s", id);
    return -1;
}

/* The primary identifier of the host's zone: TZ if it names a zone (":Area/City"
 * too), else the /etc/localtime link target below a zoneinfo directory, else UTC. */
void tp_zone_system(js_thread *t, char *out, size_t cap)
{
    tpz_cache *c = get_cache(t->rt);
    char cand[2][512];
    int n = 0;
    const char *tz = getenv("TZ");
    if (tz && *tz) {
        if (*tz == ':') tz++;
        if (c && !strncmp(tz, c->dir, strlen(c->dir)) && tz[strlen(c->dir)] == '/') tz += strlen(c->dir) + 1;
        snprintf(cand[n++], sizeof cand[0], "%s", tz);
    }
    char link[512];
    ssize_t r = readlink("/etc/localtime", link, sizeof link - 1);
    if (r > 0) {
        link[r] = 0;
        const char *p = strstr(link, "zoneinfo/");
        if (p) {
            p += 9;
            if (!strncmp(p, "posix/", 6)) p += 6;
            else if (!strncmp(p, "right/", 6)) p += 6;
            snprintf(cand[n++], sizeof cand[0], "%s", p);
        }
    }
    for (int i = 0; i < n; i++) {
        char name[300];
        tp_zone z;
        if (!tpz_valid_name(cand[i])) continue;
        if (tp_zone_lookup(t, cand[i], name, sizeof name, &z) == 0) {
            snprintf(out, cap, "%s", z.primary);
            return;
        }
        jsvm_take_exception(t);
    }
    snprintf(out, cap, "UTC");
}

/* ---- Temporal's time zone operations over tp_zone ---- */

#define NS_DAY128 ((__int128)SEC_DAY * NS_SEC)

int64_t tp_zone_offset(const tp_zone *z, __int128 epoch_ns)
{
    return z->db ? tpz_offset_ns(z->db, epoch_ns) : z->fixed;
}

int tp_zone_possible(js_thread *t, const tp_zone *z, tp_date d, tp_time tm, __int128 out[2])
{
    __int128 local = tp_utc_epoch_ns(d, tm);
    /* CheckISODaysRange on the UTC date for one-offset zones. A named zone's
     * wall clock may lie a day outside (its instants are checked below). */
    __int128 u = local - z->fixed;
    int64_t days = z->db ? tp_epoch_days(d.year, d.month, d.day) : (int64_t)(u / NS_DAY128 - (u % NS_DAY128 < 0));
    int64_t lim = z->db ? 100000001 : 100000000;
    if (days > lim || days < -lim) {
        jsvm_throw_range_error(t, "date outside the supported range");
        return -1;
    }
    int n;
    if (z->db) n = tpz_possible(z->db, local, out);
    else { out[0] = local - z->fixed; n = 1; }
    for (int i = 0; i < n; i++)
        if (!tp_valid_epoch_ns(out[i])) { jsvm_throw_range_error(t, "instant outside the supported range"); return -1; }
    return n;
}

int tp_zone_epoch_ns(js_thread *t, const tp_zone *z, tp_date d, tp_time tm, int disamb, __int128 *out)
{
    __int128 c[2];
    int n = tp_zone_possible(t, z, d, tm, c);
    if (n < 0) return -1;
    if (n == 1) { *out = c[0]; return 0; }
    if (n == 2) {
        if (disamb == 3) { jsvm_throw_range_error(t, "wall-clock time is ambiguous in this time zone"); return -1; }
        *out = disamb == 2 ? c[1] : c[0];
        return 0;
    }
    if (disamb == 3) { jsvm_throw_range_error(t, "wall-clock time does not exist in this time zone"); return -1; }
    /* In a gap: move the wall clock by the gap's length and try again. */
    __int128 local = tp_utc_epoch_ns(d, tm);
    __int128 before = local - NS_DAY128, after = local + NS_DAY128;
    if (!tp_valid_epoch_ns(before) || !tp_valid_epoch_ns(after)) {
        jsvm_throw_range_error(t, "instant outside the supported range");
        return -1;
    }
    __int128 gap = (__int128)tp_zone_offset(z, after) - tp_zone_offset(z, before);
    tp_date d2; tp_time t2;
    tp_epoch_to_parts(disamb == 1 ? local - gap : local + gap, &d2, &t2);
    if (!tp_datetime_in_limits(d2, t2)) { jsvm_throw_range_error(t, "date-time outside the supported range"); return -1; }
    n = tp_zone_possible(t, z, d2, t2, c);
    if (n < 0) return -1;
    if (n == 0) { jsvm_throw_range_error(t, "cannot resolve a wall-clock time in this time zone"); return -1; }
    *out = disamb == 1 ? c[0] : c[n - 1];
    return 0;
}

int tp_zone_start_of_day(js_thread *t, const tp_zone *z, tp_date d, __int128 *out)
{
    tp_time mid = { 0, 0, 0, 0, 0, 0 };
    __int128 c[2];
    int n = tp_zone_possible(t, z, d, mid, c);
    if (n < 0) return -1;
    if (n > 0) { *out = c[0]; return 0; }
    /* Midnight falls in a gap: the day starts at the transition that skips it. */
    __int128 r;
    if (!z->db || !tpz_transition(z->db, tp_utc_epoch_ns(d, mid) - NS_DAY128, 1, &r) || !tp_valid_epoch_ns(r)) {
        jsvm_throw_range_error(t, "cannot find the start of the day");
        return -1;
    }
    *out = r;
    return 0;
}

int tp_zone_transition(const tp_zone *z, __int128 epoch_ns, int next, __int128 *out)
{
    if (!z->db) return 0;
    __int128 r;
    if (!tpz_transition(z->db, epoch_ns, next, &r) || !tp_valid_epoch_ns(r)) return 0;
    *out = r;
    return 1;
}

int tp_zone_wall_offset(js_thread *t, const tp_zone *z, tp_date d, tp_time tm, int has_given, int64_t given,
                        int match_minutes, int64_t *out)
{
    if (!z->db) { *out = z->fixed; return 0; }
    __int128 c[2], ns, local = tp_utc_epoch_ns(d, tm);
    int n = tp_zone_possible(t, z, d, tm, c);
    if (n < 0) return -1;
    for (int i = 0; has_given && i < n; i++) {
        int64_t off = (int64_t)(local - c[i]);
        if (off == given || (match_minutes && (int64_t)tp_round_i128(off, 60000000000LL, RM_HALF_EXPAND) == given)) {
            *out = off;
            return 0;
        }
    }
    if (tp_zone_epoch_ns(t, z, d, tm, 0, &ns) < 0) return -1;
    *out = (int64_t)(local - ns);
    return 0;
}

int tp_zone_equal(const tp_zone *a, const tp_zone *b)
{
    if (a->named != b->named) return 0;
    if (!a->named) return a->fixed == b->fixed;
    return !strcmp(a->primary, b->primary);
}
