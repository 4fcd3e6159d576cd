/*
 * temporal.h - internal API shared by the Temporal modules (lib/builtins/temporal/).
 * calendar.c holds the pure ISO 8601 date math and string parsing (no engine
 * state); the other files build the JS-facing objects. Nothing outside this
 * directory includes this header.
 */
#ifndef JSE_BUILTINS_TEMPORAL_H
#define JSE_BUILTINS_TEMPORAL_H

#include <stdint.h>
#include <stddef.h>

/* ---- pure ISO calendar math (calendar.c) ---- */

typedef struct tp_date { int32_t year; int32_t month; int32_t day; } tp_date;
typedef struct tp_time { int32_t hour, minute, second, ms, us, ns; } tp_time;

int tp_is_leap(int64_t y);
int tp_days_in_month(int64_t y, int m);
/* Days since 1970-01-01 of the proleptic Gregorian date (any month/day overflow allowed). */
int64_t tp_epoch_days(int64_t y, int64_t m, int64_t d);
tp_date tp_from_epoch_days(int64_t days);
int tp_day_of_week(tp_date d);          /* 1 = Monday .. 7 = Sunday */
int tp_day_of_year(tp_date d);
void tp_week_of_year(tp_date d, int *week, int32_t *year);
int tp_valid_date(double y, double m, double d);
int tp_valid_time(double h, double mi, double s, double ms, double us, double ns);
/* ISODateWithinLimits: the date at noon lies within the representable range. */
int tp_date_in_limits(tp_date d);
/* ISODateTimeWithinLimits. */
int tp_datetime_in_limits(tp_date d, tp_time t);
int tp_compare_date(tp_date a, tp_date b);
int tp_compare_time(tp_time a, tp_time b);
/* Nanoseconds since midnight. */
int64_t tp_time_ns(tp_time t);
tp_time tp_time_from_ns(int64_t ns);   /* 0 <= ns < 86400e9 */
/* Regulate with overflow "constrain" (clamp); caller checks reject. */
tp_date tp_constrain_date(double y, double m, double d);
/* Format helpers writing into buf (>= 32 bytes); return length. */
int tp_format_year(char *buf, int32_t y);
int tp_format_date(char *buf, tp_date d);
/* precision: -1 auto, -2 minute, 0..9 digits */
int tp_format_time(char *buf, tp_time t, int precision);

/* ISO 8601 / RFC 9557 string parsing. */
enum { TP_PARSE_DATETIME, TP_PARSE_DATE, TP_PARSE_TIME, TP_PARSE_YEARMONTH, TP_PARSE_MONTHDAY,
       TP_PARSE_INSTANT, TP_PARSE_ZONED };
typedef struct tp_parsed {
    int has_date, has_time, has_z, has_offset, offset_has_subminute;
    tp_date date;
    tp_time time;
    int64_t offset_ns;
    char tz[256];          /* bracketed time zone annotation, "" if none */
    char calendar[64];     /* first u-ca value, "" if none */
    int tz_is_offset;
    int year_absent;       /* month-day form without a year */
} tp_parsed;
/* 0 on success, -1 on a syntax error (caller throws RangeError). */
int tp_parse(const char *s, size_t len, int kind, tp_parsed *out);
/* Offset string "+HH:MM[:SS[.fff]]": 0 ok, -1 error. */
int tp_parse_offset(const char *s, size_t len, int64_t *ns, int *subminute);

/* ---- engine side ---- */
#ifndef TP_PURE_ONLY
#include "../builtins.h"
#include "../../core/string.h"
#include "tzdb.h"

enum { TK_INSTANT, TK_ZONED, TK_DATE, TK_TIME, TK_DATETIME, TK_YEARMONTH, TK_MONTHDAY, TK_DURATION };

enum { DU_YEARS, DU_MONTHS, DU_WEEKS, DU_DAYS, DU_HOURS, DU_MINUTES, DU_SECONDS,
       DU_MS, DU_US, DU_NS, DU_COUNT };

/* A resolved time zone (tzdb.c owns the parsed data, cached per runtime). */
typedef struct tp_zone {
    const tpz_zone *db;  /* IANA zone with transitions; NULL: one offset for all time */
    int64_t fixed;              /* the offset (ns) when db is NULL */
    int named;                  /* 1: an IANA name (UTC included); 0: an offset zone "+05:30" */
    const char *primary;        /* named: primary identifier (runtime cache or static storage) */
} tp_zone;

typedef struct js_temporal {
    js_object base;
    int kind;
    tp_date date;
    tp_time time;
    __int128 epoch_ns;
    double dur[DU_COUNT];
    jsv tz;                 /* ZonedDateTime: time zone id string */
    int64_t tz_offset;      /* ZonedDateTime: the zone's UTC offset at epoch_ns */
    tp_zone zone;           /* ZonedDateTime: the zone itself */
} js_temporal;

extern const js_class_ops jsclass_temporal;

/* temporal.c */
js_temporal *tp_this(js_thread *t, jsv v, int kind, const char *what);
js_temporal *tp_get(jsv v, int kind);       /* NULL if not that kind */
js_temporal *tp_new(js_thread *t, jsv new_target, int kind);
jsv tp_get_prop(js_thread *t, jsv obj, const char *name);
int tp_define_getters(js_thread *t, js_object *proto, const char *const *names, int n, js_native_fn fn);
jsv tp_str(js_thread *t, const char *s);
/* Strings -> malloc-ed UTF-8 is avoided: copy ASCII into buf, -1 if too long/non-ASCII. */
int tp_string_ascii(js_string *s, char *buf, size_t cap);
int tp_to_integer_with_truncation(js_thread *t, jsv v, double *out);
int tp_to_positive_integer_with_truncation(js_thread *t, jsv v, double *out);
/* Constructor arguments argv[first .. first+n) through ToIntegerWithTruncation,
 * in order; from index `required` on, an undefined one keeps v's default. */
int tp_integer_args(js_thread *t, int argc, jsv *argv, int first, int n, int required, double *v);
/* A constructor's calendar argument: undefined or a canonical ISO identifier. */
int tp_ctor_calendar(js_thread *t, jsv cal);
jsv tp_get_options_object(js_thread *t, jsv options);
/* GetOption for strings: idx into values, or default_idx when undefined (-1 = required-less: returns -2 when absent). */
int tp_get_string_option(js_thread *t, jsv options, const char *name, const char *const *values, int n, int default_idx);
int tp_get_overflow(js_thread *t, jsv options);   /* 0 constrain, 1 reject, -1 exc */
int tp_canonicalize_calendar(js_thread *t, jsv v);  /* 0 ok, -1 exc (string input) */
int tp_to_calendar_identifier(js_thread *t, jsv v);
int tp_calendar_from_item(js_thread *t, jsv item);
int tp_parse_string(js_thread *t, jsv v, int kind, tp_parsed *out);
/* Reads the ISO date fields of a property bag (PrepareCalendarFields). flags bits:
 * 1 need year, 2 need day, 4 need month or monthCode; 8 read time fields. */
typedef struct tp_fields {
    double year, month, day;
    int has_year, has_month, has_day, has_monthcode;
    int monthcode;
    double tf[6]; int has_tf[6];
    /* want_time & 2: offset (read between nanosecond and second); & 4: timeZone (after second) */
    int has_offset, has_tz;
    int64_t offset_ns, tz_off;   /* tz_off: the offset of a fixed zone (0 for IANA zones) */
    tp_zone tz_zone;
    char tz_id[128];
} tp_fields;
int tp_read_fields(js_thread *t, jsv obj, tp_fields *f, int want_date, int want_time);
int tp_resolve_month(js_thread *t, tp_fields *f);
jsv tp_calendar_id_value(js_thread *t);
int tp_fields_any(const tp_fields *f);
/* Required fields (want_date bits of tp_read_fields) then tp_resolve_month; -1 exc. */
int tp_require_fields(js_thread *t, tp_fields *f, int need);
/* GetTemporalOverflowOption(GetOptionsObject(options)): 0 constrain, 1 reject, -1 exc. */
int tp_read_overflow(js_thread *t, jsv options);
/* The property-bag branch of ToTemporalDate/Time/...: the calendar (date
 * types), the fields, then the overflow option. Returns overflow or -1. */
int tp_bag_fields(js_thread *t, jsv item, jsv options, int want_date, int want_time, tp_fields *f);
/* The head of with(): RejectTemporalLikeObject, a partial bag with one field
 * at least, then the overflow option. Returns overflow or -1. */
int tp_with_fields(js_thread *t, jsv like, jsv options, int want_date, int want_time, tp_fields *f);
/* toString() options in the spec's order: calendarName (TP_OPT_CALENDAR), then
 * fractionalSecondDigits, roundingMode, smallestUnit (TP_OPT_PRECISION).
 * what == 0 (toJSON, toLocaleString) reads nothing and leaves the defaults. */
enum { TP_OPT_CALENDAR = 1, TP_OPT_PRECISION = 2 };
typedef struct tp_string_opts { int show, prec, rm; int64_t inc; } tp_string_opts;
int tp_get_string_opts(js_thread *t, jsv options, int what, tp_string_opts *so);
/* Method tables and the constructor/prototype pair of a type. */
typedef struct tp_method { const char *name; js_native_fn fn; int length, magic; } tp_method;
int tp_define_methods(js_thread *t, js_object *obj, const tp_method *m, size_t n);
typedef struct tp_type_spec {
    const char *name; int length; js_native_ctor ctor; int ctor_id, proto_id;
    const tp_method *statics; size_t nstatics;
    const tp_method *methods; size_t nmethods;
} tp_type_spec;
#define TP_COUNTOF(a) (sizeof (a) / sizeof (a)[0])
/* tp_make_type plus the statics and methods; returns the prototype or NULL. */
js_object *tp_init_type(js_thread *t, js_realm *realm, js_object *ns, const tp_type_spec *s);

/* per-type init (each file) */
int tp_init_plaindate(js_thread *t, js_realm *realm, js_object *ns);
jsv tp_make_date(js_thread *t, tp_date d, jsv new_target);
int tp_to_temporal_date(js_thread *t, jsv item, jsv options, tp_date *out);
int tp_regulate_date(js_thread *t, double y, double m, double d, int overflow, tp_date *out);
int tp_date_from_fields(js_thread *t, tp_fields *f, int overflow, tp_date *out);
jsv tp_date_getter(js_thread *t, tp_date d, int which);
extern const char *const tp_date_getter_names[];
int tp_reject_temporal_like(js_thread *t, jsv obj);
void tp_merge_date_fields(tp_fields *f, tp_date d);
int tp_get_show_calendar(js_thread *t, jsv o);
int tp_format_calendar(char *buf, int show);
js_object *tp_make_type(js_thread *t, js_realm *realm, js_object *ns, const char *name, int length,
                        js_native_ctor ctor, int ctor_id, int proto_id, const char *tag);
jsv tp_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);

/* plaintime.c */
int tp_init_plaintime(js_thread *t, js_realm *realm, js_object *ns);
jsv tp_make_time(js_thread *t, tp_time tm, jsv new_target);
int tp_to_temporal_time(js_thread *t, jsv item, jsv options, tp_time *out);
int tp_regulate_time(js_thread *t, const double *v, int overflow, tp_time *out);
/* ToSecondsStringPrecisionRecord: reads fractionalSecondDigits + smallestUnit.
 * precision -2 minute, -1 auto, 0..9; unit/increment for rounding (ns). */
int tp_get_precision(js_thread *t, jsv o, int *precision, int64_t *increment_ns, int *rounding_mode);
int tp_get_rounding_mode(js_thread *t, jsv o, int def);
int tp_read_fsd(js_thread *t, jsv o);
int tp_read_rm_su(js_thread *t, jsv o, int *rm, int *su);
int tp_resolve_precision(js_thread *t, int fsd, int su, int *precision, int64_t *increment_ns);
/* Rounds x (may be negative) to a multiple of inc with a rounding mode. */
__int128 tp_round_i128(__int128 x, __int128 inc, int mode);
enum { RM_CEIL, RM_FLOOR, RM_EXPAND, RM_TRUNC, RM_HALF_CEIL, RM_HALF_FLOOR, RM_HALF_EXPAND, RM_HALF_TRUNC, RM_HALF_EVEN };

int tp_get_unit_option(js_thread *t, jsv o, const char *name);
extern const int64_t tp_unit_ns[10];
enum { U_YEAR, U_MONTH, U_WEEK, U_DAY, U_HOUR, U_MINUTE, U_SECOND, U_MS, U_US, U_NS, U_AUTO };
int tp_get_rounding_increment(js_thread *t, jsv o, double *out);
int tp_validate_increment(js_thread *t, double inc, double max, int inclusive);
void tp_fields_time(const tp_fields *f, const tp_time *base, double *v);
jsv tp_time_getter(tp_time tm, int which);
int tp_round_time(tp_time *tm, int64_t inc_ns, int mode);
int tp_get_round_to(js_thread *t, jsv arg, jsv *opts);
/* round() options of PlainTime/PlainDateTime/ZonedDateTime: smallestUnit in
 * [min_unit, nanosecond], mode (default halfExpand), increment in ns; -1 exc. */
int tp_get_round_opts(js_thread *t, jsv round_to, int min_unit, int *su, int *rm, int64_t *inc_ns);
jsv tp_time_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
jsv tp_time_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);

/* plaindatetime.c */
int tp_init_plaindatetime(js_thread *t, js_realm *realm, js_object *ns);
jsv tp_make_datetime(js_thread *t, tp_date d, tp_time tm, jsv new_target);
int tp_to_temporal_datetime(js_thread *t, jsv item, jsv options, tp_date *d, tp_time *tm);
int tp_compare_datetime(tp_date a, tp_time at, tp_date b, tp_time bt);
void tp_round_datetime(tp_date *d, tp_time *tm, int64_t inc_ns, int mode);
jsv tp_datetime_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
jsv tp_datetime_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
jsv tp_datetime_to_zoned(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);

/* yearmonth.c */
int tp_init_yearmonth(js_thread *t, js_realm *realm, js_object *ns);
jsv tp_make_yearmonth(js_thread *t, tp_date d, jsv new_target);
jsv tp_make_monthday(js_thread *t, tp_date d, jsv new_target);
int tp_to_temporal_yearmonth(js_thread *t, jsv item, jsv options, tp_date *out);
int tp_to_temporal_monthday(js_thread *t, jsv item, jsv options, tp_date *out);
jsv tp_yearmonth_until(js_thread *t, tp_date one, tp_date two, jsv options, int since);

/* duration.c */
int tp_init_duration(js_thread *t, js_realm *realm, js_object *ns);
jsv tp_make_duration(js_thread *t, const double *v, jsv new_target);
int tp_to_temporal_duration(js_thread *t, jsv item, double *v);
/* The operands of add()/subtract(): ToTemporalDuration (negated when negate),
 * then the overflow option. Returns overflow or -1. */
int tp_add_operands(js_thread *t, jsv duration, jsv options, int negate, double *v);
jsv tp_date_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
jsv tp_date_until(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);

int tp_difference_settings_time(js_thread *t, int since, jsv o, int fallback_smallest, int default_largest,
                                int *largest, int *smallest, int *mode, int64_t *inc);
jsv tp_duration_from_ns(js_thread *t, __int128 ns, int largest, int negate);

/* instant.c */
int tp_valid_epoch_ns(__int128 ns);
jsv tp_bigint_from_i128(js_thread *t, __int128 v);
struct js_bigint;
int tp_bigint_to_i128(struct js_bigint *b, __int128 *out);
jsv tp_make_instant(js_thread *t, __int128 ns, jsv new_target);
__int128 tp_utc_epoch_ns(tp_date d, tp_time tm);
int tp_to_temporal_instant(js_thread *t, jsv item, __int128 *out);
int tp_to_time_zone(js_thread *t, jsv v, char *buf, size_t cap, int64_t *offset);
int tp_format_offset(char *buf, int64_t ns);
void tp_epoch_to_parts(__int128 ns, tp_date *d, tp_time *tm);

int tp_add_date_part(js_thread *t, tp_date d, const double *v, int ov, tp_date *out);
__int128 tp_time_part_ns(const double *v);
int tp_duration_has_date_part(const double *v);
jsv tp_zoned_until(js_thread *t, __int128 ns1, __int128 ns2, const tp_zone *zone, int same_tz, jsv options, int since);

/* tzdb.c: identifiers and zone rules (see tzdb.h for the TZif side) */
/* Resolves an IANA name case-insensitively: writes the database's spelling
 * into name and the zone into *z. 0 ok, -1 RangeError thrown. */
int tp_zone_lookup(js_thread *t, const char *id, char *name, size_t cap, tp_zone *z);
/* SystemTimeZoneIdentifier: TZ, else /etc/localtime, else "UTC" (never throws). */
void tp_zone_system(js_thread *t, char *out, size_t cap);
int64_t tp_zone_offset(const tp_zone *z, __int128 epoch_ns);
/* GetPossibleEpochNanoseconds: 0..2 instants (RangeError if one is out of range: -1). */
int tp_zone_possible(js_thread *t, const tp_zone *z, tp_date d, tp_time tm, __int128 out[2]);
/* GetEpochNanosecondsFor with disambiguation 0 compatible, 1 earlier, 2 later, 3 reject. */
int tp_zone_epoch_ns(js_thread *t, const tp_zone *z, tp_date d, tp_time tm, int disamb, __int128 *out);
/* GetStartOfDay. */
int tp_zone_start_of_day(js_thread *t, const tp_zone *z, tp_date d, __int128 *out);
/* Next (1) / previous (0) transition: 1 found, 0 none. */
int tp_zone_transition(const tp_zone *z, __int128 epoch_ns, int next, __int128 *out);
/* The offset a wall-clock time has in z: the candidate matching `given` (to
 * the minute when match_minutes) if any, else the one "compatible" picks. */
int tp_zone_wall_offset(js_thread *t, const tp_zone *z, tp_date d, tp_time tm, int has_given, int64_t given,
                        int match_minutes, int64_t *out);
/* TimeZoneEquals on primary identifiers / offsets. */
int tp_zone_equal(const tp_zone *a, const tp_zone *b);
/* ToTemporalTimeZoneIdentifier, resolving the zone too. */
int tp_to_time_zone_rec(js_thread *t, jsv v, char *buf, size_t cap, tp_zone *z);

/* zoned.c */
int tp_init_zoned(js_thread *t, js_realm *realm, js_object *ns);
jsv tp_make_zoned(js_thread *t, __int128 ns, jsv tz, const tp_zone *zone, jsv new_target);
jsv tp_instant_to_zoned(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
int tp_init_instant(js_thread *t, js_realm *realm, js_object *ns);
int tp_zoned_date_time(js_thread *t, js_temporal *z, tp_date *d, tp_time *tm);
jsv tp_date_to_zoned(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
#endif

#endif
