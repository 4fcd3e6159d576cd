/*
 * worker-spawn.c - worker spawn latency: the time from jse_worker_new to the
 * parent receiving the worker's first message (source `postMessage(1)`),
 * median and p90 over N spawns; and, for comparison, what a runtime plus a
 * context cost to create (jse_runtime_new + jse_context_new) and to free.
 * Public API only. Build with -O2 against an -O2 library:
 *   cc -O2 -Iinclude bench/worker-spawn.c <libjsengine> -lgmp -lm -lpthread
 * Usage: worker-spawn [N]   (default 200)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jsengine.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    printf("%-34s median %.3f ms  p90 %.3f ms  min %.3f ms  max %.3f ms  (n=%d)\n", what,
           v[n / 2], v[(n * 9) / 10], v[0], v[n - 1], n);
}

static void on_message(jse_context *ctx, jse_worker *w, jse_value data, void *opaque)
{
    double *t = opaque;
    if (*t == 0)
        *t = now_ms();
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    if (n < 1)
        n = 200;
    double *spawn = calloc((size_t)n, sizeof *spawn), *create = calloc((size_t)n, sizeof *create),
           *destroy = calloc((size_t)n, sizeof *destroy);
    if (!spawn || !create || !destroy)
        return 2;

    for (int i = 0; i < n; i++) {
        double t0 = now_ms();
        jse_runtime *rt = jse_runtime_new(NULL);
        jse_context *ctx = rt ? jse_context_new(rt) : NULL;
        double t1 = now_ms();
        if (!ctx) {
            fprintf(stderr, "worker-spawn: cannot create a runtime\n");
            return 1;
        }
        jse_context_free(ctx);
        jse_runtime_free(rt);
        create[i] = t1 - t0;
        destroy[i] = now_ms() - t1;
    }

    jse_runtime *rt = jse_runtime_new(NULL);
    jse_context *ctx = rt ? jse_context_new(rt) : NULL;
    if (!ctx)
        return 1;
    static const char src[] = "postMessage(1)";
    for (int i = 0; i < n; i++) {
        double got = 0;
        double t0 = now_ms();
        jse_worker *w = jse_worker_new(ctx, "spawn.js", src, sizeof src - 1, NULL);
        if (!w) {
            fprintf(stderr, "worker-spawn: jse_worker_new failed\n");
            return 1;
        }
        jse_worker_handlers h = { on_message, NULL, NULL, &got };
        jse_worker_set_handlers(w, &h);
        while (got == 0)
            if (jse_loop_run_once(ctx, -1) < 0)
                return 1;
        spawn[i] = got - t0;
        jse_loop_run(ctx);   /* its exit */
        if (jse_worker_join(w, -1) != JSE_WORKER_OK)
            return 1;
        jse_worker_free(w);
    }
    jse_context_free(ctx);
    jse_runtime_free(rt);

    report("runtime+context create", create, n);
    report("runtime+context free", destroy, n);
    report("spawn -> first message", spawn, n);
    free(spawn);
    free(create);
    free(destroy);
    return 0;
}
