/*
 * tzdb.h - the IANA time zone database as tzdb.c reads it: TZif files and
 * their POSIX TZ footers, and the per-runtime cache of parsed zones.
 * The first half is pure C (no engine state) so the unit tests can drive it.
 */
#ifndef JSE_BUILTINS_TEMPORAL_TZDB_H
#define JSE_BUILTINS_TEMPORAL_TZDB_H

#include <stdint.h>
#include <stddef.h>

/* A parsed zone. Immutable after tpz_parse returns it, so any thread of the
 * runtime that owns the cache may read it. */
typedef struct tpz_zone tpz_zone;

/* Parses a TZif file (versions 1 to 4) held in buf[0..len). On success
 * *out is a malloc-ed zone that tpz_free releases; on failure returns -1 and
 * writes a reason into err (never reads outside buf). */
int tpz_parse(const unsigned char *buf, size_t len, tpz_zone **out, char *err, size_t errcap);
void tpz_free(tpz_zone *z);

/* UTC offset in ns at an exact time (epoch ns). */
int64_t tpz_offset_ns(const tpz_zone *z, __int128 epoch_ns);
/* The exact times whose wall-clock reading is local_ns (wall clock counted as
 * if it were UTC): 0 in a gap, 1, or 2 in an overlap, ascending in out. */
int tpz_possible(const tpz_zone *z, __int128 local_ns, __int128 out[2]);
/* The first offset change strictly after (next = 1) or strictly before
 * (next = 0) epoch_ns: 1 and *out, or 0 when there is none. */
int tpz_transition(const tpz_zone *z, __int128 epoch_ns, int next, __int128 *out);

/* Parses a POSIX TZ string (the TZif footer) alone; for tests. 0 ok, -1 bad. */
int tpz_parse_posix(const char *s, size_t len, tpz_zone **out);

/* IANA identifier grammar (no "." or ".." components, no leading '/'). */
int tpz_valid_name(const char *s);

#endif
