/*
 * jsrun.c - the command-line host: runs a script or module file, -e/-p
 * expressions, stdin, or a line REPL, with print() and console.* as globals.
 * Uses the public API (jsengine.h) only, never internal headers: it is the
 * first embedder and must stay a fair example of one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <jsengine.h>

#define JSRUN_EXIT_OK        0
#define JSRUN_EXIT_EXCEPTION 1   /* an uncaught exception */
#define JSRUN_EXIT_USAGE     2   /* bad options, unreadable file, out of memory */

/* Everything one run holds; the host functions get it as their data. */
typedef struct jsrun {
    jse_runtime *rt;
    jse_context *ctx;
    int module_rejected;        /* the module's evaluation promise was rejected */
    jse_value module_error;     /* its reason, protected while held */
    int repl;                   /* at the prompt: the loop turns while waiting for input */
} jsrun;

static void usage(FILE *out)
{
    fputs("Usage: jsrun [options] [file [args...]]\n"
          "Runs a JavaScript file (a module if it ends in .mjs or with --module),\n"
          "reads a script from standard input when that is not a terminal, or\n"
          "starts a read-eval-print loop.\n"
          "\n"
          "Options:\n"
          "  -e, --eval EXPR    evaluate EXPR as a script (prints nothing by itself)\n"
          "  -p, --print EXPR   evaluate EXPR and print its result\n"
          "  -m, --module       run the file as an ES module\n"
          "      --strict       run scripts in strict mode\n"
          "      --test262-host define test262's $262 (agents on threads, createRealm, ...)\n"
          "  -h, --help         show this help and exit\n"
          "  -v, --version      show the version and exit\n"
          "\n"
          "Globals: print(...), console.log/info/debug (standard output),\n"
          "console.error/warn (standard error), scriptArgs (the file and its args),\n"
          "setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask,\n"
          "Worker (new Worker(path, { type: \"module\" }): a script on its own thread).\n"
          "After the script or module, jsrun runs the event loop until no timer,\n"
          "job or waitAsync waiter is left.\n"
          "Exit status: 0 on success, 1 on an uncaught exception (also inside a\n"
          "timer callback or a rejected module), 2 on a usage error.\n",
          out);
}

/* ------------------------------------------------------------------------- */
/* Host functions                                                             */
/* ------------------------------------------------------------------------- */

/* The arguments' ToString, separated by spaces, then a newline. */
static jse_value write_args(jse_context *ctx, FILE *out, int argc, jse_value *argv)
{
    for (int i = 0; i < argc; i++) {
        size_t n;
        char *s = jse_to_utf8(ctx, argv[i], &n);
        if (!s) return jse_exception();
        if (i > 0) fputc(' ', out);
        fwrite(s, 1, n, out);
        jse_free_string(s);
    }
    fputc('\n', out);
    fflush(out);
    return jse_undefined();
}

static jse_value host_print(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    return write_args(ctx, stdout, argc, argv);
}

/* console.*: data is the stream (stdout or stderr). */
static jse_value host_console(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    FILE *out = data;
    if (out == stderr) fflush(stdout);   /* keep the two streams in order on a terminal */
    return write_args(ctx, out, argc, argv);
}

static jse_value host_module_rejected(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    jsrun *r = data;
    jse_value reason = argc > 0 ? argv[0] : jse_undefined();
    if (!r->module_rejected) {
        if (jse_value_protect(ctx, reason) < 0) return jse_exception();
        r->module_rejected = 1;
        r->module_error = reason;
    }
    return jse_undefined();
}

/* print, console.* and the timers: in the main context and in every worker's
 * (jse_worker_options.init runs this on the worker's thread). */
static int install_host_functions(jse_context *ctx, void *opaque)
{
    if (jse_define_global_function(ctx, "print", host_print, 1, NULL) < 0) return -1;

    jse_value console = jse_new_object(ctx);
    if (jse_is_exception(console)) return -1;
    static const struct { const char *name; int to_stderr; } methods[] = {
        { "log", 0 }, { "info", 0 }, { "debug", 0 }, { "error", 1 }, { "warn", 1 },
    };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        jse_value f = jse_new_function(ctx, host_console, methods[i].name, 0,
                                       methods[i].to_stderr ? (void *)stderr : (void *)stdout);
        if (jse_is_exception(f)) return -1;
        if (jse_define(ctx, console, methods[i].name, f,
                       JSE_PROP_WRITABLE | JSE_PROP_ENUMERABLE | JSE_PROP_CONFIGURABLE) < 0)
            return -1;
    }
    if (jse_install_timers(ctx) < 0) return -1;
    jse_value global = jse_get_global(ctx);
    return jse_define(ctx, global, "console", console, JSE_PROP_WRITABLE | JSE_PROP_CONFIGURABLE);
}

static int install_globals(jsrun *r, int script_argc, char **script_argv)
{
    jse_context *ctx = r->ctx;
    if (install_host_functions(ctx, NULL) < 0) return -1;
    /* new Worker(path): workers get the same host functions, and Worker */
    jse_worker_options wo = { 0 };
    wo.init = install_host_functions;
    if (jse_install_worker_global(ctx, &wo) < 0) return -1;
    jse_value global = jse_get_global(ctx);

    jse_value args = jse_new_array(ctx);
    if (jse_is_exception(args)) return -1;
    for (int i = 0; i < script_argc; i++) {
        jse_value s = jse_string(ctx, script_argv[i], strlen(script_argv[i]));
        if (jse_is_exception(s) || jse_set_index(ctx, args, (uint32_t)i, s) < 0) return -1;
    }
    return jse_define(ctx, global, "scriptArgs", args, JSE_PROP_WRITABLE | JSE_PROP_CONFIGURABLE);
}

/* ------------------------------------------------------------------------- */
/* Reporting and the event loop                                               */
/* ------------------------------------------------------------------------- */

static void report_exception(jsrun *r, jse_value exc)
{
    char *s = jse_format_exception(r->ctx, exc);
    fflush(stdout);
    fprintf(stderr, "Uncaught %s\n", s ? s : "exception (out of memory while formatting it)");
    jse_free_string(s);
}

/* Take the pending exception and report it; returns the exit status. */
static int report_pending(jsrun *r)
{
    report_exception(r, jse_get_exception(r->ctx));
    return JSRUN_EXIT_EXCEPTION;
}

/* Runs the event loop (jobs, timers, worker messages, waitAsync) until
 * nothing is pending. An uncaught exception in a callback ends the run, as
 * does a rejected module evaluation promise even while timers remain. */
static int run_event_loop(jsrun *r)
{
    if (r->repl) {
        /* at the prompt only what is ready runs now; repl_wait_input turns
         * the loop while the user types */
        while (jse_loop_pending(r->ctx)) {
            int n = jse_loop_run_once(r->ctx, 0);
            if (n < 0) return report_pending(r);
            if (n == 0) break;
        }
        return JSRUN_EXIT_OK;
    }
    while (jse_loop_pending(r->ctx)) {
        if (jse_loop_run_once(r->ctx, -1) < 0) return report_pending(r);
        if (r->module_rejected) break;
    }
    return JSRUN_EXIT_OK;
}

/* ------------------------------------------------------------------------- */
/* Evaluation                                                                 */
/* ------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The whole of a stream, NUL-terminated; NULL on a read error or OOM. */
static char *read_stream(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Prints a value the way -p and the REPL show results. */
static int print_value(jsrun *r, jse_value v)
{
    size_t n;
    char *s = jse_to_utf8(r->ctx, v, &n);
    if (!s) return report_pending(r);
    fwrite(s, 1, n, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    jse_free_string(s);
    return JSRUN_EXIT_OK;
}

/* Evaluates one source; `print_result` for -p and the REPL. */
static int run_source(jsrun *r, const char *src, size_t len, const char *name, int flags, int print_result)
{
    jse_value result;
    if (jse_eval(r->ctx, src, len, name, flags, &result) < 0) return report_pending(r);

    if (flags & JSE_EVAL_MODULE) {
        /* result is the evaluation promise: learn of its rejection. */
        if (jse_is_object(result)) {
            jse_value then = jse_get(r->ctx, result, "then");
            if (jse_is_exception(then)) return report_pending(r);
            jse_value on_rejected = jse_new_function(r->ctx, host_module_rejected, "", 1, r);
            if (jse_is_exception(on_rejected)) return report_pending(r);
            jse_value args[2] = { jse_undefined(), on_rejected };
            if (jse_call(r->ctx, then, result, 2, args, NULL) < 0) return report_pending(r);
        }
        int rc = run_event_loop(r);
        if (rc != JSRUN_EXIT_OK) return rc;
        if (r->module_rejected) {
            report_exception(r, r->module_error);
            jse_value_unprotect(r->ctx, r->module_error);
            r->module_rejected = 0;
            return JSRUN_EXIT_EXCEPTION;
        }
        return JSRUN_EXIT_OK;
    }

    if (print_result) {
        int rc = print_value(r, result);
        if (rc != JSRUN_EXIT_OK) return rc;
    }
    return run_event_loop(r);
}

static int run_file(jsrun *r, const char *path, int flags)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "jsrun: cannot open %s: %s\n", path, strerror(errno));
        return JSRUN_EXIT_USAGE;
    }
    size_t len = 0;
    char *src = read_stream(f, &len);
    int err = errno;
    if (f != stdin) fclose(f);
    if (!src) {
        fprintf(stderr, "jsrun: cannot read %s: %s\n", path, strerror(err));
        return JSRUN_EXIT_USAGE;
    }
    int rc = run_source(r, src, len, strcmp(path, "-") == 0 ? "<stdin>" : path, flags, 0);
    free(src);
    return rc;
}

/* One line, any length, without its newline; NULL at end of input. */
static char *read_line(FILE *in)
{
    size_t cap = 256, n = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    while (fgets(buf + n, (int)(cap - n), in)) {
        n += strlen(buf + n);
        if (n > 0 && buf[n - 1] == '\n') {
            buf[--n] = 0;
            return buf;
        }
        if (n + 1 >= cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) break;
            buf = p;
            cap *= 2;
        }
    }
    if (n > 0 && !ferror(in)) return buf;   /* a last line without a newline */
    free(buf);
    return NULL;
}

/* Waits for the next line of input while turning the event loop, so that
 * timers and worker messages keep running at the prompt. stdin is unbuffered
 * in the REPL, so poll() sees every byte not yet read. Messages posted from
 * other threads do not wake poll(): it waits at most 10 ms at a time. */
static void repl_wait_input(jsrun *r)
{
    while (jse_loop_pending(r->ctx)) {
        double ms = jse_loop_next_timeout(r->ctx);
        struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
        if (poll(&p, 1, ms < 0 || ms > 10 ? 10 : (int)ms) != 0)
            return;   /* input, end of file, or an error for read_line to see */
        if (jse_loop_run_once(r->ctx, 0) < 0)
            (void)report_pending(r);
    }
}

static int run_repl(jsrun *r, int flags)
{
    r->repl = 1;
    setvbuf(stdin, NULL, _IONBF, 0);
    printf("jsengine %s REPL: type JavaScript, .exit or Ctrl-D to leave\n", jse_version());
    for (;;) {
        fputs("> ", stdout);
        fflush(stdout);
        repl_wait_input(r);
        char *line = read_line(stdin);
        if (!line) break;
        if (strcmp(line, ".exit") == 0) {
            free(line);
            break;
        }
        if (line[0]) {
            /* Errors are reported and the loop goes on. */
            (void)run_source(r, line, strlen(line), "<repl>", flags, 1);
        }
        free(line);
    }
    fputc('\n', stdout);
    return JSRUN_EXIT_OK;
}

/* ------------------------------------------------------------------------- */
/* main                                                                       */
/* ------------------------------------------------------------------------- */

typedef struct expr {
    const char *src;
    int print;
} expr;

int main(int argc, char **argv)
{
    expr *exprs = calloc((size_t)argc, sizeof *exprs);
    int nexprs = 0, module = 0, strict = 0, test262_host = 0, i;
    if (!exprs) {
        fputs("jsrun: out of memory\n", stderr);
        return JSRUN_EXIT_USAGE;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) break;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(exprs);
            return JSRUN_EXIT_OK;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
            printf("jsrun (jsengine) %s\n", jse_version());
            free(exprs);
            return JSRUN_EXIT_OK;
        } else if (strcmp(a, "-m") == 0 || strcmp(a, "--module") == 0) {
            module = 1;
        } else if (strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (strcmp(a, "--test262-host") == 0) {
            test262_host = 1;
        } else if (strcmp(a, "-e") == 0 || strcmp(a, "--eval") == 0 ||
                   strcmp(a, "-p") == 0 || strcmp(a, "--print") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "jsrun: %s needs an expression\n", a);
                free(exprs);
                return JSRUN_EXIT_USAGE;
            }
            exprs[nexprs].print = a[1] == 'p' || strcmp(a, "--print") == 0;
            exprs[nexprs++].src = argv[++i];
        } else {
            fprintf(stderr, "jsrun: unknown option %s (try --help)\n", a);
            free(exprs);
            return JSRUN_EXIT_USAGE;
        }
    }
    const char *file = i < argc ? argv[i] : NULL;

    jsrun r;
    memset(&r, 0, sizeof r);
    r.rt = jse_runtime_new(NULL);
    if (!r.rt) {
        fputs("jsrun: cannot create a runtime (out of memory)\n", stderr);
        free(exprs);
        return JSRUN_EXIT_USAGE;
    }
    r.ctx = jse_context_new(r.rt);
    int rc = JSRUN_EXIT_OK;
    if (!r.ctx) {
        fputs("jsrun: cannot create a context (out of memory)\n", stderr);
        rc = JSRUN_EXIT_USAGE;
        goto done;
    }
    if (install_globals(&r, file ? argc - i : 0, file ? argv + i : NULL) < 0) {
        fputs("jsrun: cannot set up the global object\n", stderr);
        rc = report_pending(&r);
        goto done;
    }
    /* The main agent may block: jsrun is not a browser's main thread. */
    if (test262_host && jse_install_test262_host(r.ctx, 1) < 0) {
        rc = report_pending(&r);
        goto done;
    }

    int script_flags = strict ? JSE_EVAL_STRICT : JSE_EVAL_SCRIPT;
    for (int k = 0; k < nexprs && rc == JSRUN_EXIT_OK; k++)
        rc = run_source(&r, exprs[k].src, strlen(exprs[k].src), "<cmdline>", script_flags, exprs[k].print);
    if (rc != JSRUN_EXIT_OK) goto done;

    if (file) {
        int flags = (module || ends_with(file, ".mjs")) ? JSE_EVAL_MODULE : script_flags;
        rc = run_file(&r, file, flags);
    } else if (nexprs == 0) {
        if (isatty(STDIN_FILENO))
            rc = run_repl(&r, script_flags);
        else
            rc = run_file(&r, "-", module ? JSE_EVAL_MODULE : script_flags);
    }

done:
    if (r.module_rejected) jse_value_unprotect(r.ctx, r.module_error);
    fflush(stdout);
    jse_context_free(r.ctx);
    jse_runtime_free(r.rt);
    free(exprs);
    return rc;
}
