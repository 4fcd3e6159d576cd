/*
 * date.c - the Date constructor, Date.now/parse/UTC and Date.prototype
 * (ECMA-262 21.4 and Annex B getYear/setYear/toGMTString): time arithmetic,
 * local time through the C library's time-zone database (localtime_r honours
 * TZ), formatting and the string parser.
 * Must not touch: anything but the Date intrinsics and the Date global; keeps
 * no state outside the Date objects themselves.
 */
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include "builtins.h"

#define MS_PER_SECOND 1000.0
#define MS_PER_MINUTE 60000.0
#define MS_PER_HOUR   3600000.0
#define MS_PER_DAY    86400000.0
/* TimeClip's range: 100,000,000 days either side of the epoch. */
#define MAX_TIME      8.64e15

static const char month_names[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char day_names[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

/* ---- time arithmetic (21.4.1) ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm),
 * month 1..12. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m /* 1..12 */)
{
    static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* The broken-down fields of a finite time value. */
typedef struct date_fields {
    double year, month, date, hour, min, sec, ms;   /* month 0..11 */
    int wday;
} date_fields;

static void split_time(double t, date_fields *f)
{
    double day = floor(t / MS_PER_DAY);
    double ms = t - day * MS_PER_DAY;
    int64_t y;
    int m, d;
    civil_from_days((int64_t)day, &y, &m, &d);
    f->year = (double)y;
    f->month = m - 1;
    f->date = d;
    int64_t msi = (int64_t)ms;
    f->hour = (double)(msi / 3600000);
    f->min = (double)(msi / 60000 % 60);
    f->sec = (double)(msi / 1000 % 60);
    f->ms = (double)(msi % 1000);
    int64_t wd = ((int64_t)day + 4) % 7;
    f->wday = (int)(wd < 0 ? wd + 7 : wd);
}

static double make_time(double h, double m, double s, double ms)
{
    if (!isfinite(h) || !isfinite(m) || !isfinite(s) || !isfinite(ms))
        return NAN;
    return ((trunc(h) * MS_PER_HOUR + trunc(m) * MS_PER_MINUTE) + trunc(s) * MS_PER_SECOND) + trunc(ms);
}

static double make_day(double year, double month, double date)
{
    if (!isfinite(year) || !isfinite(month) || !isfinite(date))
        return NAN;
    double y = trunc(year), m = trunc(month), dt = trunc(date);
    /* Beyond these the result is far outside TimeClip's range anyway (the
     * same limits as V8), and int64 arithmetic below stays exact. */
    if (fabs(y) > 1e6 || fabs(m) > 1e7)
        return NAN;
    double ym = y + floor(m / 12);
    int mn = (int)(m - floor(m / 12) * 12);
    return (double)days_from_civil((int64_t)ym, mn + 1, 1) + dt - 1;
}

static double make_date(double day, double time)
{
    if (!isfinite(day) || !isfinite(time))
        return NAN;
    double tv = day * MS_PER_DAY + time;
    return isfinite(tv) ? tv : NAN;
}

static double time_clip(double t)
{
    if (!isfinite(t) || fabs(t) > MAX_TIME)
        return NAN;
    return trunc(t) + 0.0;      /* + 0.0 turns -0 into +0 */
}

/* ---- local time ---- */

/* Offset of local time from UTC in ms at UTC instant t, plus the zone's
 * abbreviation when asked. */
static double tz_offset(double t, char *abbr, size_t abbr_len)
{
    double secs = floor(t / 1000.0);
    time_t tt;
    struct tm tm;
    /* Outside time_t or the C library's year range: use the nearest year
     * the library handles (the rules there are the extrapolated ones). */
    if (secs > 8.6e15) secs = 8.6e15;
    if (secs < -8.6e15) secs = -8.6e15;
    tt = (time_t)secs;
    if (!localtime_r(&tt, &tm)) {
        if (abbr) snprintf(abbr, abbr_len, "UTC");
        return 0;
    }
    if (abbr) snprintf(abbr, abbr_len, "%s", tm.tm_zone ? tm.tm_zone : "");
    return (double)tm.tm_gmtoff * 1000.0;
}

static double local_time(double t)
{
    return t + tz_offset(t, NULL, 0);
}

/*
 * UTC(t) for a local time t: a local time inside a repeated hour (DST ends)
 * or a skipped one (DST starts) is read with the offset in force before the
 * transition (21.4.1.26), which is the offset a day earlier.
 */
static double utc_time(double t)
{
    if (!isfinite(t))
        return NAN;
    double before = tz_offset(t - MS_PER_DAY, NULL, 0);
    double u1 = t - before;
    if (tz_offset(u1, NULL, 0) == before)
        return u1;
    double after = tz_offset(t + MS_PER_DAY, NULL, 0);
    double u2 = t - after;
    if (tz_offset(u2, NULL, 0) == after)
        return u2;
    return u1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000000);
}

/* ---- formatting ---- */

static const struct { const char *abbr; int offset_min; const char *name; } zone_names[] = {
    { "UTC", 0, "Coordinated Universal Time" },
    { "GMT", 0, "Greenwich Mean Time" },
    { "WET", 0, "Western European Standard Time" },
    { "WEST", 60, "Western European Summer Time" },
    { "BST", 60, "British Summer Time" },
    { "IST", 60, "Irish Standard Time" },
    { "IST", 330, "India Standard Time" },
    { "CET", 60, "Central European Standard Time" },
    { "CEST", 120, "Central European Summer Time" },
    { "EET", 120, "Eastern European Standard Time" },
    { "EEST", 180, "Eastern European Summer Time" },
    { "MSK", 180, "Moscow Standard Time" },
    { "SAST", 120, "South Africa Standard Time" },
    { "CAT", 120, "Central Africa Time" },
    { "EAT", 180, "East Africa Time" },
    { "WAT", 60, "West Africa Standard Time" },
    { "PKT", 300, "Pakistan Standard Time" },
    { "WIB", 420, "Western Indonesia Time" },
    { "HKT", 480, "Hong Kong Standard Time" },
    { "CST", 480, "China Standard Time" },
    { "AWST", 480, "Australian Western Standard Time" },
    { "JST", 540, "Japan Standard Time" },
    { "KST", 540, "Korean Standard Time" },
    { "ACST", 570, "Australian Central Standard Time" },
    { "ACDT", 630, "Australian Central Daylight Time" },
    { "AEST", 600, "Australian Eastern Standard Time" },
    { "AEDT", 660, "Australian Eastern Daylight Time" },
    { "NZST", 720, "New Zealand Standard Time" },
    { "NZDT", 780, "New Zealand Daylight Time" },
    { "HST", -600, "Hawaii-Aleutian Standard Time" },
    { "AKST", -540, "Alaska Standard Time" },
    { "AKDT", -480, "Alaska Daylight Time" },
    { "PST", -480, "Pacific Standard Time" },
    { "PDT", -420, "Pacific Daylight Time" },
    { "MST", -420, "Mountain Standard Time" },
    { "MDT", -360, "Mountain Daylight Time" },
    { "CST", -360, "Central Standard Time" },
    { "CDT", -300, "Central Daylight Time" },
    { "EST", -300, "Eastern Standard Time" },
    { "EDT", -240, "Eastern Daylight Time" },
    { "AST", -240, "Atlantic Standard Time" },
    { "ADT", -180, "Atlantic Daylight Time" },
    { "NST", -210, "Newfoundland Standard Time" },
    { "NDT", -150, "Newfoundland Daylight Time" },
};

/* "GMT+0100 (Central European Standard Time)" for UTC instant tv. */
static int format_zone(double tv, char *buf, size_t n)
{
    char abbr[32];
    double off = tz_offset(tv, abbr, sizeof abbr);
    int om = (int)(off / MS_PER_MINUTE);
    int a = om < 0 ? -om : om;
    const char *name = NULL;
    char numeric[16];
    for (size_t i = 0; i < sizeof zone_names / sizeof zone_names[0]; i++)
        if (strcmp(zone_names[i].abbr, abbr) == 0 && zone_names[i].offset_min == om) {
            name = zone_names[i].name;
            break;
        }
    if (!name) {
        if (abbr[0] && abbr[0] != '+' && abbr[0] != '-') {
            name = abbr;
        } else {
            snprintf(numeric, sizeof numeric, "GMT%c%02d:%02d", om < 0 ? '-' : '+', a / 60, a % 60);
            name = numeric;
        }
    }
    return snprintf(buf, n, "GMT%c%02d%02d (%s)", om < 0 ? '-' : '+', a / 60, a % 60, name);
}

/* Year as DateString writes it: at least four digits, '-' for negative. */
static int format_year(double y, char *buf, size_t n)
{
    long long yi = (long long)y;
    if (yi < 0) return snprintf(buf, n, "-%04lld", -yi);
    return snprintf(buf, n, "%04lld", yi);
}

enum { FMT_STRING, FMT_DATE, FMT_TIME, FMT_UTC, FMT_ISO, FMT_LOCALE, FMT_LOCALE_DATE, FMT_LOCALE_TIME };

static int format_date(double tv, int fmt, char *buf, size_t n)
{
    date_fields f;
    char year[24], zone[96];
    double lt = (fmt == FMT_UTC || fmt == FMT_ISO) ? tv : local_time(tv);
    split_time(lt, &f);
    format_year(f.year, year, sizeof year);
    switch (fmt) {
    case FMT_STRING:
        format_zone(tv, zone, sizeof zone);
        return snprintf(buf, n, "%s %s %02d %s %02d:%02d:%02d %s", day_names[f.wday],
                        month_names[(int)f.month], (int)f.date, year, (int)f.hour, (int)f.min,
                        (int)f.sec, zone);
    case FMT_DATE:
        return snprintf(buf, n, "%s %s %02d %s", day_names[f.wday], month_names[(int)f.month],
                        (int)f.date, year);
    case FMT_TIME:
        format_zone(tv, zone, sizeof zone);
        return snprintf(buf, n, "%02d:%02d:%02d %s", (int)f.hour, (int)f.min, (int)f.sec, zone);
    case FMT_UTC:
        return snprintf(buf, n, "%s, %02d %s %s %02d:%02d:%02d GMT", day_names[f.wday], (int)f.date,
                        month_names[(int)f.month], year, (int)f.hour, (int)f.min, (int)f.sec);
    case FMT_ISO: {
        long long y = (long long)f.year;
        char ys[24];
        if (y >= 0 && y <= 9999) snprintf(ys, sizeof ys, "%04lld", y);
        else snprintf(ys, sizeof ys, "%c%06lld", y < 0 ? '-' : '+', y < 0 ? -y : y);
        return snprintf(buf, n, "%s-%02d-%02dT%02d:%02d:%02d.%03dZ", ys, (int)f.month + 1, (int)f.date,
                        (int)f.hour, (int)f.min, (int)f.sec, (int)f.ms);
    }
    default: {
        /* en-US style, as engines without Intl print it. */
        int h12 = (int)f.hour % 12;
        char d[48], tm[48];
        snprintf(d, sizeof d, "%d/%d/%lld", (int)f.month + 1, (int)f.date, (long long)f.year);
        snprintf(tm, sizeof tm, "%d:%02d:%02d %s", h12 ? h12 : 12, (int)f.min, (int)f.sec,
                 f.hour < 12 ? "AM" : "PM");
        if (fmt == FMT_LOCALE_DATE) return snprintf(buf, n, "%s", d);
        if (fmt == FMT_LOCALE_TIME) return snprintf(buf, n, "%s", tm);
        return snprintf(buf, n, "%s, %s", d, tm);
    }
    }
}

static jsv ascii_value(js_thread *t, const char *s, int len)
{
    js_string *str = jsstr_new_latin1(t, (const uint8_t *)s, (size_t)len);
    return str ? jsv_string(str) : JSV_EXCEPTION;
}

/* ---- parsing (21.4.3.2) ---- */

typedef struct scan {
    const char *s;
    size_t pos, len;
} scan;

static int sc_peek(const scan *sc) { return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1; }
static int sc_digit(const scan *sc) { int c = sc_peek(sc); return c >= '0' && c <= '9'; }

/* Exactly n digits. */
static int sc_fixed(scan *sc, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!sc_digit(sc)) return 0;
        v = v * 10 + (sc->s[sc->pos++] - '0');
    }
    *out = v;
    return 1;
}

static int sc_char(scan *sc, int c)
{
    if (sc_peek(sc) != c) return 0;
    sc->pos++;
    return 1;
}

/* The Date Time String Format (21.4.1.32), strictly. NaN when the text is not
 * an instance of it (the caller then tries the other formats). */
static double parse_iso(const char *s, size_t len, int *matched)
{
    scan sc = { s, 0, len };
    int y, mon = 1, day = 1, h = 0, mi = 0, sec = 0, ms = 0;
    int sign = 1, has_time = 0, has_tz = 0, tz = 0;
    *matched = 0;
    if (sc_peek(&sc) == '+' || sc_peek(&sc) == '-') {
        sign = sc_peek(&sc) == '-' ? -1 : 1;
        sc.pos++;
        if (!sc_fixed(&sc, 6, &y)) return NAN;
        if (sign < 0 && y == 0) { *matched = 1; return NAN; }
    } else if (!sc_fixed(&sc, 4, &y)) {
        return NAN;
    }
    if (sc_char(&sc, '-')) {
        if (!sc_fixed(&sc, 2, &mon)) return NAN;
        if (sc_char(&sc, '-') && !sc_fixed(&sc, 2, &day)) return NAN;
    }
    if (sc_peek(&sc) == 'T' || sc_peek(&sc) == 't') {
        sc.pos++;
        has_time = 1;
        if (!sc_fixed(&sc, 2, &h) || !sc_char(&sc, ':') || !sc_fixed(&sc, 2, &mi)) return NAN;
        if (sc_char(&sc, ':')) {
            if (!sc_fixed(&sc, 2, &sec)) return NAN;
            if (sc_char(&sc, '.') || sc_char(&sc, ',')) {
                int nd = 0;
                if (!sc_digit(&sc)) return NAN;
                while (sc_digit(&sc)) {
                    if (nd < 3) ms = ms * 10 + (s[sc.pos] - '0');
                    nd++;
                    sc.pos++;
                }
                while (nd < 3) { ms *= 10; nd++; }
            }
        }
        if (sc_char(&sc, 'Z') || sc_char(&sc, 'z')) {
            has_tz = 1;
        } else if (sc_peek(&sc) == '+' || sc_peek(&sc) == '-') {
            int ts = sc_peek(&sc) == '-' ? -1 : 1, th = 0, tm = 0;
            sc.pos++;
            if (!sc_fixed(&sc, 2, &th) || !sc_char(&sc, ':') || !sc_fixed(&sc, 2, &tm)) return NAN;
            if (th > 23 || tm > 59) return NAN;
            has_tz = 1;
            tz = ts * (th * 60 + tm);
        }
    }
    if (sc.pos != len) return NAN;
    *matched = 1;
    double year = (double)sign * y;
    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month((int64_t)year, mon)) return NAN;
    if (h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi || sec || ms))) return NAN;
    double tv = make_date(make_day(year, mon - 1, day), make_time(h, mi, sec, ms));
    if (!has_time || has_tz) tv -= tz * MS_PER_MINUTE;
    else tv = utc_time(tv);
    return time_clip(tv);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_alpha(int c) { c = lower(c); return c >= 'a' && c <= 'z'; }

/*
 * The formats toString and toUTCString produce and the common ones other
 * engines accept: "Tue Feb 01 2022 00:00:00 GMT+0100 (CET)", "Tue, 01 Feb
 * 2022 00:00:00 GMT", "Feb 1, 2022 10:00 PM", "2022/02/01 10:00", "2/1/2022",
 * "1 February 2022 10:00:00 +0430", "2022-02-01 10:00:00Z".
 */
static double parse_legacy(const char *s, size_t len)
{
    scan sc = { s, 0, len };
    int comps[3], comp_digits[3], ncomp = 0;
    int month = -1, hour = -1, min = 0, sec = 0, ms = 0, ampm = -1;
    int has_tz = 0, tz = 0, seen_number = 0, neg_year = 0;
    while (sc.pos < len) {
        int c = sc_peek(&sc);
        if (c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '.') {
            sc.pos++;
            continue;
        }
        if (c == '(') {
            int depth = 0;
            do {
                c = sc_peek(&sc);
                if (c == '(') depth++;
                else if (c == ')') depth--;
                sc.pos++;
            } while (depth > 0 && sc.pos < len);
            continue;
        }
        if ((c == '+' || c == '-') && sc.pos + 1 < len && s[sc.pos + 1] >= '0' && s[sc.pos + 1] <= '9') {
            /* After a time or a GMT/UTC: an offset. Otherwise a date separator,
             * or the sign of a year after "Mon DD". */
            if (hour >= 0 || has_tz) {
                int sign = c == '-' ? -1 : 1, v = 0, nd = 0, th = 0, tm = 0;
                sc.pos++;
                while (sc_digit(&sc)) { if (nd < 8) v = v * 10 + (s[sc.pos] - '0'); sc.pos++; nd++; }
                if (sc_char(&sc, ':')) {
                    if (nd > 2 || !sc_fixed(&sc, 2, &tm)) return NAN;
                    th = v;
                } else if (nd <= 2) {
                    th = v; tm = 0;
                } else if (nd == 4) {
                    th = v / 100; tm = v % 100;
                } else {
                    return NAN;
                }
                if (th > 23 || tm > 59) return NAN;
                has_tz = 1;
                tz = sign * (th * 60 + tm);
                continue;
            }
            if (c == '-' && month >= 0 && ncomp == 1) neg_year = 1;
            sc.pos++;
            continue;
        }
        if (c >= '0' && c <= '9') {
            long v = 0;
            int nd = 0;
            while (sc_digit(&sc)) {
                if (v < 100000000) v = v * 10 + (s[sc.pos] - '0');
                nd++;
                sc.pos++;
            }
            seen_number = 1;
            if (sc_peek(&sc) == ':') {
                if (hour >= 0) return NAN;
                hour = v > 1000 ? 1000 : (int)v;
                sc.pos++;
                if (!sc_digit(&sc)) return NAN;
                min = 0;
                while (sc_digit(&sc)) { if (min < 1000) min = min * 10 + (s[sc.pos] - '0'); sc.pos++; }
                if (sc_char(&sc, ':')) {
                    if (!sc_digit(&sc)) return NAN;
                    while (sc_digit(&sc)) { if (sec < 1000) sec = sec * 10 + (s[sc.pos] - '0'); sc.pos++; }
                    if (sc_char(&sc, '.')) {
                        int k = 0;
                        while (sc_digit(&sc)) {
                            if (k < 3) ms = ms * 10 + (s[sc.pos] - '0');
                            k++;
                            sc.pos++;
                        }
                        while (k > 0 && k < 3) { ms *= 10; k++; }
                    }
                }
                continue;
            }
            if (ncomp == 3) return NAN;
            comps[ncomp] = (int)v;
            comp_digits[ncomp++] = nd;
            continue;
        }
        if (is_alpha(c)) {
            char w[16];
            int n = 0;
            while (sc.pos < len && is_alpha(sc_peek(&sc))) {
                if (n < 15) w[n++] = (char)lower(sc_peek(&sc));
                sc.pos++;
            }
            w[n] = 0;
            if (!strcmp(w, "am") || !strcmp(w, "pm")) { ampm = w[0] == 'p'; continue; }
            if (!strcmp(w, "z") || !strcmp(w, "utc") || !strcmp(w, "gmt") || !strcmp(w, "ut")) {
                has_tz = 1; tz = 0;
                continue;
            }
            if (!strcmp(w, "t") && ncomp == 3) continue;
            static const struct { const char *n; int off; } us_zones[] = {
                { "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
                { "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
            };
            int found = 0;
            for (size_t i = 0; i < sizeof us_zones / sizeof us_zones[0]; i++)
                if (!strcmp(w, us_zones[i].n)) { has_tz = 1; tz = us_zones[i].off; found = 1; }
            if (found) continue;
            if (n >= 3) {
                for (int i = 0; i < 12; i++)
                    if (lower(month_names[i][0]) == w[0] && month_names[i][1] == w[1] && month_names[i][2] == w[2]) {
                        month = i;
                        found = 1;
                    }
                if (found) continue;
                for (int i = 0; i < 7; i++)
                    if (lower(day_names[i][0]) == w[0] && day_names[i][1] == w[1] && day_names[i][2] == w[2])
                        found = 1;
                if (found) continue;
            }
            /* Unknown words are tolerated only before the date starts. */
            if (seen_number) return NAN;
            continue;
        }
        return NAN;
    }
    double year, mon, day;
    if (month >= 0) {
        if (ncomp < 2) return NAN;
        mon = month;
        if (comp_digits[0] >= 3 || comps[0] > 31) { year = comps[0]; day = comps[1]; }
        else { day = comps[0]; year = comps[1]; if (neg_year) year = -year; }
        if (ncomp == 3) return NAN;
        if (comp_digits[ncomp - 1] <= 2 && !neg_year && !(comp_digits[0] >= 3))
            year = year < 50 ? 2000 + year : year < 100 ? 1900 + year : year;
    } else {
        if (ncomp != 3) return NAN;
        if (comp_digits[0] >= 3 || comps[0] > 31) {
            year = comps[0]; mon = comps[1] - 1; day = comps[2];
        } else {
            mon = comps[0] - 1; day = comps[1]; year = comps[2];
            if (comp_digits[2] <= 2) year = year < 50 ? 2000 + year : 1900 + year;
        }
    }
    if (mon < 0 || mon > 11 || day < 1 || day > 31) return NAN;
    if (hour < 0) hour = 0;
    if (ampm >= 0) {
        if (hour > 12) return NAN;
        if (hour == 12) hour = 0;
        if (ampm) hour += 12;
    }
    if (hour > 24 || min > 59 || sec > 59) return NAN;
    double tv = make_date(make_day(year, mon, day), make_time(hour, min, sec, ms));
    if (has_tz) tv -= tz * MS_PER_MINUTE;
    else tv = utc_time(tv);
    return time_clip(tv);
}

static double parse_date_chars(const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) { s++; len--; }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r')) len--;
    int matched;
    double v = parse_iso(s, len, &matched);
    if (matched) return v;
    return parse_legacy(s, len);
}

/* Date.parse on a string value: non-ASCII characters cannot be part of any
 * accepted format except inside comments, so they become '?'. */
static int parse_date_string(js_thread *t, js_string *str, double *out)
{
    char small[256];
    char *buf = small;
    js_string *f = jsstr_flatten(t, str);
    if (!f) return -1;
    size_t len = f->len;
    if (len > sizeof small) {
        /* No valid date string is this long except with huge comments. */
        if (len > 4096) { *out = NAN; return 0; }
        buf = jsgc_malloc(t, len);
        if (!buf) return -1;
    }
    for (size_t i = 0; i < len; i++) {
        uint32_t c = jsstr_at(f, (uint32_t)i);
        buf[i] = c < 128 && c != 0 ? (char)c : '?';
    }
    *out = parse_date_chars(buf, len);
    if (buf != small) jsgc_free(t->rt, buf, len);
    return 0;
}

/* ---- the constructor and statics ---- */

static int this_date(js_thread *t, jsv v, js_primitive_object **out)
{
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_DATE) {
        *out = (js_primitive_object *)JSV_OBJ(v);
        return 0;
    }
    jsvm_throw_type_error(t, "this is not a Date object.");
    return -1;
}

static double date_value(js_primitive_object *d)
{
    return jsv_get_number(d->value);
}

static void set_date_value(js_primitive_object *d, double tv)
{
    d->value = jsv_from_double(tv);
}

/* Date(y, m [, d, h, min, s, ms]) and Date.UTC arguments: the local/UTC time
 * they name, before UTC() and TimeClip. -1 on exception. */
static int fields_from_args(js_thread *t, int argc, jsv *argv, double *out)
{
    double v[7] = { NAN, 0, 1, 0, 0, 0, 0 };
    for (int i = 0; i < argc && i < 7; i++)
        if (jsop_to_number(t, argv[i], &v[i]) < 0)
            return -1;
    double yr = v[0];
    if (!isnan(yr)) {
        double yi = trunc(yr);
        if (yi >= 0 && yi <= 99) yr = 1900 + yi;
    }
    *out = make_date(make_day(yr, v[1], v[2]), make_time(v[3], v[4], v[5], v[6]));
    return 0;
}

static jsv date_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    double tv;
    if (jsv_is_undefined(new_target)) {
        char buf[160];
        int n = format_date(now_ms(), FMT_STRING, buf, sizeof buf);
        return ascii_value(t, buf, n);
    }
    if (argc == 0) {
        tv = now_ms();
    } else if (argc == 1) {
        jsv v = argv[0];
        if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_DATE) {
            tv = date_value((js_primitive_object *)JSV_OBJ(v));
        } else {
            jsv p = jsop_to_primitive(t, v, 0);
            if (p == JSV_EXCEPTION) return p;
            if (jsv_is_string(p)) {
                if (parse_date_string(t, JSV_STR(p), &tv) < 0) return JSV_EXCEPTION;
            } else if (jsop_to_number(t, p, &tv) < 0) {
                return JSV_EXCEPTION;
            }
            tv = time_clip(tv);
        }
    } else {
        double local;
        if (fields_from_args(t, argc, argv, &local) < 0) return JSV_EXCEPTION;
        tv = time_clip(utc_time(local));
    }
    js_object *o = jsbi_new_wrapper(t, new_target, JS_INTR_DatePrototype, JS_CLASS_DATE, jsv_from_double(tv));
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

static jsv date_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return date_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv date_now(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsv_number(now_ms());
}

static jsv date_parse(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = jsop_to_string(t, JS_ARG(0));
    double tv;
    if (!s || parse_date_string(t, s, &tv) < 0) return JSV_EXCEPTION;
    return jsv_number(tv);
}

static jsv date_utc(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double tv;
    if (fields_from_args(t, argc, argv, &tv) < 0) return JSV_EXCEPTION;
    return jsv_number(time_clip(tv));
}

/* ---- Date.prototype getters ---- */

enum { F_MS, F_SEC, F_MIN, F_HOUR, F_DATE, F_MONTH, F_YEAR, F_DAY, F_TIME, F_TZOFF, F_YEAR_B };
#define M_UTC 0x100

static jsv date_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_primitive_object *d;
    if (this_date(t, this_val, &d) < 0) return JSV_EXCEPTION;
    double tv = date_value(d);
    int field = magic & 0xFF;
    if (isnan(tv)) return jsv_from_double(NAN);
    if (field == F_TIME) return jsv_number(tv);
    if (field == F_TZOFF) return jsv_number((tv - local_time(tv)) / MS_PER_MINUTE);
    date_fields f;
    split_time((magic & M_UTC) ? tv : local_time(tv), &f);
    switch (field) {
    case F_MS: return jsv_number(f.ms);
    case F_SEC: return jsv_number(f.sec);
    case F_MIN: return jsv_number(f.min);
    case F_HOUR: return jsv_number(f.hour);
    case F_DATE: return jsv_number(f.date);
    case F_MONTH: return jsv_number(f.month);
    case F_YEAR: return jsv_number(f.year);
    case F_DAY: return jsv_number(f.wday);
    default: return jsv_number(f.year - 1900);
    }
}

/* ---- setters ----
 * magic: first field (F_MS..F_YEAR) | most arguments << 4 | M_UTC. */
static jsv date_set(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_primitive_object *d;
    if (this_date(t, this_val, &d) < 0) return JSV_EXCEPTION;
    int first = magic & 0xF, most = (magic >> 4) & 0xF, utc = (magic & M_UTC) != 0;
    double tv = date_value(d);
    double arg[4];
    int n = argc < most ? argc : most;
    if (n < 1) n = 1;
    for (int i = 0; i < n; i++)
        if (jsop_to_number(t, i < argc ? argv[i] : JSV_UNDEFINED, &arg[i]) < 0)
            return JSV_EXCEPTION;
    if (isnan(tv)) {
        if (first != F_YEAR) return jsv_from_double(NAN);
        tv = 0;
    } else if (!utc) {
        tv = local_time(tv);
    }
    date_fields f;
    split_time(tv, &f);
    double *slot[7] = { &f.ms, &f.sec, &f.min, &f.hour, &f.date, &f.month, &f.year };
    for (int i = 0; i < n; i++) *slot[first - i] = arg[i];
    double nd = make_date(make_day(f.year, f.month, f.date), make_time(f.hour, f.min, f.sec, f.ms));
    double u = time_clip(utc ? nd : utc_time(nd));
    set_date_value(d, u);
    return jsv_from_double(u);
}

static jsv date_set_time(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_primitive_object *d;
    double tv;
    if (this_date(t, this_val, &d) < 0) return JSV_EXCEPTION;
    if (jsop_to_number(t, JS_ARG(0), &tv) < 0) return JSV_EXCEPTION;
    tv = time_clip(tv);
    set_date_value(d, tv);
    return jsv_from_double(tv);
}

/* Annex B setYear: two-digit years mean 19xx. */
static jsv date_set_year(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_primitive_object *d;
    double y;
    if (this_date(t, this_val, &d) < 0) return JSV_EXCEPTION;
    double tv = date_value(d);
    if (jsop_to_number(t, JS_ARG(0), &y) < 0) return JSV_EXCEPTION;
    tv = isnan(tv) ? 0 : local_time(tv);
    if (isnan(y)) {
        set_date_value(d, NAN);
        return jsv_from_double(NAN);
    }
    double yi = trunc(y);
    if (yi >= 0 && yi <= 99) y = 1900 + yi;
    date_fields f;
    split_time(tv, &f);
    double nd = make_date(make_day(y, f.month, f.date), make_time(f.hour, f.min, f.sec, f.ms));
    double u = time_clip(utc_time(nd));
    set_date_value(d, u);
    return jsv_from_double(u);
}

/* ---- conversions to text and primitives ---- */

static jsv date_to_string_fmt(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_primitive_object *d;
    char buf[200];
    if (this_date(t, this_val, &d) < 0) return JSV_EXCEPTION;
    double tv = date_value(d);
    if (isnan(tv)) {
        if (magic == FMT_ISO) return jsvm_throw_range_error(t, "Invalid time value");
        return ascii_value(t, "Invalid Date", 12);
    }
    int n = format_date(tv, magic, buf, sizeof buf);
    return ascii_value(t, buf, n);
}

static jsv date_to_json(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = jsop_to_object(t, this_val);
    if (o == JSV_EXCEPTION) return o;
    jsv tv = jsop_to_primitive(t, o, 1);
    if (tv == JSV_EXCEPTION) return tv;
    if (jsv_is_number(tv) && !isfinite(jsv_get_number(tv))) return JSV_NULL;
    return jsvm_invoke(t, o, jskey_from_atom_id(t, JS_ATOM_toISOString), 0, NULL);
}

static jsv date_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_primitive_object *d;
    if (this_date(t, this_val, &d) < 0) return JSV_EXCEPTION;
    return jsv_number(date_value(d));
}

/* OrdinaryToPrimitive (7.1.1.1): the Date @@toPrimitive must not re-enter
 * ToPrimitive on the same object. */
static jsv ordinary_to_primitive(js_thread *t, jsv o, int string_first)
{
    int order[2] = { JS_ATOM_toString, JS_ATOM_valueOf };
    if (!string_first) { order[0] = JS_ATOM_valueOf; order[1] = JS_ATOM_toString; }
    for (int i = 0; i < 2; i++) {
        jsv m = jsobj_get(t, JSV_OBJ(o), jskey_from_atom_id(t, order[i]), o);
        if (m == JSV_EXCEPTION) return m;
        if (jsop_is_callable(m)) {
            jsv r = jsvm_call(t, m, o, 0, NULL);
            if (r == JSV_EXCEPTION || !jsv_is_object(r)) return r;
        }
    }
    return jsvm_throw_type_error(t, "Cannot convert object to primitive value");
}

static jsv date_to_primitive(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv hint = JS_ARG(0);
    if (!jsv_is_object(this_val))
        return jsvm_throw_type_error(t, "Date.prototype[Symbol.toPrimitive] called on non-object");
    if (jsv_is_string(hint)) {
        if (jsstr_equal_cstr(JSV_STR(hint), "string") || jsstr_equal_cstr(JSV_STR(hint), "default"))
            return ordinary_to_primitive(t, this_val, 1);
        if (jsstr_equal_cstr(JSV_STR(hint), "number"))
            return ordinary_to_primitive(t, this_val, 0);
    }
    return jsvm_throw_type_error(t, "Invalid hint");
}

/* ---- set-up ---- */

typedef struct date_method {
    const char *name;
    js_native_fn fn;
    int nargs, magic;
} date_method;

#define SETTER(first, most) ((first) | ((most) << 4))

static const date_method proto_methods[] = {
    { "toString", date_to_string_fmt, 0, FMT_STRING },
    { "toDateString", date_to_string_fmt, 0, FMT_DATE },
    { "toTimeString", date_to_string_fmt, 0, FMT_TIME },
    { "toISOString", date_to_string_fmt, 0, FMT_ISO },
    { "toUTCString", date_to_string_fmt, 0, FMT_UTC },
    { "toLocaleString", date_to_string_fmt, 0, FMT_LOCALE },
    { "toLocaleDateString", date_to_string_fmt, 0, FMT_LOCALE_DATE },
    { "toLocaleTimeString", date_to_string_fmt, 0, FMT_LOCALE_TIME },
    { "toJSON", date_to_json, 1, 0 },
    { "valueOf", date_value_of, 0, 0 },
    { "getTime", date_get, 0, F_TIME },
    { "getTimezoneOffset", date_get, 0, F_TZOFF },
    { "getFullYear", date_get, 0, F_YEAR },
    { "getUTCFullYear", date_get, 0, F_YEAR | M_UTC },
    { "getMonth", date_get, 0, F_MONTH },
    { "getUTCMonth", date_get, 0, F_MONTH | M_UTC },
    { "getDate", date_get, 0, F_DATE },
    { "getUTCDate", date_get, 0, F_DATE | M_UTC },
    { "getDay", date_get, 0, F_DAY },
    { "getUTCDay", date_get, 0, F_DAY | M_UTC },
    { "getHours", date_get, 0, F_HOUR },
    { "getUTCHours", date_get, 0, F_HOUR | M_UTC },
    { "getMinutes", date_get, 0, F_MIN },
    { "getUTCMinutes", date_get, 0, F_MIN | M_UTC },
    { "getSeconds", date_get, 0, F_SEC },
    { "getUTCSeconds", date_get, 0, F_SEC | M_UTC },
    { "getMilliseconds", date_get, 0, F_MS },
    { "getUTCMilliseconds", date_get, 0, F_MS | M_UTC },
    { "getYear", date_get, 0, F_YEAR_B },
    { "setTime", date_set_time, 1, 0 },
    { "setMilliseconds", date_set, 1, SETTER(F_MS, 1) },
    { "setUTCMilliseconds", date_set, 1, SETTER(F_MS, 1) | M_UTC },
    { "setSeconds", date_set, 2, SETTER(F_SEC, 2) },
    { "setUTCSeconds", date_set, 2, SETTER(F_SEC, 2) | M_UTC },
    { "setMinutes", date_set, 3, SETTER(F_MIN, 3) },
    { "setUTCMinutes", date_set, 3, SETTER(F_MIN, 3) | M_UTC },
    { "setHours", date_set, 4, SETTER(F_HOUR, 4) },
    { "setUTCHours", date_set, 4, SETTER(F_HOUR, 4) | M_UTC },
    { "setDate", date_set, 1, SETTER(F_DATE, 1) },
    { "setUTCDate", date_set, 1, SETTER(F_DATE, 1) | M_UTC },
    { "setMonth", date_set, 2, SETTER(F_MONTH, 2) },
    { "setUTCMonth", date_set, 2, SETTER(F_MONTH, 2) | M_UTC },
    { "setFullYear", date_set, 3, SETTER(F_YEAR, 3) },
    { "setUTCFullYear", date_set, 3, SETTER(F_YEAR, 3) | M_UTC },
    { "setYear", date_set_year, 1, 0 },
};

int jsbi_init_date(js_thread *t, js_realm *realm)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsbi_make_ctor(t, realm, "Date", 7, date_call, date_construct, 0,
                                     proto, JS_INTR_Date, JS_INTR_DatePrototype);
    if (!ctor) return -1;
    if (jsobj_define_fn(t, ctor, "now", date_now, 0, 0) < 0 ||
        jsobj_define_fn(t, ctor, "parse", date_parse, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "UTC", date_utc, 7, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof proto_methods / sizeof proto_methods[0]; i++) {
        const date_method *m = &proto_methods[i];
        if (jsobj_define_fn(t, proto, m->name, m->fn, m->nargs, m->magic) < 0)
            return -1;
    }
    /* Annex B: toGMTString is the very same function object as toUTCString. */
    js_key utc_key = jskey_from_cstr(t, "toUTCString");
    js_key gmt_key = jskey_from_cstr(t, "toGMTString");
    if (utc_key == JSV_EXCEPTION || gmt_key == JSV_EXCEPTION) return -1;
    jsv utc_fn = jsobj_get(t, proto, utc_key, jsv_object(proto));
    if (utc_fn == JSV_EXCEPTION || jsobj_define_value(t, proto, gmt_key, utc_fn, JS_PROP_C_W) < 0)
        return -1;
    js_key tp = jsv_symbol(t->rt->wk_symbols[JS_WKS_toPrimitive]);
    js_object *f = jsfn_new_native(t, date_to_primitive, tp, 1, 0);
    if (!f || jsobj_define_value(t, proto, tp, jsv_object(f), JS_PROP_CONFIGURABLE) < 0)
        return -1;
    return 0;
}
