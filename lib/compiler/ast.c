/*
 * ast.c - the AST arena, node/operator names and a readable tree dump used by
 * tests and tools/jsparse.
 * Owns only arena memory (malloc); never touches a runtime or the GC heap.
 */
#include <stdlib.h>
#include <string.h>
#include "ast.h"

/* Chunks grow geometrically from this size: a small script costs one malloc,
 * a large program a handful. */
#define ARENA_FIRST_CHUNK (8 * 1024)
#define ARENA_MAX_CHUNK   (1024 * 1024)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    max_align_t data[];
} arena_chunk;

struct jsast_arena {
    arena_chunk *head;
    size_t total;
    size_t next_size;
};

jsast_arena *jsast_arena_new(void)
{
    jsast_arena *a = calloc(1, sizeof *a);
    if (a)
        a->next_size = ARENA_FIRST_CHUNK;
    return a;
}

void *jsast_alloc(jsast_arena *a, size_t size)
{
    arena_chunk *c = a->head;
    void *p;
    size = (size + 7) & ~(size_t)7;
    if (!c || c->size - c->used < size) {
        size_t want = a->next_size;
        if (want < size)
            want = size;
        c = malloc(sizeof(arena_chunk) + want);
        if (!c)
            return NULL;
        c->size = want;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        a->total += want;
        if (a->next_size < ARENA_MAX_CHUNK)
            a->next_size *= 2;
    }
    p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

void jsast_arena_free(jsast_arena *a)
{
    arena_chunk *c, *n;
    if (!a)
        return;
    for (c = a->head; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

size_t jsast_arena_bytes(const jsast_arena *a)
{
    return a ? a->total : 0;
}

void jsast_program_free(jsast_program *p)
{
    /* the program record itself lives in its arena */
    if (p)
        jsast_arena_free(p->arena);
}

static const char *const kind_names[JSAST_KIND_COUNT] = {
    [JSAST_PROGRAM] = "Program",
    [JSAST_EMPTY_STMT] = "EmptyStatement",
    [JSAST_BLOCK] = "BlockStatement",
    [JSAST_EXPR_STMT] = "ExpressionStatement",
    [JSAST_IF] = "IfStatement",
    [JSAST_LABELED] = "LabeledStatement",
    [JSAST_BREAK] = "BreakStatement",
    [JSAST_CONTINUE] = "ContinueStatement",
    [JSAST_WITH] = "WithStatement",
    [JSAST_SWITCH] = "SwitchStatement",
    [JSAST_CASE] = "SwitchCase",
    [JSAST_RETURN] = "ReturnStatement",
    [JSAST_THROW] = "ThrowStatement",
    [JSAST_TRY] = "TryStatement",
    [JSAST_CATCH] = "CatchClause",
    [JSAST_WHILE] = "WhileStatement",
    [JSAST_DO_WHILE] = "DoWhileStatement",
    [JSAST_FOR] = "ForStatement",
    [JSAST_FOR_IN] = "ForInStatement",
    [JSAST_FOR_OF] = "ForOfStatement",
    [JSAST_DEBUGGER] = "DebuggerStatement",
    [JSAST_FUNC_DECL] = "FunctionDeclaration",
    [JSAST_VAR_DECL] = "VariableDeclaration",
    [JSAST_DECLARATOR] = "VariableDeclarator",
    [JSAST_CLASS_DECL] = "ClassDeclaration",
    [JSAST_IDENT] = "Identifier",
    [JSAST_PRIVATE_NAME] = "PrivateIdentifier",
    [JSAST_NULL] = "NullLiteral",
    [JSAST_TRUE] = "TrueLiteral",
    [JSAST_FALSE] = "FalseLiteral",
    [JSAST_NUMBER] = "NumericLiteral",
    [JSAST_STRING] = "StringLiteral",
    [JSAST_BIGINT] = "BigIntLiteral",
    [JSAST_REGEXP] = "RegExpLiteral",
    [JSAST_TEMPLATE] = "TemplateLiteral",
    [JSAST_TEMPLATE_ELEM] = "TemplateElement",
    [JSAST_TAGGED_TEMPLATE] = "TaggedTemplateExpression",
    [JSAST_THIS] = "ThisExpression",
    [JSAST_SUPER] = "Super",
    [JSAST_ARRAY] = "ArrayExpression",
    [JSAST_OBJECT] = "ObjectExpression",
    [JSAST_PROPERTY] = "Property",
    [JSAST_SPREAD] = "SpreadElement",
    [JSAST_FUNC_EXPR] = "FunctionExpression",
    [JSAST_ARROW] = "ArrowFunctionExpression",
    [JSAST_CLASS_EXPR] = "ClassExpression",
    [JSAST_UNARY] = "UnaryExpression",
    [JSAST_UPDATE] = "UpdateExpression",
    [JSAST_BINARY] = "BinaryExpression",
    [JSAST_LOGICAL] = "LogicalExpression",
    [JSAST_ASSIGN] = "AssignmentExpression",
    [JSAST_CONDITIONAL] = "ConditionalExpression",
    [JSAST_CALL] = "CallExpression",
    [JSAST_NEW] = "NewExpression",
    [JSAST_MEMBER] = "MemberExpression",
    [JSAST_CHAIN] = "ChainExpression",
    [JSAST_SEQUENCE] = "SequenceExpression",
    [JSAST_YIELD] = "YieldExpression",
    [JSAST_AWAIT] = "AwaitExpression",
    [JSAST_NEW_TARGET] = "NewTarget",
    [JSAST_IMPORT_META] = "ImportMeta",
    [JSAST_IMPORT_CALL] = "ImportExpression",
    [JSAST_OBJECT_PATTERN] = "ObjectPattern",
    [JSAST_ARRAY_PATTERN] = "ArrayPattern",
    [JSAST_ASSIGN_PATTERN] = "AssignmentPattern",
    [JSAST_REST] = "RestElement",
    [JSAST_METHOD] = "MethodDefinition",
    [JSAST_FIELD] = "PropertyDefinition",
    [JSAST_STATIC_BLOCK] = "StaticBlock",
    [JSAST_IMPORT_DECL] = "ImportDeclaration",
    [JSAST_IMPORT_SPEC] = "ImportSpecifier",
    [JSAST_IMPORT_DEFAULT] = "ImportDefaultSpecifier",
    [JSAST_IMPORT_NS] = "ImportNamespaceSpecifier",
    [JSAST_EXPORT_NAMED] = "ExportNamedDeclaration",
    [JSAST_EXPORT_SPEC] = "ExportSpecifier",
    [JSAST_EXPORT_DEFAULT] = "ExportDefaultDeclaration",
    [JSAST_EXPORT_ALL] = "ExportAllDeclaration",
    [JSAST_IMPORT_ATTR] = "ImportAttribute",
};

const char *jsast_kind_name(int kind)
{
    if (kind <= 0 || kind >= JSAST_KIND_COUNT || !kind_names[kind])
        return "?";
    return kind_names[kind];
}

static const char *const op_names[JSAST_OP_COUNT] = {
    [JSAST_OP_NONE] = "",
    [JSAST_OP_ADD] = "+", [JSAST_OP_SUB] = "-", [JSAST_OP_MUL] = "*",
    [JSAST_OP_DIV] = "/", [JSAST_OP_MOD] = "%", [JSAST_OP_EXP] = "**",
    [JSAST_OP_SHL] = "<<", [JSAST_OP_SAR] = ">>", [JSAST_OP_SHR] = ">>>",
    [JSAST_OP_BITAND] = "&", [JSAST_OP_BITOR] = "|", [JSAST_OP_BITXOR] = "^",
    [JSAST_OP_EQ] = "==", [JSAST_OP_NE] = "!=", [JSAST_OP_SEQ] = "===",
    [JSAST_OP_SNE] = "!==", [JSAST_OP_LT] = "<", [JSAST_OP_GT] = ">",
    [JSAST_OP_LE] = "<=", [JSAST_OP_GE] = ">=", [JSAST_OP_IN] = "in",
    [JSAST_OP_INSTANCEOF] = "instanceof",
    [JSAST_OP_AND] = "&&", [JSAST_OP_OR] = "||", [JSAST_OP_NULLISH] = "??",
    [JSAST_OP_NEG] = "-", [JSAST_OP_PLUS] = "+", [JSAST_OP_NOT] = "!",
    [JSAST_OP_BITNOT] = "~", [JSAST_OP_TYPEOF] = "typeof", [JSAST_OP_VOID] = "void",
    [JSAST_OP_DELETE] = "delete",
    [JSAST_OP_INC] = "++", [JSAST_OP_DEC] = "--",
    [JSAST_OP_ASSIGN] = "=",
};

const char *jsast_op_name(int op)
{
    if (op < 0 || op >= JSAST_OP_COUNT)
        return "?";
    return op_names[op];
}

int jsast_str_eq_ascii(const jsast_str *s, const char *ascii)
{
    uint32_t i;
    for (i = 0; i < s->len; i++)
        if (!ascii[i] || s->chars[i] != (unsigned char)ascii[i])
            return 0;
    return ascii[i] == 0;
}

void jsast_print_str(FILE *f, const jsast_str *s)
{
    uint32_t i;
    if (!s) {
        fputs("(null)", f);
        return;
    }
    for (i = 0; i < s->len; i++) {
        uint32_t c = s->chars[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s->len &&
            s->chars[i + 1] >= 0xDC00 && s->chars[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (s->chars[i + 1] - 0xDC00);
            i++;
        }
        if (c == '\n')
            fputs("\\n", f);
        else if (c == '"' || c == '\\')
            fprintf(f, "\\%c", (int)c);
        else if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF))
            fprintf(f, "\\u%04X", (unsigned)c);
        else if (c < 0x80)
            fputc((int)c, f);
        else if (c < 0x800) {
            fputc(0xC0 | (c >> 6), f);
            fputc(0x80 | (c & 0x3F), f);
        } else if (c < 0x10000) {
            fputc(0xE0 | (c >> 12), f);
            fputc(0x80 | ((c >> 6) & 0x3F), f);
            fputc(0x80 | (c & 0x3F), f);
        } else {
            fputc(0xF0 | (c >> 18), f);
            fputc(0x80 | ((c >> 12) & 0x3F), f);
            fputc(0x80 | ((c >> 6) & 0x3F), f);
            fputc(0x80 | (c & 0x3F), f);
        }
    }
}

static void dump_list(FILE *f, const char *label, const jsast_list *l, int indent);

static void dump_child(FILE *f, const char *label, const jsast_node *n, int indent)
{
    if (!n)
        return;
    fprintf(f, "%*s%s:\n", indent, "", label);
    jsast_dump(f, n, indent + 2);
}

static void dump_list(FILE *f, const char *label, const jsast_list *l, int indent)
{
    uint32_t i;
    if (!l->count)
        return;
    fprintf(f, "%*s%s[%u]:\n", indent, "", label, l->count);
    for (i = 0; i < l->count; i++) {
        if (l->items[i])
            jsast_dump(f, l->items[i], indent + 2);
        else
            fprintf(f, "%*s<hole>\n", indent + 2, "");
    }
}

static const char *const fn_kind_names[] = {
    "normal", "arrow", "method", "getter", "setter", "class-ctor", "derived-ctor",
    "field-init", "static-block", "script", "module", "eval"
};

static void dump_scope(FILE *f, const jsast_scope *s, int indent)
{
    static const char *const sk[] = { "script", "module", "function", "function-body",
        "block", "for", "catch", "class", "with", "eval" };
    static const char *const bk[] = { "var", "let", "const", "class", "class-inner",
        "function", "param", "catch", "import", "arguments", "func-name", "using",
        "await-using" };
    uint32_t i;
    if (!s)
        return;
    fprintf(f, "%*sscope %s%s%s%s:", indent, "", sk[s->kind], s->strict ? " strict" : "",
            s->has_eval ? " eval" : "", s->needs_env ? " env" : "");
    for (i = 0; i < s->nbindings; i++) {
        const jsast_binding *b = s->bindings[i];
        fputc(' ', f);
        jsast_print_str(f, b->name);
        fprintf(f, "(%s#%u%s)", bk[b->kind], b->slot, b->captured ? ",captured" : "");
    }
    fputc('\n', f);
}

static void dump_fn(FILE *f, const jsast_function *fn, int indent)
{
    static const char *const fl[] = { "async", "generator", "strict", "use-strict",
        "simple-params", "param-exprs", "expr-body", "arguments", "mapped-arguments",
        "this", "super-prop", "super-call", "new-target", "direct-eval", "env",
        "declaration", "named-expr", "tla", "heritage", "in-class", "static",
        "super-scope" };
    unsigned i;
    fprintf(f, "%*sfunction %s", indent, "", fn_kind_names[fn->kind]);
    if (fn->name) {
        fputs(" name=", f);
        jsast_print_str(f, fn->name);
    }
    fprintf(f, " length=%u src=%u..%u", fn->length, fn->src_start, fn->src_end);
    for (i = 0; i < sizeof fl / sizeof fl[0]; i++)
        if (fn->flags & (1u << i))
            fprintf(f, " %s", fl[i]);
    fputc('\n', f);
    dump_scope(f, fn->scope, indent);
    if (fn->var_scope != fn->scope)
        dump_scope(f, fn->var_scope, indent);
    dump_list(f, "params", &fn->params, indent);
    dump_list(f, "body", &fn->body, indent);
}

static void dump_class(FILE *f, const jsast_class *c, int indent)
{
    uint32_t i;
    if (c->name) {
        fprintf(f, "%*sname=", indent, "");
        jsast_print_str(f, c->name);
        fputc('\n', f);
    }
    dump_scope(f, c->scope, indent);
    for (i = 0; i < c->nprivates; i++) {
        fprintf(f, "%*sprivate #", indent, "");
        jsast_print_str(f, c->privates[i]->name);
        fprintf(f, " kind=%d%s\n", c->privates[i]->kind, c->privates[i]->is_static ? " static" : "");
    }
    dump_child(f, "extends", c->heritage, indent);
    dump_child(f, "constructor", c->constructor, indent);
    dump_list(f, "elements", &c->elements, indent);
}

void jsast_dump(FILE *f, const jsast_node *n, int indent)
{
    static const char *const fnames[] = { "paren", "computed", "optional", "static",
        "shorthand", "method", "proto", "direct-eval", "prefix", "delegate", "await",
        "dynamic", "directive", "binding", "in-chain", "annexb", "tdz" };
    unsigned i;
    if (!n) {
        fprintf(f, "%*s<null>\n", indent, "");
        return;
    }
    fprintf(f, "%*s%s", indent, "", jsast_kind_name(n->kind));
    for (i = 0; i < sizeof fnames / sizeof fnames[0]; i++)
        if (n->flags & (1u << i))
            fprintf(f, " [%s]", fnames[i]);
    switch (n->kind) {
    case JSAST_IDENT:
        fputc(' ', f);
        jsast_print_str(f, n->u.ident.name);
        if (n->u.ident.binding) {
            const jsast_binding *b = n->u.ident.binding;
            fprintf(f, " -> slot %u%s", b->slot, b->captured ? " captured" : "");
        }
        break;
    case JSAST_PRIVATE_NAME:
        fputs(" #", f);
        jsast_print_str(f, n->u.priv.name);
        break;
    case JSAST_NUMBER:
        fprintf(f, " %.17g", n->u.num.value);
        break;
    case JSAST_STRING:
        fputs(" \"", f);
        jsast_print_str(f, n->u.str.value);
        fputc('"', f);
        break;
    case JSAST_BIGINT:
        fprintf(f, " %.*sn", (int)n->u.bigint.len, n->u.bigint.text);
        break;
    case JSAST_REGEXP:
        fputs(" /", f);
        jsast_print_str(f, n->u.regexp.pattern);
        fprintf(f, "/%s", n->u.regexp.flags);
        break;
    case JSAST_TEMPLATE_ELEM:
        fputs(" cooked=", f);
        if (n->u.tmpl_elem.cooked) {
            fputc('"', f);
            jsast_print_str(f, n->u.tmpl_elem.cooked);
            fputc('"', f);
        } else
            fputs("<invalid>", f);
        fputs(" raw=\"", f);
        jsast_print_str(f, n->u.tmpl_elem.raw);
        fputc('"', f);
        break;
    case JSAST_UNARY: case JSAST_UPDATE: case JSAST_BINARY: case JSAST_LOGICAL:
        fprintf(f, " %s", jsast_op_name(n->u.binary.op));
        break;
    case JSAST_ASSIGN:
        fprintf(f, " %s=", n->u.binary.op == JSAST_OP_ASSIGN ? "" : jsast_op_name(n->u.binary.op));
        break;
    case JSAST_VAR_DECL: {
        static const char *const vk[] = { "var", "let", "const", "using", "await using" };
        fprintf(f, " %s", vk[n->u.var.kind]);
        break;
    }
    case JSAST_PROPERTY:
        fprintf(f, " %s", n->u.prop.kind == JSAST_PROP_GET ? "get" :
                n->u.prop.kind == JSAST_PROP_SET ? "set" : "init");
        break;
    case JSAST_METHOD: {
        static const char *const mk[] = { "method", "get", "set", "constructor" };
        fprintf(f, " %s", mk[n->u.method.kind]);
        break;
    }
    case JSAST_LABELED: case JSAST_BREAK: case JSAST_CONTINUE:
        if (n->u.jump.label) {
            fputc(' ', f);
            jsast_print_str(f, n->u.jump.label);
        }
        break;
    default:
        break;
    }
    fprintf(f, " @%u:%u\n", n->line, n->col);
    indent += 2;
    switch (n->kind) {
    case JSAST_PROGRAM: case JSAST_FUNC_DECL: case JSAST_FUNC_EXPR: case JSAST_ARROW:
    case JSAST_STATIC_BLOCK:
        dump_fn(f, n->u.func.fn, indent);
        break;
    case JSAST_CLASS_DECL: case JSAST_CLASS_EXPR:
        dump_class(f, n->u.cls.cls, indent);
        break;
    case JSAST_BLOCK:
        dump_scope(f, n->u.block.scope, indent);
        dump_list(f, "body", &n->u.block.body, indent);
        break;
    case JSAST_EXPR_STMT:
        jsast_dump(f, n->u.expr_stmt.expr, indent);
        break;
    case JSAST_IF: case JSAST_CONDITIONAL:
        dump_child(f, "test", n->u.cond.test, indent);
        dump_child(f, "then", n->u.cond.cons, indent);
        dump_child(f, "else", n->u.cond.alt, indent);
        break;
    case JSAST_LABELED:
        jsast_dump(f, n->u.labeled.body, indent);
        break;
    case JSAST_WITH:
        dump_child(f, "object", n->u.with.object, indent);
        dump_child(f, "body", n->u.with.body, indent);
        break;
    case JSAST_SWITCH:
        dump_scope(f, n->u.switch_.scope, indent);
        dump_child(f, "disc", n->u.switch_.disc, indent);
        dump_list(f, "cases", &n->u.switch_.cases, indent);
        break;
    case JSAST_CASE:
        dump_child(f, "test", n->u.case_.test, indent);
        dump_list(f, "body", &n->u.case_.body, indent);
        break;
    case JSAST_RETURN: case JSAST_THROW: case JSAST_SPREAD: case JSAST_REST: case JSAST_CHAIN:
        if (n->u.arg.arg)
            jsast_dump(f, n->u.arg.arg, indent);
        break;
    case JSAST_TRY:
        dump_child(f, "block", n->u.try_.block, indent);
        dump_child(f, "handler", n->u.try_.handler, indent);
        dump_child(f, "finalizer", n->u.try_.finalizer, indent);
        break;
    case JSAST_CATCH:
        dump_scope(f, n->u.catch_.scope, indent);
        dump_child(f, "param", n->u.catch_.param, indent);
        dump_child(f, "body", n->u.catch_.body, indent);
        break;
    case JSAST_WHILE: case JSAST_DO_WHILE: case JSAST_FOR:
        dump_scope(f, n->u.loop.scope, indent);
        dump_child(f, "init", n->u.loop.init, indent);
        dump_child(f, "test", n->u.loop.test, indent);
        dump_child(f, "update", n->u.loop.update, indent);
        dump_child(f, "body", n->u.loop.body, indent);
        break;
    case JSAST_FOR_IN: case JSAST_FOR_OF:
        dump_scope(f, n->u.forin.scope, indent);
        dump_child(f, "left", n->u.forin.left, indent);
        dump_child(f, "right", n->u.forin.right, indent);
        dump_child(f, "body", n->u.forin.body, indent);
        break;
    case JSAST_VAR_DECL:
        dump_list(f, "decls", &n->u.var.decls, indent);
        break;
    case JSAST_DECLARATOR:
        dump_child(f, "id", n->u.decl.id, indent);
        dump_child(f, "init", n->u.decl.init, indent);
        break;
    case JSAST_TEMPLATE:
        dump_list(f, "quasis", &n->u.tmpl.quasis, indent);
        dump_list(f, "exprs", &n->u.tmpl.exprs, indent);
        break;
    case JSAST_TAGGED_TEMPLATE:
        dump_child(f, "tag", n->u.tagged.tag, indent);
        dump_child(f, "quasi", n->u.tagged.quasi, indent);
        break;
    case JSAST_ARRAY: case JSAST_OBJECT: case JSAST_SEQUENCE: case JSAST_OBJECT_PATTERN:
    case JSAST_ARRAY_PATTERN:
        dump_list(f, "items", &n->u.list, indent);
        break;
    case JSAST_PROPERTY: case JSAST_METHOD:
        dump_child(f, "key", n->u.prop.key, indent);
        dump_child(f, "value", n->u.prop.value, indent);
        break;
    case JSAST_FIELD:
        dump_child(f, "key", n->u.field.key, indent);
        dump_child(f, "value", n->u.field.value, indent);
        break;
    case JSAST_UNARY: case JSAST_UPDATE: case JSAST_YIELD: case JSAST_AWAIT:
        if (n->u.unary.arg)
            jsast_dump(f, n->u.unary.arg, indent);
        break;
    case JSAST_BINARY: case JSAST_LOGICAL: case JSAST_ASSIGN: case JSAST_ASSIGN_PATTERN:
        jsast_dump(f, n->u.binary.left, indent);
        jsast_dump(f, n->u.binary.right, indent);
        break;
    case JSAST_CALL: case JSAST_NEW:
        dump_child(f, "callee", n->u.call.callee, indent);
        dump_list(f, "args", &n->u.call.args, indent);
        break;
    case JSAST_MEMBER:
        jsast_dump(f, n->u.member.object, indent);
        jsast_dump(f, n->u.member.property, indent);
        break;
    case JSAST_IMPORT_CALL:
        dump_child(f, "source", n->u.import_call.source, indent);
        dump_child(f, "options", n->u.import_call.options, indent);
        break;
    case JSAST_IMPORT_DECL:
        dump_list(f, "specifiers", &n->u.import_decl.specifiers, indent);
        dump_child(f, "source", n->u.import_decl.source, indent);
        dump_list(f, "attributes", &n->u.import_decl.attributes, indent);
        break;
    case JSAST_IMPORT_SPEC: case JSAST_IMPORT_DEFAULT: case JSAST_IMPORT_NS: case JSAST_EXPORT_SPEC:
        dump_child(f, "imported", n->u.spec.imported, indent);
        dump_child(f, "local", n->u.spec.local, indent);
        break;
    case JSAST_EXPORT_NAMED:
        dump_child(f, "decl", n->u.export_named.decl, indent);
        dump_list(f, "specifiers", &n->u.export_named.specifiers, indent);
        dump_child(f, "source", n->u.export_named.source, indent);
        dump_list(f, "attributes", &n->u.export_named.attributes, indent);
        break;
    case JSAST_EXPORT_DEFAULT:
        dump_child(f, "decl", n->u.export_default.decl, indent);
        break;
    case JSAST_EXPORT_ALL:
        dump_child(f, "exported", n->u.export_all.exported, indent);
        dump_child(f, "source", n->u.export_all.source, indent);
        dump_list(f, "attributes", &n->u.export_all.attributes, indent);
        break;
    case JSAST_IMPORT_ATTR:
        dump_child(f, "key", n->u.attr.key, indent);
        dump_child(f, "value", n->u.attr.value, indent);
        break;
    default:
        break;
    }
}
