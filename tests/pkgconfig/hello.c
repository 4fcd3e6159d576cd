/* hello.c - the smallest embedder: evaluates 6*7 through the public API and
 * prints 42. Built by tests/pkgconfig/run.sh with `pkg-config jsengine`. */
#include <stdio.h>
#include <jsengine.h>

int main(void)
{
    jse_runtime *rt = jse_runtime_new(NULL);
    if (!rt) return 1;
    jse_context *ctx = jse_context_new(rt);
    if (!ctx) return 1;
    jse_value v;
    int status = 1;
    if (jse_eval(ctx, "6*7", 3, "hello.js", JSE_EVAL_SCRIPT, &v) == JSE_OK) {
        char *s = jse_to_utf8(ctx, v, NULL);
        if (s) {
            printf("%s\n", s);
            jse_free_string(s);
            status = 0;
        }
    }
    if (status) {
        char *s = jse_format_exception(ctx, jse_get_exception(ctx));
        fprintf(stderr, "hello: %s\n", s ? s : "error");
        jse_free_string(s);
    }
    jse_context_free(ctx);
    jse_runtime_free(rt);
    return status;
}
