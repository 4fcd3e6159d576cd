/*
 * workers-api.c - workers from C: four workers share a SharedArrayBuffer counter
 * with the main thread, three of them bump it with Atomics.add and answer with
 * a structured message (an array and a Map); the fourth spins forever and is
 * terminated once it reports that it is running. The event loop ends when
 * every worker has exited. Public API only (jsengine.h).
 *
 *   cc workers-api.c $(pkg-config --cflags --libs jsengine) -o workers-api && ./workers-api
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jsengine.h>

#define NWORKERS 4
#define BUMPS 1000

static const char worker_src[] =
    "onmessage = (e) => {\n"
    "    const { id, counter, spin } = e.data;\n"
    "    if (spin) {\n"
    "        postMessage({ id, spinning: true });\n"
    "        for (;;) Atomics.add(counter, 1, 1);   // until terminated\n"
    "    }\n"
    "    for (let i = 0; i < 1000; i++) Atomics.add(counter, 0, 1);\n"
    "    postMessage({ id, squares: [id, id * id], tags: new Map([['worker', id]]) });\n"
    "    close();\n"
    "};\n";

typedef struct app {
    int answers;
} app;

static int get_int(jse_context *ctx, jse_value obj, const char *name)
{
    int32_t i = -1;
    jse_value v = jse_get(ctx, obj, name);
    if (jse_is_exception(v) || jse_to_int32(ctx, v, &i) < 0) return -1;
    return i;
}

static void on_message(jse_context *ctx, jse_worker *w, jse_value data, void *opaque)
{
    app *a = opaque;
    int id = get_int(ctx, data, "id");
    if (jse_to_bool(ctx, jse_get(ctx, data, "spinning"))) {
        printf("worker %d is spinning: terminating it\n", id);
        jse_worker_terminate(w);
        return;
    }
    jse_value squares = jse_get(ctx, data, "squares");
    jse_value tags = jse_get(ctx, data, "tags");
    jse_value get = jse_get(ctx, tags, "get");          /* a Map came through the clone */
    jse_value key = jse_string(ctx, "worker", 6), tag;
    if (jse_call(ctx, get, tags, 1, &key, &tag) < 0) return;   /* pending: the loop reports it */
    int32_t t = -1, sq = -1;
    jse_to_int32(ctx, tag, &t);
    jse_to_int32(ctx, jse_get_index(ctx, squares, 1), &sq);
    printf("worker %d answered: square %d, tag %d\n", id, sq, t);
    a->answers++;
}

static int fail(jse_context *ctx, const char *what)
{
    char *s = jse_format_exception(ctx, jse_get_exception(ctx));
    fprintf(stderr, "workers: %s: %s\n", what, s ? s : "?");
    jse_free_string(s);
    return 1;
}

int main(void)
{
    jse_runtime *rt = jse_runtime_new(NULL);
    jse_context *ctx = rt ? jse_context_new(rt) : NULL;
    if (!ctx) return 1;
    app a = { 0 };

    const char *setup = "var counter = new Int32Array(new SharedArrayBuffer(8)); counter";
    jse_value counter;
    if (jse_eval(ctx, setup, strlen(setup), "setup.js", JSE_EVAL_SCRIPT, &counter) < 0)
        return fail(ctx, "setup");

    jse_worker *w[NWORKERS];
    for (int i = 0; i < NWORKERS; i++) {
        w[i] = jse_worker_new(ctx, "worker.js", worker_src, sizeof worker_src - 1, NULL);
        if (!w[i]) return fail(ctx, "jse_worker_new");
        jse_worker_handlers h = { on_message, NULL, NULL, &a };
        jse_worker_set_handlers(w[i], &h);
        jse_value msg = jse_new_object(ctx);
        jse_set(ctx, msg, "id", jse_int32(i));
        jse_set(ctx, msg, "counter", counter);           /* shared, not copied */
        jse_set(ctx, msg, "spin", jse_bool(i == NWORKERS - 1));
        if (jse_worker_post(ctx, w[i], msg, jse_undefined()) < 0) return fail(ctx, "jse_worker_post");
    }

    /* messages and exits arrive here; running workers keep the loop alive */
    if (jse_loop_run(ctx) < 0) return fail(ctx, "event loop");

    int status = 0;
    for (int i = 0; i < NWORKERS; i++) {
        int code = jse_worker_join(w[i], -1);
        int want = i == NWORKERS - 1 ? JSE_WORKER_TERMINATED : JSE_WORKER_OK;
        if (code != want) {
            fprintf(stderr, "workers: worker %d exited with %d, expected %d\n", i, code, want);
            status = 1;
        }
        jse_worker_free(w[i]);
    }
    int32_t total = -1, beats = -1;
    jse_to_int32(ctx, jse_get_index(ctx, counter, 0), &total);
    jse_to_int32(ctx, jse_get_index(ctx, counter, 1), &beats);
    printf("counter %d (expected %d), spinner beat %s, %d answers\n", total, (NWORKERS - 1) * BUMPS,
           beats > 0 ? "yes" : "no", a.answers);
    if (total != (NWORKERS - 1) * BUMPS || a.answers != NWORKERS - 1 || beats <= 0) status = 1;
    puts(status ? "FAILED" : "ok");

    jse_context_free(ctx);
    jse_runtime_free(rt);
    return status;
}
