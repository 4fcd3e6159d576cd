/*
 * unicode_stub.c - interim character classification until the generated
 * Unicode 17 tables land (lib/unicode/tables.c): exact for ASCII and the
 * ECMA-262 space/line-terminator sets, approximate above U+007F.
 * Owns nothing else; to be deleted when tables.c provides these symbols.
 */
#include <wctype.h>
#include "unicode.h"

int jsuni_is_space(uint32_t c)
{
    switch (c) {
    case 0x09: case 0x0B: case 0x0C: case 0x20: case 0xA0: case 0xFEFF: case 0x1680:
    case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
    case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A: case 0x202F:
    case 0x205F: case 0x3000:
        return 1;
    }
    return 0;
}

int jsuni_is_line_terminator(uint32_t c)
{
    return c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029;
}

int jsuni_is_id_start(uint32_t c)
{
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return !jsuni_is_space(c) && !jsuni_is_line_terminator(c) && c != 0x200C && c != 0x200D
           && !(c >= 0x2010 && c <= 0x2027) && !(c >= 0xD800 && c <= 0xDFFF);
}

int jsuni_is_id_continue(uint32_t c)
{
    if (c < 128) return jsuni_is_id_start(c) || (c >= '0' && c <= '9') || c == '_';
    return jsuni_is_id_start(c) || c == 0x200C || c == 0x200D;
}

uint32_t jsuni_to_upper_simple(uint32_t c) { return c < 128 ? (uint32_t)towupper(c) : c; }
uint32_t jsuni_to_lower_simple(uint32_t c) { return c < 128 ? (uint32_t)towlower(c) : c; }
int jsuni_to_upper_full(uint32_t c, uint32_t out[3]) { out[0] = jsuni_to_upper_simple(c); return 1; }
int jsuni_to_lower_full(uint32_t c, uint32_t out[3]) { out[0] = jsuni_to_lower_simple(c); return 1; }
uint32_t jsuni_fold_simple(uint32_t c) { return jsuni_to_lower_simple(c); }
