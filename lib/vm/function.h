/*
 * function.h - the VM's data: opcodes, compiled function templates (JS_CELL_FUNCTION_BC),
 * closures (JS_CLASS_FUNCTION_BC objects), environments (JS_CELL_ENV) and call frames.
 * Shared by codegen.c, interp*.c, function.c, env.c, generator.c only; other modules use vm.h
 * (plus jsvm_function_source for Function.prototype.toString).
 * Thread rules: templates are immutable after codegen except inline caches, which
 * only the owning runtime's thread writes.
 */
#ifndef JSE_VM_FUNCTION_H
#define JSE_VM_FUNCTION_H

#include "vm.h"

enum {
#define OP(name, fmt, pop, push) OP_##name,
#include "opcodes.def"
#undef OP
    OP_COUNT
};
enum { OPF_NONE, OPF_U8, OPF_U16, OPF_U32, OPF_I32, OPF_U16U16, OPF_ATOMIC, OPF_U32U8 };
extern const uint8_t jsvm_op_size[OP_COUNT];
extern const uint8_t jsvm_op_fmt[OP_COUNT];
extern const char *const jsvm_op_name[OP_COUNT];

/* Inline cache entry of one property access site. */
typedef struct js_ic {
    struct js_shape *shape;    /* NULL: empty */
    uint32_t slot;
    uint32_t stamp;            /* global sites: property count of the lexical record;
                                  prototype hits: rt->proto_epoch, or 0 when holder_shape
                                  alone proves the hit (holder is the receiver's proto) */
    struct js_object *holder;  /* prototype holding the property (method caches) or NULL */
    struct js_shape *holder_shape;
} js_ic;

/* Scope descriptor: names and initial values of one heap environment. Lives in the
 * constant pool as a JS_CELL_INTERNAL cell. */
typedef struct js_scope_desc {
    js_internal base;
    uint32_t count;
    uint32_t flags;            /* JS_SCOPE_* */
    jsv *names;                /* atoms (malloc-ed) */
    uint8_t *kinds;            /* JS_VAR_* per slot */
} js_scope_desc;
#define JS_SCOPE_FUNCTION 0x1  /* the function's var scope: eval var declarations land here */
#define JS_SCOPE_EVAL     0x2  /* eval code's own lexical scope */
#define JS_SCOPE_PARAMS   0x4  /* parameter scope of a function with parameter expressions */
#define JS_SCOPE_ARROW    0x8  /* ... of an arrow function */
enum { JS_VAR_VAR, JS_VAR_LET, JS_VAR_CONST, JS_VAR_FUNC, JS_VAR_PARAM, JS_VAR_CLASS, JS_VAR_CONST_SLOPPY };

/* Line table entry: bytecode offset -> source position. */
typedef struct js_lineinfo { uint32_t pc, line, col; } js_lineinfo;

/* js_function_bc.flags */
#define JSFB_STRICT        0x0001
#define JSFB_ARROW         0x0002
#define JSFB_GENERATOR     0x0004
#define JSFB_ASYNC         0x0008
#define JSFB_CLASS_CTOR    0x0010
#define JSFB_DERIVED       0x0020
#define JSFB_METHOD        0x0040   /* has a home object; not a constructor */
#define JSFB_CONSTRUCTOR   0x0080   /* has [[Construct]] */
#define JSFB_SCRIPT        0x0100   /* top-level script code */
#define JSFB_EVAL          0x0200   /* eval code */
#define JSFB_MAPPED_ARGS   0x0400
#define JSFB_FIELD_INIT    0x0800   /* class field initializer */
#define JSFB_HAS_PROTO     0x1000   /* gets a .prototype property */
#define JSFB_ACCESSOR      0x2000
#define JSFB_NEEDS_THIS_BOX 0x4000  /* derived ctor: this lives in a box arrows share */
#define JSFB_MODULE        0x8000
#define JSFB_DEFAULT_CTOR  0x10000  /* synthesized class constructor */

typedef struct js_function_bc {
    js_cell h;                 /* JS_CELL_FUNCTION_BC */
    uint32_t flags;            /* JSFB_* */
    uint8_t *code;             /* malloc-ed */
    uint32_t code_len;
    uint32_t nconsts;
    jsv *consts;               /* malloc-ed; atoms, numbers, strings, templates (cells) */
    js_ic *ics;                /* malloc-ed */
    uint32_t nics;
    uint16_t nparams;          /* formal parameters occupying argument slots */
    uint16_t length;           /* the "length" property */
    uint16_t nlocals;
    uint16_t stack_size;
    jsv name;                  /* atom string or undefined */
    jsv filename;              /* string */
    jsv source;                /* whole source text (string) shared by all functions of a script */
    uint32_t src_start, src_end;   /* UTF-16 offsets of the function's text in source */
    js_lineinfo *lines;        /* malloc-ed, ascending pc */
    uint32_t nlines;
    jsv *local_names;          /* malloc-ed: atom per local (for TDZ messages), may hold undefined */
    uint32_t line, col;        /* definition position */
    /* top-level declaration info for scripts and eval code (GlobalDeclarationInstantiation) */
    jsv decl_vars;             /* array of atoms (var names incl. function names) or undefined */
    jsv decl_funcs;            /* array of atoms: top-level function declarations */
    jsv decl_lex;              /* array of atoms: let/const/class; const flagged in decl_lex_const */
    jsv decl_lex_const;        /* array of booleans */
    uint32_t env_size_hint;
    uint16_t *arg_env_slots;   /* mapped arguments: env slot per parameter (0xFFFF: unmapped) */
    /* module code (JSFB_MODULE): both also sit in consts, which keeps them alive */
    js_scope_desc *module_desc;            /* the module environment's layout */
    struct js_function_bc *module_init;    /* hoisted function instantiation, run at link time */
} js_function_bc;

/* A closure: object of class JS_CLASS_FUNCTION_BC. */
typedef struct js_function {
    js_object base;
    js_function_bc *bc;
    struct js_env *env;        /* captured environment (may be NULL) */
    js_realm *realm;
    jsv home_object;           /* methods: [[HomeObject]] */
    jsv this_val;              /* arrows: captured this (when no this box) */
    jsv new_target;            /* arrows: captured new.target */
    struct js_env *this_box;   /* arrows inside derived constructors */
    jsv fields_init;           /* class constructors: instance field initializer or undefined */
    jsv field_keys;            /* initializers: array of computed keys */
    jsv class_fields_home;     /* unused, reserved */
    jsv active_fn;             /* arrows: the enclosing non-arrow function (super(), new.target) */
} js_function;

/* Environment kinds (js_env.h.flags). */
#define JS_ENV_DECL    0
#define JS_ENV_WITH    1       /* object environment of `with` */
#define JS_ENV_GLOBAL  2       /* vars[0] = global object, vars[1] = lexical record object */
#define JS_ENV_THIS    3       /* this box: vars[0] */
#define JS_ENV_IMPORT  4       /* import binding indirection (module.c): the binding is
                                  outer->vars[vars[0]]; stored in the importer's slot */

typedef struct js_env {
    js_cell h;                 /* JS_CELL_ENV; h.flags = JS_ENV_* */
    struct js_env *outer;
    js_scope_desc *desc;       /* names, or NULL */
    jsv ext;                   /* eval-declared vars: null-proto object, or undefined */
    uint32_t count;
    jsv vars[];
} js_env;

/* Frame: one per active call; lives in the thread's frame array (never moves). */
typedef struct js_frame {
    struct js_frame *prev;
    js_function *fn;           /* NULL for script/eval code run without closure */
    js_function_bc *bc;
    const uint8_t *pc;         /* saved pc (valid while not innermost) */
    js_env *env;
    js_env *this_box;
    jsv this_val;
    jsv new_target;
    jsv home_object;
    jsv *argv;                 /* argument slots (>= nparams) */
    jsv *locals;
    jsv *sp;                   /* saved operand stack pointer */
    jsv *base;                 /* where the callee area starts (fn, this, args) */
    js_realm *saved_realm;
    jsv arguments_obj;
    int argc;                  /* actual arguments */
    uint16_t flags;            /* JSFR_* */
    uint16_t pad;
    jsv gen;                   /* generator/async object running this frame, or undefined */
} js_frame;

#define JSFR_CONSTRUCT  0x01   /* [[Construct]]: apply the constructor return rules */
#define JSFR_C_ENTRY    0x02   /* return to the C caller (jsvm_call) when this frame returns */
#define JSFR_GENERATOR  0x04

/* Per-thread VM state (t->frame points into frames[]). */
typedef struct js_vm_thread {
    js_frame *frames;
    uint32_t nframes, cap;
    jsv *stack_end;
} js_vm_thread;

/* An import binding's slot holds either the value itself (namespace imports) or
 * a JS_ENV_IMPORT alias; returns the aliased value (maybe JSV_UNINITIALIZED). */
static inline jsv jsvm_import_deref(jsv v)
{
    if (jsv_is_cell(v) && ((js_cell *)jsv_get_ptr(v))->type == JS_CELL_ENV &&
        ((js_cell *)jsv_get_ptr(v))->flags == JS_ENV_IMPORT) {
        js_env *al = jsv_get_ptr(v);
        return al->outer->vars[jsv_get_int(al->vars[0])];
    }
    return v;
}

/* function.c */
js_function_bc *jsvm_function_bc_new(js_thread *t);
js_object *jsvm_closure_new(js_thread *t, js_function_bc *bc, js_env *env, js_frame *creator);
js_object *jsvm_make_arguments(js_thread *t, js_frame *f, int mapped);
js_string *jsvm_function_source(js_thread *t, js_object *f);
int jsvm_set_function_name(js_thread *t, js_object *f, jsv key, const char *prefix);
/* Position of a pc in a function (line/col 1-based). */
void jsvm_pc_to_pos(const js_function_bc *bc, uint32_t pc, uint32_t *line, uint32_t *col);

/* env.c */
js_env *jsvm_env_new(js_thread *t, js_env *outer, js_scope_desc *desc, uint32_t count);
js_env *jsvm_env_new_with(js_thread *t, js_env *outer, jsv obj);
js_env *jsvm_global_env(js_realm *r);
js_scope_desc *jsvm_scope_desc_new(js_thread *t, uint32_t count);
/* Dynamic name resolution (with, sloppy direct eval). */
/* mode: JSVM_NAME_TYPEOF (an unresolvable name is undefined), JSVM_NAME_STRICT
 * (strict code: a with-object binding that vanished is a ReferenceError) */
#define JSVM_NAME_TYPEOF 1
#define JSVM_NAME_STRICT 2
jsv jsvm_env_get_name(js_thread *t, js_env *env, js_key name, int mode, jsv *this_out);
int jsvm_env_put_name(js_thread *t, js_env *env, js_key name, jsv v, int strict, int init);
jsv jsvm_env_delete_name(js_thread *t, js_env *env, js_key name);
int jsvm_env_resolve(js_thread *t, js_env *env, js_key key, jsv *cont, jsv *k2);
jsv jsvm_ref_get(js_thread *t, jsv cont, jsv k, int strict);
int jsvm_ref_put(js_thread *t, jsv cont, jsv k, jsv v, int strict);
int jsvm_env_def_var(js_thread *t, js_env *env, js_key name, jsv fnval, int is_fn, int deletable);
int jsvm_env_put_var(js_thread *t, js_env *env, js_key name, jsv val);
int jsvm_env_check_var(js_thread *t, js_env *env, js_key name, int is_fn);
/* Globals */
jsv jsvm_global_get(js_thread *t, js_key name, int typeof_mode);
int jsvm_global_put(js_thread *t, js_key name, jsv v, int strict);
/* The same, filling a global site's inline cache (see global_ic_ok in interp.c). */
jsv jsvm_global_get_ic(js_thread *t, js_key name, int typeof_mode, js_ic *ic);
int jsvm_global_put_ic(js_thread *t, js_key name, jsv v, int strict, js_ic *ic);
int jsvm_global_init_lex(js_thread *t, js_key name, jsv v);
int jsvm_global_decl_instantiation(js_thread *t, js_function_bc *bc);
int jsvm_eval_decl_instantiation(js_thread *t, js_function_bc *bc, js_env *var_env, js_env *lex_env, int strict);

/* interp.c */
jsv jsvm_run_frame(js_thread *t, js_frame *f);
js_frame *jsvm_push_frame(js_thread *t, js_function *fn, js_function_bc *bc, jsv this_val,
                          int argc, const jsv *argv, jsv new_target, int flags);
jsv jsvm_call_bc(js_thread *t, js_function *fn, jsv this_val, int argc, const jsv *argv,
                 jsv new_target, int flags);
jsv jsvm_exec_code(js_thread *t, js_function_bc *bc, js_env *env, jsv this_val,
                   js_frame *caller, jsv gen_obj);

/* generator.c */
typedef struct js_saved_frame js_saved_frame;
jsv jsvm_generator_create(js_thread *t, js_frame *f, const uint8_t *pc, jsv *sp);
jsv jsvm_async_start(js_thread *t, js_frame *f, const uint8_t *pc, jsv *sp);
jsv jsvm_frame_suspend(js_thread *t, js_frame *f, const uint8_t *pc, jsv *sp, jsv value, int kind);

/* codegen.c */
struct jsast_node;
js_function_bc *jscomp_compile(js_thread *t, struct jsast_node *root, js_string *source,
                               const char *filename, int flags);

#endif
