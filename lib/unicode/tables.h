/*
 * tables.h - the layout of the generated Unicode tables (tables_*.c); only
 * unicode.c reads them.
 */
#ifndef JSE_UNICODE_TABLES_H
#define JSE_UNICODE_TABLES_H

#include <stdint.h>

/* A property or property value: kind 'B' binary property, 'G' General_Category
 * value, 'S' Script, 'X' Script_Extensions; `ranges` holds n (lo, hi) pairs,
 * sorted and disjoint. The index is sorted by (kind, name). */
typedef struct jsuni_prop_entry {
    char kind;
    const char *name;
    const uint32_t *ranges;
    uint32_t n;
} jsuni_prop_entry;

extern const jsuni_prop_entry jsuni_prop_index[];
extern const unsigned jsuni_prop_index_count;

/* Sorted (code point, mapping) pairs. */
extern const uint32_t jsuni_upper[][2], jsuni_lower[][2], jsuni_fold[][2], jsuni_ccc[][2];
extern const unsigned jsuni_upper_count, jsuni_lower_count, jsuni_fold_count, jsuni_ccc_count;
/* Unconditional SpecialCasing: {cp, m1, m2, m3} (0 = unused). */
extern const uint32_t jsuni_full_upper[][4], jsuni_full_lower[][4];
extern const unsigned jsuni_full_upper_count, jsuni_full_lower_count;
/* Decompositions: {cp, compat << 31 | pool offset << 5 | length}. */
extern const uint32_t jsuni_decomp[][2];
extern const unsigned jsuni_decomp_count;
extern const uint32_t jsuni_decomp_pool[];
/* Primary composites: {first, second, composite}, sorted by (first, second). */
extern const uint32_t jsuni_comp[][3];
extern const unsigned jsuni_comp_count;

#endif
