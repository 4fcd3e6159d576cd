/*
 * embed.c - embedding jsengine in a C program: a host function, an object
 * handed to script, a value kept across calls, promise jobs and error reports.
 * Build: cc embed.c $(pkg-config --cflags --libs jsengine) -o embed
 */
#include <stdio.h>
#include <string.h>
#include <jsengine.h>

/* A host function: sum(...numbers). `data` counts the calls. */
static jse_value sum(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    int *calls = data;
    double total = 0;
    (*calls)++;
    for (int i = 0; i < argc; i++) {
        double d;
        if (jse_to_number(ctx, argv[i], &d) != JSE_OK)
            return jse_exception();   /* the exception stays pending */
        total += d;
    }
    return jse_number(total);
}

static jse_value log_line(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    char *s = jse_to_utf8(ctx, argc > 0 ? argv[0] : jse_undefined(), NULL);
    if (!s) return jse_exception();
    printf("[script] %s\n", s);
    jse_free_string(s);
    return jse_undefined();
}

static int run(jse_context *ctx, const char *src)
{
    jse_value result;
    if (jse_eval(ctx, src, strlen(src), "embed.js", JSE_EVAL_SCRIPT, &result) != JSE_OK ||
        jse_run_jobs(ctx) != JSE_OK) {
        char *report = jse_format_exception(ctx, jse_get_exception(ctx));
        fflush(stdout);
        fprintf(stderr, "Uncaught %s\n", report ? report : "(out of memory)");
        jse_free_string(report);
        return -1;
    }
    return 0;
}

int main(void)
{
    jse_runtime *rt = jse_runtime_new(NULL);
    if (!rt) return 1;
    jse_context *ctx = jse_context_new(rt);
    if (!ctx) return 1;
    int calls = 0;

    /* host.sum and host.log for the script */
    jse_value host = jse_new_object(ctx);
    jse_set(ctx, host, "sum", jse_new_function(ctx, sum, "sum", 0, &calls));
    jse_set(ctx, host, "log", jse_new_function(ctx, log_line, "log", 1, NULL));
    jse_define(ctx, jse_get_global(ctx), "host", host, JSE_PROP_WRITABLE | JSE_PROP_CONFIGURABLE);

    run(ctx, "host.log('1 + 2 + 3 = ' + host.sum(1, 2, 3));"
             "Promise.resolve(40).then(v => host.log('later: ' + host.sum(v, 2)));");

    /* Keep a script function in C memory across evaluations: protect it. */
    static jse_value square;
    jse_eval(ctx, "(x) => x * x", 12, "square.js", JSE_EVAL_SCRIPT, &square);
    jse_value_protect(ctx, square);
    jse_runtime_gc(rt);
    jse_value arg = jse_int32(12), r;
    if (jse_call(ctx, square, jse_undefined(), 1, &arg, &r) == JSE_OK) {
        int32_t n;
        jse_to_int32(ctx, r, &n);
        printf("square(12) = %d\n", n);
    }
    jse_value_unprotect(ctx, square);

    /* Errors come back with a report: name, message and stack. */
    run(ctx, "function f() { null.x; }\nf();");

    printf("host.sum was called %d times\n", calls);
    jse_context_free(ctx);
    jse_runtime_free(rt);
    return 0;
}
