/*
 * regexp.h - the RegExp engine API: pattern parsing with every early error,
 * compilation to bytecode and the backtracking matcher (lib/regexp/).
 * Owns nothing outside lib/regexp; the RegExp built-in (lib/builtins/regexp.c)
 * is its only user besides the parser's early-error hook.
 */
#ifndef JSE_REGEXP_REGEXP_H
#define JSE_REGEXP_REGEXP_H

#include <stdint.h>
#include <stddef.h>

struct js_thread;
struct js_string;

/* Flag bits (jsre_parse_flags). */
#define JSRE_G 0x01
#define JSRE_I 0x02
#define JSRE_M 0x04
#define JSRE_S 0x08
#define JSRE_U 0x10
#define JSRE_Y 0x20
#define JSRE_D 0x40
#define JSRE_V 0x80

typedef struct jsre_prog jsre_prog;

/* Parses a flags string; -1 on an unknown or repeated flag or u with v. */
int jsre_parse_flags(const uint16_t *f, size_t n, unsigned *out);

/* Compiles pattern (UTF-16 code units). NULL on a SyntaxError (message in err)
 * or out of memory (*oom = 1, err says so). The program is malloc-ed and
 * immutable; free with jsre_free. */
jsre_prog *jsre_compile(const uint16_t *pat, size_t len, unsigned flags, char *err, size_t errlen, int *oom);
void jsre_free(jsre_prog *p);
/* Programs are reference counted so RegExp objects can share one (jsre_free
 * drops a reference). Returns p. */
jsre_prog *jsre_retain(jsre_prog *p);
/* Capture groups, counting group 0. */
int jsre_capture_count(const jsre_prog *p);
/* Name of group i (1-based) as UTF-16, or NULL when unnamed. */
const uint16_t *jsre_group_name(const jsre_prog *p, int i, uint32_t *len);
int jsre_has_names(const jsre_prog *p);
unsigned jsre_flags(const jsre_prog *p);

/* Matches at exactly `start` (sticky) or searching forward from it. s must be
 * flat. caps receives 2 * capture_count offsets (-1 = unmatched).
 * Returns 1 on a match, 0 on none, -1 with an exception pending on t
 * (interrupt, termination, memory limit). */
int jsre_exec(struct js_thread *t, const jsre_prog *p, const struct js_string *s, uint32_t start,
              int sticky, int32_t *caps);

/* Early-error check for regex literals (the parser's validate_regexp hook). */
int jsre_validate_pattern(const uint16_t *pat, size_t len, const char *flags, char *err, size_t errlen);

#endif
