/*
 * calendar.c - pure ISO 8601 calendar math, formatting and RFC 9557 string
 * parsing for Temporal. No engine state, no allocation: it is unit-testable
 * on its own (define TP_PURE_ONLY). Must not call into the VM.
 */
#define TP_PURE_ONLY
#include "temporal.h"
#include <string.h>
#include <stdio.h>

static int64_t floordiv(int64_t a, int64_t b) { int64_t q = a / b; if ((a % b) && ((a < 0) != (b < 0))) q--; return q; }
static int64_t floormod(int64_t a, int64_t b) { return a - floordiv(a, b) * b; }

int tp_is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int tp_days_in_month(int64_t y, int m)
{
    static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2) return tp_is_leap(y) ? 29 : 28;
    return dm[(m - 1) % 12];
}

int64_t tp_epoch_days(int64_t y, int64_t m, int64_t d)
{
    y += floordiv(m - 1, 12);
    m = floormod(m - 1, 12) + 1;
    y -= m <= 2;
    int64_t era = floordiv(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

tp_date tp_from_epoch_days(int64_t z)
{
    z += 719468;
    int64_t era = floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    tp_date r = { (int32_t)(y + (m <= 2)), (int32_t)m, (int32_t)d };
    return r;
}

int tp_day_of_week(tp_date d)
{
    int64_t w = floormod(tp_epoch_days(d.year, d.month, d.day) + 3, 7);  /* 1970-01-01 was Thursday */
    return (int)w + 1;
}

int tp_day_of_year(tp_date d)
{
    return (int)(tp_epoch_days(d.year, d.month, d.day) - tp_epoch_days(d.year, 1, 1)) + 1;
}

static int weeks_in_year(int64_t y)
{
    tp_date j1 = { (int32_t)y, 1, 1 };
    int wd = tp_day_of_week(j1);
    if (wd == 4 || (wd == 3 && tp_is_leap(y))) return 53;
    return 52;
}

void tp_week_of_year(tp_date d, int *week, int32_t *year)
{
    int doy = tp_day_of_year(d), dow = tp_day_of_week(d);
    int w = (doy - dow + 10) / 7;
    int32_t y = d.year;
    if (w < 1) { y--; w = weeks_in_year(y); }
    else if (w > weeks_in_year(y)) { y++; w = 1; }
    *week = w;
    *year = y;
}

int tp_valid_date(double y, double m, double d)
{
    if (m < 1 || m > 12 || d < 1) return 0;
    if (y < -1e9 || y > 1e9) return 0;
    return d <= tp_days_in_month((int64_t)y, (int)m);
}

int tp_valid_time(double h, double mi, double s, double ms, double us, double ns)
{
    return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 &&
           ms >= 0 && ms <= 999 && us >= 0 && us <= 999 && ns >= 0 && ns <= 999;
}

int tp_date_in_limits(tp_date d)
{
    int64_t e = tp_epoch_days(d.year, d.month, d.day);
    return e >= -100000001 && e <= 100000000;
}

int tp_datetime_in_limits(tp_date d, tp_time t)
{
    int64_t e = tp_epoch_days(d.year, d.month, d.day);
    if (e > -100000001 && e < 100000000) return 1;
    if (e == -100000001) return tp_time_ns(t) > 0;
    if (e == 100000000) return 1;
    return 0;
}

int tp_compare_date(tp_date a, tp_date b)
{
    if (a.year != b.year) return a.year < b.year ? -1 : 1;
    if (a.month != b.month) return a.month < b.month ? -1 : 1;
    if (a.day != b.day) return a.day < b.day ? -1 : 1;
    return 0;
}

int64_t tp_time_ns(tp_time t)
{
    return ((((int64_t)t.hour * 60 + t.minute) * 60 + t.second) * 1000000000LL) +
           (int64_t)t.ms * 1000000 + (int64_t)t.us * 1000 + t.ns;
}

int tp_compare_time(tp_time a, tp_time b)
{
    int64_t x = tp_time_ns(a), y = tp_time_ns(b);
    return x < y ? -1 : x > y;
}

tp_time tp_time_from_ns(int64_t ns)
{
    tp_time r;
    r.ns = (int32_t)(ns % 1000); ns /= 1000;
    r.us = (int32_t)(ns % 1000); ns /= 1000;
    r.ms = (int32_t)(ns % 1000); ns /= 1000;
    r.second = (int32_t)(ns % 60); ns /= 60;
    r.minute = (int32_t)(ns % 60); ns /= 60;
    r.hour = (int32_t)ns;
    return r;
}

tp_date tp_constrain_date(double y, double m, double d)
{
    tp_date r;
    if (m < 1) m = 1;
    if (m > 12) m = 12;
    r.year = (int32_t)(y < -1e9 ? -1e9 : y > 1e9 ? 1e9 : y);
    r.month = (int32_t)m;
    int dim = tp_days_in_month(r.year, r.month);
    if (d < 1) d = 1;
    if (d > dim) d = dim;
    r.day = (int32_t)d;
    return r;
}

int tp_format_year(char *buf, int32_t y)
{
    if (y >= 0 && y <= 9999) return sprintf(buf, "%04d", (int)y);
    return sprintf(buf, "%c%06d", y < 0 ? '-' : '+', (int)(y < 0 ? -(int64_t)y : y));
}

int tp_format_date(char *buf, tp_date d)
{
    int n = tp_format_year(buf, d.year);
    return n + sprintf(buf + n, "-%02d-%02d", (int)d.month, (int)d.day);
}

int tp_format_time(char *buf, tp_time t, int precision)
{
    int n = sprintf(buf, "%02d:%02d", (int)t.hour, (int)t.minute);
    if (precision == -2) return n;
    n += sprintf(buf + n, ":%02d", (int)t.second);
    int frac = t.ms * 1000000 + t.us * 1000 + t.ns;
    char f[16];
    sprintf(f, "%09d", frac);
    int digits;
    if (precision == -1) {
        digits = 9;
        while (digits > 0 && f[digits - 1] == '0') digits--;
    } else {
        digits = precision;
    }
    if (digits > 0) {
        buf[n++] = '.';
        memcpy(buf + n, f, digits);
        n += digits;
        buf[n] = 0;
    }
    return n;
}

/* ---- parsing ---- */

typedef struct cur { const char *s; size_t i, n; } cur;

static int peek(cur *c) { return c->i < c->n ? (unsigned char)c->s[c->i] : -1; }
static int isdig(int ch) { return ch >= '0' && ch <= '9'; }
static int digits(cur *c, int k, int *out)
{
    int v = 0;
    for (int j = 0; j < k; j++) {
        if (c->i + j >= c->n || !isdig((unsigned char)c->s[c->i + j])) return 0;
        v = v * 10 + (c->s[c->i + j] - '0');
    }
    c->i += k;
    *out = v;
    return 1;
}

static int parse_year(cur *c, int32_t *y)
{
    int ch = peek(c);
    if (ch == '+' || ch == '-') {
        int v;
        c->i++;
        if (!digits(c, 6, &v)) return 0;
        if (ch == '-' && v == 0) return 0;
        *y = ch == '-' ? -v : v;
        return 1;
    }
    int v;
    if (!digits(c, 4, &v)) return 0;
    *y = v;
    return 1;
}

/* Fraction after '.' or ',': 1..9 digits into ns. */
static int parse_fraction(cur *c, int32_t *ns)
{
    int ch = peek(c);
    if (ch != '.' && ch != ',') { *ns = 0; return 1; }
    c->i++;
    int k = 0, v = 0;
    while (isdig(peek(c))) {
        if (k == 9) return 0;
        v = v * 10 + (c->s[c->i] - '0');
        c->i++;
        k++;
    }
    if (k == 0) return 0;
    while (k < 9) { v *= 10; k++; }
    *ns = v;
    return 1;
}

static int parse_time_spec(cur *c, tp_time *t)
{
    int h, m = 0, s = 0;
    memset(t, 0, sizeof *t);
    if (!digits(c, 2, &h) || h > 23) return 0;
    t->hour = h;
    int sep = peek(c) == ':';
    if (sep) c->i++;
    if (!isdig(peek(c))) { if (sep) return 0; return 1; }
    if (!digits(c, 2, &m) || m > 59) return 0;
    t->minute = m;
    if (sep) { if (peek(c) != ':') return 1; c->i++; }
    else if (!isdig(peek(c))) return 1;
    if (!digits(c, 2, &s) || s > 60) return 0;
    t->second = s == 60 ? 59 : s;
    int32_t f;
    if (!parse_fraction(c, &f)) return 0;
    t->ms = f / 1000000; t->us = f / 1000 % 1000; t->ns = f % 1000;
    return 1;
}

/* ±HH[:MM[:SS[.f]]] or compact; sub-minute parts only when allow_sub. */
static int parse_offset(cur *c, int64_t *ns, int *sub, int allow_sub)
{
    int ch = peek(c), h, m = 0, s = 0;
    int32_t f = 0;
    if (ch != '+' && ch != '-') return 0;
    c->i++;
    *sub = 0;
    if (!digits(c, 2, &h) || h > 23) return 0;
    int sep = peek(c) == ':';
    if (sep) c->i++;
    if (isdig(peek(c))) {
        if (!digits(c, 2, &m) || m > 59) return 0;
        int has_s = 0;
        if (sep && peek(c) == ':') { c->i++; has_s = 1; }
        else if (!sep && isdig(peek(c))) has_s = 1;
        if (has_s) {
            if (!allow_sub) return 0;
            if (!digits(c, 2, &s) || s > 59) return 0;
            if (!parse_fraction(c, &f)) return 0;
            *sub = 1;
        }
    } else if (sep) return 0;
    int64_t v = (((int64_t)h * 60 + m) * 60 + s) * 1000000000LL + f;
    *ns = ch == '-' ? -v : v;
    return 1;
}

int tp_parse_offset(const char *s, size_t len, int64_t *ns, int *subminute)
{
    cur c = { s, 0, len };
    if (!parse_offset(&c, ns, subminute, 1) || c.i != len) return -1;
    return 0;
}

static int is_tz_lead(int ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '_'; }
static int is_tz_char(int ch) { return is_tz_lead(ch) || isdig(ch) || ch == '-' || ch == '+'; }
static int is_lower(int ch) { return ch >= 'a' && ch <= 'z'; }
static int is_alnum(int ch) { return isdig(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

static int parse_annotations(cur *c, tp_parsed *out)
{
    int first = 1, ca_count = 0, ca_critical = 0;
    while (peek(c) == '[') {
        c->i++;
        int critical = 0;
        if (peek(c) == '!') { critical = 1; c->i++; }
        size_t start = c->i;
        /* key=value annotation? */
        size_t j = start;
        while (j < c->n && c->s[j] != ']' && c->s[j] != '=') j++;
        if (j < c->n && c->s[j] == '=') {
            /* key */
            if (!(is_lower(c->s[start]) || c->s[start] == '_')) return 0;
            for (size_t k = start + 1; k < j; k++) {
                int ch = (unsigned char)c->s[k];
                if (!(is_lower(ch) || isdig(ch) || ch == '_' || ch == '-')) return 0;
            }
            size_t klen = j - start;
            c->i = j + 1;
            size_t vstart = c->i;
            for (;;) {
                size_t p = c->i;
                while (is_alnum(peek(c))) c->i++;
                if (c->i == p) return 0;
                if (peek(c) == '-') { c->i++; continue; }
                break;
            }
            if (peek(c) != ']') return 0;
            size_t vlen = c->i - vstart;
            c->i++;
            if (klen == 4 && !memcmp(c->s + start, "u-ca", 4)) {
                if (ca_count == 0) {
                    if (vlen >= sizeof out->calendar) return 0;
                    memcpy(out->calendar, c->s + vstart, vlen);
                    out->calendar[vlen] = 0;
                }
                ca_count++;
                if (critical) ca_critical = 1;
            } else if (critical) {
                return 0;
            }
            first = 0;
            continue;
        }
        if (!first) return 0;
        first = 0;
        /* time zone annotation */
        int ch = peek(c);
        if (ch == '+' || ch == '-') {
            int64_t ns; int sub;
            if (!parse_offset(c, &ns, &sub, 0)) return 0;
            out->tz_is_offset = 1;
        } else {
            for (;;) {
                if (!is_tz_lead(peek(c))) return 0;
                while (is_tz_char(peek(c))) c->i++;
                if (peek(c) == '/') { c->i++; continue; }
                break;
            }
        }
        if (peek(c) != ']') return 0;
        size_t tlen = c->i - start;
        if (tlen >= sizeof out->tz) return 0;
        memcpy(out->tz, c->s + start, tlen);
        out->tz[tlen] = 0;
        c->i++;
    }
    if (ca_count > 1 && ca_critical) return 0;
    return c->i == c->n;
}

static int parse_date(cur *c, tp_date *d)
{
    int32_t y; int m, dd;
    if (!parse_year(c, &y)) return 0;
    int sep = peek(c) == '-';
    if (sep) c->i++;
    if (!digits(c, 2, &m)) return 0;
    if (sep) { if (peek(c) != '-') return 0; c->i++; }
    if (!digits(c, 2, &dd)) return 0;
    if (m < 1 || m > 12 || dd < 1 || dd > tp_days_in_month(y, m)) return 0;
    d->year = y; d->month = m; d->day = dd;
    return 1;
}

static int parse_datetime(cur *c, tp_parsed *out, int time_required)
{
    if (!parse_date(c, &out->date)) return 0;
    out->has_date = 1;
    int ch = peek(c);
    if (ch == 'T' || ch == 't' || ch == ' ') {
        c->i++;
        if (!parse_time_spec(c, &out->time)) return 0;
        out->has_time = 1;
        ch = peek(c);
        if (ch == 'Z' || ch == 'z') { c->i++; out->has_z = 1; }
        else if (ch == '+' || ch == '-') {
            if (!parse_offset(c, &out->offset_ns, &out->offset_has_subminute, 1)) return 0;
            out->has_offset = 1;
        }
    } else if (time_required) {
        return 0;
    }
    return parse_annotations(c, out);
}

static int try_parse(const char *s, size_t len, tp_parsed *out, int (*fn)(cur *, tp_parsed *))
{
    cur c = { s, 0, len };
    memset(out, 0, sizeof *out);
    return fn(&c, out);
}

static int p_datetime(cur *c, tp_parsed *o) { return parse_datetime(c, o, 0); }
static int p_datetime_treq(cur *c, tp_parsed *o) { return parse_datetime(c, o, 1); }

static int p_time(cur *c, tp_parsed *o)
{
    int ch = peek(c);
    int had_t = 0;
    if (ch == 'T' || ch == 't') { c->i++; had_t = 1; }
    if (!parse_time_spec(c, &o->time)) return 0;
    o->has_time = 1;
    ch = peek(c);
    if (ch == 'Z' || ch == 'z') { c->i++; o->has_z = 1; }
    else if (ch == '+' || ch == '-') {
        if (!parse_offset(c, &o->offset_ns, &o->offset_has_subminute, 1)) return 0;
        o->has_offset = 1;
    }
    if (!parse_annotations(c, o)) return 0;
    if (!had_t) {
        /* Ambiguity with a month-day or year-month: reject those readings. */
        tp_parsed tmp;
        const char *s = c->s;
        size_t n = 0;
        while (n < c->n && s[n] != '[') n++;
        int m, d;
        cur c2 = { s, 0, n };
        /* MM-DD or MMDD */
        if ((n == 5 && s[2] == '-') || n == 4) {
            c2.i = 0;
            if (digits(&c2, 2, &m)) {
                if (c2.i < c2.n && s[c2.i] == '-') c2.i++;
                if (digits(&c2, 2, &d) && c2.i == n && m >= 1 && m <= 12 && d >= 1 &&
                    d <= tp_days_in_month(2000, m))
                    return 0;
            }
        }
        /* YYYY-MM or YYYYMM */
        if ((n == 7 && s[4] == '-') || n == 6) {
            c2.i = 0;
            int32_t y;
            if (parse_year(&c2, &y)) {
                if (c2.i < c2.n && s[c2.i] == '-') c2.i++;
                if (digits(&c2, 2, &m) && c2.i == n && m >= 1 && m <= 12)
                    return 0;
            }
        }
        (void)tmp;
    }
    return 1;
}

static int p_yearmonth(cur *c, tp_parsed *o)
{
    int32_t y; int m;
    if (!parse_year(c, &y)) return 0;
    if (peek(c) == '-') c->i++;
    if (!digits(c, 2, &m) || m < 1 || m > 12) return 0;
    o->date.year = y; o->date.month = m; o->date.day = 1;
    o->has_date = 1;
    return parse_annotations(c, o);
}

static int p_monthday(cur *c, tp_parsed *o)
{
    int m, d;
    if (peek(c) == '-' && c->i + 1 < c->n && c->s[c->i + 1] == '-') c->i += 2;
    if (!digits(c, 2, &m)) return 0;
    if (peek(c) == '-') c->i++;
    if (!digits(c, 2, &d)) return 0;
    if (m < 1 || m > 12 || d < 1 || d > tp_days_in_month(1972, m)) return 0;
    o->date.year = 1972; o->date.month = m; o->date.day = d;
    o->has_date = 1;
    o->year_absent = 1;
    return parse_annotations(c, o);
}

int tp_parse(const char *s, size_t len, int kind, tp_parsed *out)
{
    switch (kind) {
    case TP_PARSE_TIME:
        if (try_parse(s, len, out, p_datetime_treq)) return 0;
        if (try_parse(s, len, out, p_time)) return 0;
        return -1;
    case TP_PARSE_YEARMONTH:
        if (try_parse(s, len, out, p_datetime)) return 0;
        if (try_parse(s, len, out, p_yearmonth)) return 0;
        return -1;
    case TP_PARSE_MONTHDAY:
        if (try_parse(s, len, out, p_datetime)) return 0;
        if (try_parse(s, len, out, p_monthday)) return 0;
        return -1;
    case TP_PARSE_INSTANT:
        if (!try_parse(s, len, out, p_datetime_treq)) return -1;
        if (!out->has_z && !out->has_offset) return -1;
        return 0;
    case TP_PARSE_ZONED:
        if (!try_parse(s, len, out, p_datetime)) return -1;
        if (!out->tz[0]) return -1;
        return 0;
    default:
        if (!try_parse(s, len, out, p_datetime)) return -1;
        return 0;
    }
}
