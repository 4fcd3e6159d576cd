/*
 * test_parser.c - the front end (lib/compiler: lexer, parser, scope analysis)
 * through parser.h/ast.h: trees, early errors with positions, scopes and
 * bindings, eval/dynamic-function options, limits. No runtime involved.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/parser.h"

static jsast_program *parse_opt(const char *src, int flags, jsparse_error *err)
{
    jsparse_options o;
    memset(&o, 0, sizeof o);
    o.flags = flags;
    return jsparse_utf8(src, strlen(src), &o, err);
}

static jsast_program *parse_ok(const char *src, int flags)
{
    jsparse_error err;
    jsast_program *p = parse_opt(src, flags, &err);
    if (!p)
        ck_abort_msg("unexpected error for <%s>: %u:%u %s", src, err.line, err.col, err.msg);
    return p;
}

static void expect_error(const char *src, int flags)
{
    jsparse_error err;
    jsast_program *p = parse_opt(src, flags, &err);
    if (p) {
        jsast_program_free(p);
        ck_abort_msg("expected a SyntaxError for <%s>", src);
    }
    ck_assert_int_eq(err.kind, JSPARSE_ERR_SYNTAX);
}

static jsast_node *stmt(jsast_program *p, uint32_t i)
{
    ck_assert_uint_gt(p->fn->body.count, i);
    return p->fn->body.items[i];
}

START_TEST(test_basic_tree)
{
    jsast_program *p = parse_ok("var a = 1 + 2 * 3;", 0);
    jsast_node *d = stmt(p, 0), *init;
    ck_assert_int_eq(d->kind, JSAST_VAR_DECL);
    ck_assert_int_eq(d->u.var.kind, JSAST_VAR_VAR);
    init = d->u.var.decls.items[0]->u.decl.init;
    ck_assert_int_eq(init->kind, JSAST_BINARY);
    ck_assert_int_eq(init->u.binary.op, JSAST_OP_ADD);
    ck_assert_int_eq(init->u.binary.right->u.binary.op, JSAST_OP_MUL);
    ck_assert(jsast_str_eq_ascii(d->u.var.decls.items[0]->u.decl.id->u.ident.name, "a"));
    jsast_program_free(p);
}
END_TEST

START_TEST(test_literals)
{
    jsast_program *p = parse_ok("0x1F; 1_000.5e1; 0b101n; 'a\\u{1F600}'; `x${1}y`; /a[/]b/gu; 017;", 0);
    ck_assert_double_eq(stmt(p, 0)->u.expr_stmt.expr->u.num.value, 31);
    ck_assert_double_eq(stmt(p, 1)->u.expr_stmt.expr->u.num.value, 10005);
    ck_assert_int_eq(stmt(p, 2)->u.expr_stmt.expr->kind, JSAST_BIGINT);
    ck_assert_str_eq(stmt(p, 2)->u.expr_stmt.expr->u.bigint.text, "0b101");
    ck_assert_uint_eq(stmt(p, 3)->u.expr_stmt.expr->u.str.value->len, 3);
    ck_assert_uint_eq(stmt(p, 4)->u.expr_stmt.expr->u.tmpl.quasis.count, 2);
    ck_assert_str_eq(stmt(p, 5)->u.expr_stmt.expr->u.regexp.flags, "gu");
    ck_assert(jsast_str_eq_ascii(stmt(p, 5)->u.expr_stmt.expr->u.regexp.pattern, "a[/]b"));
    ck_assert_double_eq(stmt(p, 6)->u.expr_stmt.expr->u.num.value, 15);
    jsast_program_free(p);
}
END_TEST

START_TEST(test_template_raw_cooked)
{
    jsast_program *p = parse_ok("tag`\\unicode and \\u{55}`;", 0);
    jsast_node *t = stmt(p, 0)->u.expr_stmt.expr;
    ck_assert_int_eq(t->kind, JSAST_TAGGED_TEMPLATE);
    ck_assert_ptr_null(t->u.tagged.quasi->u.tmpl.quasis.items[0]->u.tmpl_elem.cooked);
    ck_assert(jsast_str_eq_ascii(t->u.tagged.quasi->u.tmpl.quasis.items[0]->u.tmpl_elem.raw,
                                 "\\unicode and \\u{55}"));
    jsast_program_free(p);
    expect_error("`\\unicode`", 0);
}
END_TEST

START_TEST(test_error_position)
{
    jsparse_error err;
    jsast_program *p = parse_opt("var x = 1;\nvar y = );", 0, &err);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(err.line, 2);
    ck_assert_uint_eq(err.col, 9);
    ck_assert(strstr(err.msg, ")") != NULL);
}
END_TEST

static const char *const must_fail[] = {
    "let a; let a;", "let a; var a;", "const a;", "for (const x of y, z);",
    "'use strict'; with (a) {}", "'use strict'; delete x;", "'use strict'; var eval;",
    "'use strict'; 010", "function f(a, a) { 'use strict'; }", "(a, a) => 1",
    "function f(a = 1) { 'use strict'; }", "a => { 'use strict'; with (a); }",
    "break;", "continue;", "x: while (1) { (function () { break x; }); }",
    "return 1;", "function* g() { function* h(a = yield) {} }", "async function f(a = await 1) {}",
    "super.x;", "new.target", "({ __proto__: 1, __proto__: 2 })", "({a = 1});",
    "class A { constructor() {} constructor() {} }", "class A { #x; #x; }",
    "class A { m() { this.#y; } }", "class A { static prototype() {} }",
    "class A { constructor() { super(); } }", "a ?? b || c", "-a ** 2",
    "/a/gg", "/a/uv", "a?.b = 1", "a?.`x`", "new a?.b", "1 = 2", "++a++",
    "import x from 'y';", "export var a;", "let [a, a] = b;", "try {} catch (e) { let e; }",
    "for (let x in y) { var x; }", "`\\01`", "if (1) class A {}", "while (1) let x = 1;",
    "({ get a(x) {} })", "({ set a() {} })", "async () => await", "function f() { 'use strict'; 07; }",
    "class A extends B { x = super(); }", "class A { x = arguments; }", "x = { a: 1 } = 2",
    "[...a, b] = c", "({...a,} = b)", "(...a, b) => 1", "async function f() { for await (x in y); }",
    "'\\u{110000}'", "a\\u0020b", "v\\u0061r x;", "for (async of x);", "for (let of x);",
    "class A { static { await; } }", "class A { static { return; } }",
    "label: label: ;", "function f() { x: x: ; }", "switch (a) { default: default: }",
    "function* g() { yield\n* 1; }", "0_1", "1__0", "1_", "0x", "1e", "3in x",
};

static const char *const must_pass[] = {
    "var a; var a;", "function f() {} var f;", "{ function f() {} function f() {} }",
    "try {} catch (e) { var e; }", "let\nx = 1", "var let = 1; let\n", "yield = 1;",
    "function* g() { yield; yield* g(); yield\n1; }", "async function f() { await 1; for await (x of y); }",
    "({ __proto__: 1, ['__proto__']: 2, __proto__() {} })", "[a, ...b] = c", "({a = 1} = b)",
    "({ a: b.c, d: [e] } = f)", "(a, b) => 1", "async (a) => a", "async\n(a)", "a?.b?.[c]?.(d)",
    "x = y => z => 1", "for (var x = 1 in y);", "if (a) function f() {}", "l: function f() {}",
    "class A extends B { constructor() { super(); } m() { super.x; } static { this.x; } #p; has(o) { return #p in o; } }",
    "class A { get #a() {} set #a(v) {} static async *m() {} 'constructor'() {} }",
    "x = class { static x = 1; y = this; [Symbol.iterator]() {} }", "a = b ? c : d => e",
    "label: for (;;) { continue label; }", "a\n++b", "x => {}\n(1)", "`a${b}c${d}e`",
    "<!-- html comment\nx = 1;\n--> also comment", "#!/usr/bin/env node\n1", "a\u2028b",
    "var \\u0061b;", "({ async *[x]() {}, get if() {}, set in(v) {} })", "new new X()()",
    "using\nx = 1", "{ using x = y; }", "async function f() { await using x = y; }",
    "a ?\?= b; a ||= c; a &&= d;", "(a ?? b) || c", "(-a) ** 2", "a ** -b",
    "f() = 1", "for (f() in x);", "let async = 1; async = 2;", "var await; await = 1;",
    "function f() { return /=/g; }", "x = /[/]/", "a = b / c / d", "({}) / 1",
    "import.meta", "import('x')", "import('x', { with: {} })",
};

START_TEST(test_early_errors)
{
    size_t i;
    for (i = 0; i < sizeof must_fail / sizeof must_fail[0]; i++)
        expect_error(must_fail[i], 0);
}
END_TEST

START_TEST(test_valid_programs)
{
    size_t i;
    for (i = 0; i < sizeof must_pass / sizeof must_pass[0]; i++) {
        int flags = strstr(must_pass[i], "import.meta") ? JSPARSE_MODULE : 0;
        jsast_program_free(parse_ok(must_pass[i], flags));
    }
}
END_TEST

START_TEST(test_modules)
{
    jsast_program *p = parse_ok(
        "import a, { b as c, 'd e' as f } from 'm' with { type: 'json' };\n"
        "import * as ns from 'n';\n"
        "export { a, c as 'x y' }; export * as q from 'z'; export default function () {}\n"
        "export const k = 1; await 0;", JSPARSE_MODULE);
    jsast_node *imp = stmt(p, 0);
    ck_assert_int_eq(imp->kind, JSAST_IMPORT_DECL);
    ck_assert_uint_eq(imp->u.import_decl.specifiers.count, 3);
    ck_assert_uint_eq(imp->u.import_decl.attributes.count, 1);
    ck_assert(p->fn->flags & JSAST_FN_HAS_TLA);
    ck_assert(p->fn->flags & JSAST_FN_STRICT);
    ck_assert_ptr_nonnull(stmt(p, 4)->u.export_default.binding);
    jsast_program_free(p);
    expect_error("export { nope };", JSPARSE_MODULE);
    expect_error("export var a; export { a };", JSPARSE_MODULE);
    expect_error("export default 1; export default 2;", JSPARSE_MODULE);
    expect_error("<!-- x", JSPARSE_MODULE);
    expect_error("import { if } from 'x';", JSPARSE_MODULE);
    expect_error("function f() {} var f;", JSPARSE_MODULE);
}
END_TEST

/* the binding an IDENT statement expression resolves to */
static jsast_binding *ref_binding(jsast_node *n)
{
    ck_assert_int_eq(n->kind, JSAST_IDENT);
    return n->u.ident.binding;
}

START_TEST(test_scopes)
{
    jsast_program *p = parse_ok(
        "function outer(a) { var v; let l; function inner() { a; v; return arguments; }\n"
        "  { let b; b; } with (o) { v; } return () => this; }", 0);
    jsast_function *outer = stmt(p, 0)->u.func.fn, *inner;
    jsast_node *body2;
    jsast_binding *b;
    ck_assert_int_eq(outer->scope->kind, JSAST_SCOPE_FUNCTION);
    ck_assert_ptr_eq(outer->scope, outer->var_scope);
    inner = outer->body.items[2]->u.func.fn;
    b = ref_binding(inner->body.items[0]->u.expr_stmt.expr);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(b->kind, JSAST_BIND_PARAM);
    ck_assert(b->captured);
    ck_assert(inner->flags & JSAST_FN_USES_ARGUMENTS);
    ck_assert(inner->flags & JSAST_FN_MAPPED_ARGUMENTS);
    ck_assert(outer->flags & JSAST_FN_NEEDS_ENV);
    ck_assert(outer->flags & JSAST_FN_USES_THIS);
    body2 = outer->body.items[3];
    ck_assert_ptr_nonnull(body2->u.block.scope);
    b = ref_binding(body2->u.block.body.items[1]->u.expr_stmt.expr);
    ck_assert_int_eq(b->kind, JSAST_BIND_LET);
    ck_assert(!b->captured);
    /* v inside with is dynamic */
    ck_assert(outer->body.items[4]->u.with.body->u.block.body.items[0]->u.expr_stmt.expr->flags & JSAST_F_DYNAMIC);
    jsast_program_free(p);
}
END_TEST

START_TEST(test_annexb_and_eval)
{
    jsast_program *p = parse_ok("function f() { { function g() {} } g; eval('1'); }", 0);
    jsast_function *f = stmt(p, 0)->u.func.fn;
    jsast_node *blk = f->body.items[0];
    jsast_function *g = blk->u.block.body.items[0]->u.func.fn;
    ck_assert(blk->u.block.body.items[0]->flags & JSAST_F_ANNEXB);
    ck_assert_ptr_nonnull(g->annexb_var);
    ck_assert_ptr_eq(g->annexb_var->scope, f->var_scope);
    ck_assert(f->flags & JSAST_FN_DIRECT_EVAL);
    ck_assert(f->var_scope->has_eval);
    ck_assert(g->annexb_var->captured);
    jsast_program_free(p);
    /* no Annex B var when it would conflict */
    p = parse_ok("function f() { let g; { function g() {} } }", 0);
    ck_assert_ptr_null(stmt(p, 0)->u.func.fn->body.items[1]->u.block.body.items[0]->u.func.fn->annexb_var);
    jsast_program_free(p);
}
END_TEST

START_TEST(test_eval_options)
{
    jsparse_options o;
    jsparse_error err;
    jsast_program *p;
    static const uint16_t px[] = { 'x' };
    const uint16_t *names[1] = { px };
    uint32_t lens[1] = { 1 };
    memset(&o, 0, sizeof o);
    o.flags = JSPARSE_EVAL | JSPARSE_DIRECT_EVAL;
    p = jsparse_utf8("new.target", 10, &o, &err);
    ck_assert_ptr_null(p);
    o.flags |= JSPARSE_IN_FUNCTION | JSPARSE_IN_METHOD;
    p = jsparse_utf8("new.target; super.x; this.#x", 28, &o, &err);
    ck_assert_ptr_null(p);
    o.private_names = names;
    o.private_name_lens = lens;
    o.nprivate_names = 1;
    p = jsparse_utf8("new.target; super.x; this.#x", 28, &o, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->fn->kind, JSAST_FN_EVAL);
    jsast_program_free(p);
    o.flags |= JSPARSE_IN_FIELD_INIT;
    p = jsparse_utf8("arguments", 9, &o, &err);
    ck_assert_ptr_null(p);
}
END_TEST

START_TEST(test_dynamic_function)
{
    const char *ok = "function anonymous(a, b\n) {\nreturn a + b\n}";
    const char *bad = "function anonymous(/*\n) {\n*/){\n}";
    jsparse_options o;
    jsparse_error err;
    jsast_program *p;
    memset(&o, 0, sizeof o);
    o.flags = JSPARSE_DYNAMIC_FUNCTION;
    o.params_end = (uint32_t)(strstr(ok, "\n)") - ok);
    o.body_start = (uint32_t)(strstr(ok, ") {") - ok) + 3;
    p = jsparse_utf8(ok, strlen(ok), &o, &err);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(stmt(p, 0)->u.expr_stmt.expr->kind, JSAST_FUNC_EXPR);
    ck_assert_uint_eq(stmt(p, 0)->u.expr_stmt.expr->u.func.fn->params.count, 2);
    jsast_program_free(p);
    o.params_end = (uint32_t)(strstr(bad, "/*") - bad) + 2;
    o.body_start = (uint32_t)(strstr(bad, ") {") - bad) + 3;
    ck_assert_ptr_null(jsparse_utf8(bad, strlen(bad), &o, &err));
}
END_TEST

START_TEST(test_utf16_and_positions)
{
    static const uint16_t src[] = { 'v', 'a', 'r', ' ', 0xD83D, 0xDE00, ';', ' ', 'x', ')' };
    jsparse_error err;
    jsast_program *p = jsparse_utf16(src, 10, NULL, &err);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(err.line, 1);
    /* the emoji is not an identifier: error at column 5 (UTF-16) */
    ck_assert_uint_eq(err.col, 5);
    p = parse_ok("function f(a) { return a; }\nvar g = () => 1;", 0);
    ck_assert_uint_eq(stmt(p, 0)->u.func.fn->src_start, 0);
    ck_assert_uint_eq(stmt(p, 0)->u.func.fn->src_end, 27);
    ck_assert_uint_eq(stmt(p, 1)->line, 2);
    jsast_program_free(p);
}
END_TEST

START_TEST(test_depth_limit)
{
    size_t n = 100000, i;
    char *s = malloc(n * 2 + 2);
    jsparse_error err;
    for (i = 0; i < n; i++)
        s[i] = '(';
    s[n] = '1';
    for (i = 0; i < n; i++)
        s[n + 1 + i] = ')';
    s[2 * n + 1] = 0;
    ck_assert_ptr_null(parse_opt(s, 0, &err));
    ck_assert(strstr(err.msg, "too") != NULL);
    for (i = 0; i < n; i++)
        s[i] = '[';
    s[n] = 0;
    ck_assert_ptr_null(parse_opt(s, 0, &err));
    free(s);
}
END_TEST

static int reject_regexp(const uint16_t *pat, size_t len, const char *flags, char *err, size_t n)
{
    snprintf(err, n, "nope");
    return len == 1 && pat[0] == '(';
}

START_TEST(test_regexp_hook)
{
    jsparse_options o;
    jsparse_error err;
    memset(&o, 0, sizeof o);
    o.validate_regexp = reject_regexp;
    ck_assert_ptr_null(jsparse_utf8("/(/", 3, &o, &err));
    ck_assert(strstr(err.msg, "nope") != NULL);
}
END_TEST

static Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_basic_tree);
    tcase_add_test(tc, test_literals);
    tcase_add_test(tc, test_template_raw_cooked);
    tcase_add_test(tc, test_error_position);
    tcase_add_test(tc, test_early_errors);
    tcase_add_test(tc, test_valid_programs);
    tcase_add_test(tc, test_modules);
    tcase_add_test(tc, test_scopes);
    tcase_add_test(tc, test_annexb_and_eval);
    tcase_add_test(tc, test_eval_options);
    tcase_add_test(tc, test_dynamic_function);
    tcase_add_test(tc, test_utf16_and_positions);
    tcase_add_test(tc, test_depth_limit);
    tcase_add_test(tc, test_regexp_hook);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(parser_suite());
}
