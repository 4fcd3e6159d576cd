/*
 * jstest262.c - the test262 runner: finds tests, reads their frontmatter,
 * runs each file in every mode it asks for in a fresh runtime, in worker
 * processes so that a crash or a hang costs one test, not the run; reports
 * per folder and against an expectations file of known failures.
 * Host side only: it touches the engine through the public API ($262 is the
 * library's jse_install_test262_host; the event loop is jse_loop_run), plus
 * one internal: a module's promise state.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jsengine.h>
#include "core/runtime.h"
#include "vm/vm.h"
#include "api/internal.h"

/* Where test files differ from the spec's idea of a host, the runner adapts
 * nothing: these are the only engine internals it reaches for. */
extern int jsbi_promise_state(jsv promise, jsv *result) __attribute__((weak));

#define MAX_INCLUDES 32

enum { V_PASS, V_FAIL, V_CRASH, V_TIMEOUT };
static const char *const verdict_names[] = { "PASS", "FAIL", "CRASH", "TIMEOUT" };

/* One test file and its frontmatter. */
typedef struct test_case {
    char *path;                 /* relative to the test262 root, e.g. test/language/x.js */
    int verdict;
    char *message;              /* first line of the failure, malloc-ed */
    int flaky;                  /* failed, then passed when run again */
    int run;                    /* --repeat: which run of the file this is (1-based) */
    double seconds;
} test_case;

typedef struct meta {
    char *includes[MAX_INCLUDES];
    int nincludes;
    int only_strict, no_strict, raw, module, async, can_block_false, can_block_true;
    int negative;
    char phase[16];
    char type[64];
} meta;

/* Options of this run (set once in main, read-only afterwards). */
typedef struct options {
    const char *root;
    int jobs;
    double timeout;
    const char *results_file;
    const char *expectations_file;
    const char *json_file;
    int update_expectations;
    int verbose;
    int repeat;               /* --repeat N: every file runs N times (make stress) */
    int selftest_hooks;       /* JSTEST262_SELFTEST=1: $262.abort() for the runner's own tests */
} options;

static options opt;            /* read-only after argument parsing */

/* ---------------------------------------------------------------- utils */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("jstest262: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) die("out of memory");
    return p;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        cap *= 2;
        buf = realloc(buf, cap + 1);
        if (!buf) die("out of memory");
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A growable string buffer. */
typedef struct sbuf { char *p; size_t n, cap; } sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) die("out of memory");
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

/* ---------------------------------------------------------- frontmatter */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* Front matter lines may end in LF, CRLF or a lone CR (test262 has files
 * written with CR line terminators). */
static int is_eol(char c) { return c == '\n' || c == '\r'; }

static const char *next_line(const char *p, const char *end)
{
    if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n') return p + 2;
    return p < end ? p + 1 : end;
}

/* Parses "[a, b]" or a following "  - a" list into items via cb. Returns the
 * position after what it consumed. */
static const char *parse_list(const char *p, const char *end, void (*cb)(meta *, const char *, size_t), meta *m)
{
    p = skip_ws(p);
    if (*p == '[') {
        p++;
        while (p < end && *p != ']') {
            p = skip_ws(p);
            const char *s = p;
            while (p < end && *p != ',' && *p != ']' && !is_eol(*p)) p++;
            const char *e = p;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t')) e--;
            if (e > s) cb(m, s, e - s);
            if (*p == ',') p++;
            if (is_eol(*p)) break;
        }
        return p;
    }
    /* block list on the following lines */
    while (p < end && !is_eol(*p)) p++;
    while (p < end) {
        const char *line = next_line(p, end);
        const char *q = skip_ws(line);
        if (*q != '-') break;
        q = skip_ws(q + 1);
        const char *e = q;
        while (e < end && !is_eol(*e)) e++;
        const char *ee = e;
        while (ee > q && (ee[-1] == ' ' || ee[-1] == '\t' || ee[-1] == '\r')) ee--;
        if (ee > q) cb(m, q, ee - q);
        p = e;
    }
    return p;
}

static void add_include(meta *m, const char *s, size_t n)
{
    if (m->nincludes < MAX_INCLUDES) {
        char *c = xmalloc(n + 1);
        memcpy(c, s, n);
        c[n] = 0;
        m->includes[m->nincludes++] = c;
    }
}

static void add_flag(meta *m, const char *s, size_t n)
{
#define FLAG(name, field) if (n == sizeof(name) - 1 && !memcmp(s, name, n)) m->field = 1;
    FLAG("onlyStrict", only_strict)
    FLAG("noStrict", no_strict)
    FLAG("raw", raw)
    FLAG("module", module)
    FLAG("async", async)
    FLAG("CanBlockIsFalse", can_block_false)
    FLAG("CanBlockIsTrue", can_block_true)
#undef FLAG
}

static void copy_word(char *dst, size_t cap, const char *p)
{
    p = skip_ws(p);
    size_t i = 0;
    while (*p && *p != '\n' && *p != '\r' && *p != ' ' && *p != '#' && i + 1 < cap) dst[i++] = *p++;
    dst[i] = 0;
}

static void parse_meta(const char *src, meta *m)
{
    memset(m, 0, sizeof *m);
    const char *start = strstr(src, "/*---");
    if (!start) return;
    const char *end = strstr(start, "---*/");
    if (!end) return;
    const char *p = start + 5;
    int in_negative = 0;
    while (p < end) {
        const char *line = p;
        const char *eol = line;
        while (eol < end && !is_eol(*eol)) eol++;
        int indented = (*line == ' ' || *line == '\t');
        const char *q = skip_ws(line);
        if (!indented) in_negative = 0;
        if (!indented && !strncmp(q, "includes:", 9)) {
            eol = parse_list(q + 9, end, add_include, m);
        } else if (!indented && !strncmp(q, "flags:", 6)) {
            eol = parse_list(q + 6, end, add_flag, m);
        } else if (!indented && !strncmp(q, "negative:", 9)) {
            in_negative = 1;
            m->negative = 1;
        } else if (in_negative && !strncmp(q, "phase:", 6)) {
            copy_word(m->phase, sizeof m->phase, q + 6);
        } else if (in_negative && !strncmp(q, "type:", 5)) {
            copy_word(m->type, sizeof m->type, q + 5);
        }
        p = next_line(eol, end);
    }
}

static void free_meta(meta *m)
{
    for (int i = 0; i < m->nincludes; i++) free(m->includes[i]);
}

/* ------------------------------------------------------------ the host */

/* Per-test host state, the data of the host's globals. */
typedef struct host {
    jse_runtime *rt;
    sbuf printed;               /* everything print() wrote */
    double deadline;
    /* setTimeout (atomicsHelper.js tests only): a slot is a GC root while armed */
    int with_timers;            /* setTimeout and co. (atomicsHelper.js tests only) */
} host;

static jse_value host_print(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    host *h = data;
    for (int i = 0; i < argc; i++) {
        size_t n;
        char *s = jse_to_utf8(ctx, argv[i], &n);
        if (!s) return jse_exception();
        if (i) sb_add(&h->printed, " ", 1);
        sb_add(&h->printed, s, n);
        jse_free_string(s);
    }
    sb_add(&h->printed, "\n", 1);
    return jse_undefined();
}

static jse_value host_abort(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    abort();
}

/* $262 (the library's), and the runner's own globals beside it. */
static int install_host(jse_context *ctx, host *h, int can_block)
{
    if (jse_install_test262_host(ctx, can_block) < 0) return -1;
    if (jse_define_global_function(ctx, "print", host_print, 1, h) < 0) return -1;
    if (h->with_timers && jse_install_timers(ctx) < 0) return -1;
    if (opt.selftest_hooks) {
        jse_value d = jse_get(ctx, jse_get_global(ctx), "$262");
        jse_value f = jse_new_function(ctx, host_abort, "abort", 0, h);
        if (jse_is_exception(d) || jse_is_exception(f) || jse_set(ctx, d, "abort", f) < 0) return -1;
    }
    return 0;
}

/* The runtime of the test a worker runs now, for the SIGALRM watchdog (a
 * worker runs one test at a time; jse_runtime_interrupt is safe from a
 * signal handler: it only sets an atomic word). */
static jse_runtime *volatile watchdog_rt;

static void watchdog(int sig)
{
    jse_runtime *rt = watchdog_rt;
    if (rt) jse_runtime_interrupt(rt);
}

static void arm_watchdog(jse_runtime *rt, double seconds)
{
    struct itimerval it = { { 0, 0 }, { 0, 0 } };
    watchdog_rt = rt;
    if (rt) {
        it.it_value.tv_sec = (time_t)seconds;
        it.it_value.tv_usec = (suseconds_t)((seconds - (time_t)seconds) * 1e6);
        /* keep asking until the script reaches a poll point */
        it.it_interval.tv_usec = 100000;
    }
    setitimer(ITIMER_REAL, &it, NULL);
}

static int interrupt_deadline(jse_runtime *rt, void *opaque)
{
    host *h = opaque;
    return now_seconds() > h->deadline;
}

/* ----------------------------------------------------------- one test */

/* Harness files are read once per worker and kept. */
typedef struct harness_file { char *name; char *src; size_t len; } harness_file;
typedef struct harness_cache { harness_file *files; int n, cap; } harness_cache;

static harness_file *get_harness(harness_cache *hc, const char *name)
{
    for (int i = 0; i < hc->n; i++)
        if (!strcmp(hc->files[i].name, name)) return &hc->files[i];
    char path[4096];
    snprintf(path, sizeof path, "%s/harness/%s", opt.root, name);
    size_t len;
    char *src = read_file(path, &len);
    if (!src) return NULL;
    if (hc->n == hc->cap) {
        hc->cap = hc->cap ? hc->cap * 2 : 16;
        hc->files = realloc(hc->files, hc->cap * sizeof *hc->files);
        if (!hc->files) die("out of memory");
    }
    harness_file *f = &hc->files[hc->n++];
    f->name = xstrdup(name);
    f->src = src;
    f->len = len;
    return f;
}

/* The name of an exception's constructor, for negative tests. */
static char *exception_ctor_name(jse_context *ctx, jse_value exc)
{
    if (!jse_is_object(exc)) return NULL;
    jse_value c = jse_get(ctx, exc, "constructor");
    if (jse_is_exception(c)) { jse_get_exception(ctx); return NULL; }
    if (!jse_is_object(c)) return NULL;
    jse_value n = jse_get(ctx, c, "name");
    if (jse_is_exception(n)) { jse_get_exception(ctx); return NULL; }
    return jse_to_utf8(ctx, n, NULL);
}

static char *first_line(const char *s)
{
    size_t n = strcspn(s, "\n");
    if (n > 300) n = 300;
    char *r = xmalloc(n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i] == '\t' || r[i] == '\r') r[i] = ' ';
    return r;
}

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0) die("out of memory");
    va_end(ap);
    return s;
}

/* Runs one mode of one test. Returns V_PASS or V_FAIL with *msg set. */
static int run_mode(const char *relpath, const char *src, size_t srclen, const meta *m, int strict,
                    harness_cache *hc, char **msg)
{
    host h;
    memset(&h, 0, sizeof h);
    *msg = NULL;
    jse_runtime *rt = jse_runtime_new(NULL);
    if (!rt) { *msg = xstrdup("cannot create runtime"); return V_FAIL; }
    h.rt = rt;
    h.deadline = now_seconds() + opt.timeout;
    for (int i = 0; i < m->nincludes; i++)
        if (!strcmp(m->includes[i], "atomicsHelper.js")) h.with_timers = 1;
    jse_runtime_set_interrupt_handler(rt, interrupt_deadline, &h);
    arm_watchdog(rt, opt.timeout);
    jse_context *ctx = jse_context_new(rt);
    int verdict = V_FAIL;
    char *ctor = NULL;
    if (!ctx) { *msg = xstrdup("cannot create context"); goto out; }
    if (install_host(ctx, &h, !m->can_block_false) < 0) { *msg = xstrdup("cannot install $262"); goto out; }

    int rc = JSE_OK;
    const char *phase = "runtime";
    if (!m->raw) {
        const char *pre[3] = { "assert.js", "sta.js", m->async ? "doneprintHandle.js" : NULL };
        for (int i = 0; i < 3 && rc == JSE_OK; i++) {
            if (!pre[i]) continue;
            harness_file *f = get_harness(hc, pre[i]);
            if (!f) { *msg = fmt("missing harness file %s", pre[i]); goto out; }
            rc = jse_eval(ctx, f->src, f->len, f->name, JSE_EVAL_SCRIPT, NULL);
        }
        for (int i = 0; i < m->nincludes && rc == JSE_OK; i++) {
            harness_file *f = get_harness(hc, m->includes[i]);
            if (!f) { *msg = fmt("missing harness file %s", m->includes[i]); goto out; }
            rc = jse_eval(ctx, f->src, f->len, f->name, JSE_EVAL_SCRIPT, NULL);
        }
        if (rc != JSE_OK) {
            char *r = jse_format_exception(ctx, jse_get_exception(ctx));
            *msg = fmt("harness failed: %s", r ? r : "?");
            free(r);
            goto out;
        }
    }

    char path[4096];
    snprintf(path, sizeof path, "%s/%s", opt.root, relpath);
    jse_value result = jse_undefined();
    /* A parse-phase negative test must fail before anything runs: check the
     * phase by parsing alone first. */
    if (m->negative && !strcmp(m->phase, "parse")) {
        char *s2 = NULL;
        const char *s = src;
        size_t n = srclen;
        if (strict && !m->module) {
            s2 = xmalloc(srclen + 16);
            memcpy(s2, "\"use strict\";\n", 14);
            memcpy(s2 + 14, src, srclen);
            s = s2;
            n = srclen + 14;
        }
        rc = jse_eval(ctx, s, n, path, (m->module ? JSE_EVAL_MODULE : JSE_EVAL_SCRIPT) | JSE_EVAL_PARSE_ONLY, NULL);
        free(s2);
        if (rc == JSE_OK) {
            *msg = fmt("expected %s at parse time, but the source parsed", m->type);
            goto out;
        }
    } else if (m->module) {
        rc = jse_eval(ctx, src, srclen, path, JSE_EVAL_MODULE, &result);
    } else if (strict) {
        /* INTERPRETING.md: strict mode is the directive prepended to the source. */
        char *s2 = xmalloc(srclen + 16);
        memcpy(s2, "\"use strict\";\n", 14);
        memcpy(s2 + 14, src, srclen);
        rc = jse_eval(ctx, s2, srclen + 14, path, JSE_EVAL_SCRIPT, &result);
        free(s2);
    } else {
        rc = jse_eval(ctx, src, srclen, path, JSE_EVAL_SCRIPT, &result);
    }
    /* The event loop runs after the script, as a host's would: jobs, timers,
     * and Atomics.waitAsync waiters keep it alive until they fire or settle
     * (it parks for the nearest deadline or a notify and polls the interrupt
     * word, so the watchdog still ends a test that never settles). A
     * module's evaluation promise reports a rejected top-level await. */
    if (rc == JSE_OK) rc = jse_loop_run(ctx);
    if (rc == JSE_OK && m->module && jse_is_object(result)) {
        jse_value err;
        /* A module whose evaluation promise rejected failed at runtime. */
        if (jsbi_promise_state && jsbi_promise_state(result, &err) == 2) {
            jse_throw(ctx, err);
            rc = JSE_EXCEPTION;
        }
    }

    if (rc != JSE_OK) {
        jse_value exc = jse_get_exception(ctx);
        if (now_seconds() > h.deadline) { verdict = V_TIMEOUT; *msg = xstrdup("timeout"); goto out; }
        if (m->negative) {
            ctor = exception_ctor_name(ctx, exc);
            if (ctor && !strcmp(ctor, m->type)) {
                verdict = V_PASS;
            } else {
                char *r = jse_format_exception(ctx, exc);
                *msg = fmt("expected %s (%s phase), got %s", m->type, m->phase, r ? r : "?");
                free(r);
            }
            (void)phase;
        } else {
            char *r = jse_format_exception(ctx, exc);
            *msg = first_line(r ? r : "exception");
            free(r);
        }
        goto out;
    }
    if (m->negative) {
        *msg = fmt("expected %s (%s phase), but the test completed", m->type, m->phase);
        goto out;
    }
    if (m->async) {
        const char *p = h.printed.p ? h.printed.p : "";
        const char *fail = strstr(p, "Test262:AsyncTestFailure:");
        if (fail) { *msg = first_line(fail + 25); goto out; }
        if (!strstr(p, "Test262:AsyncTestComplete")) {
            *msg = xstrdup("async test did not call $DONE");
            goto out;
        }
    }
    verdict = V_PASS;
out:
    arm_watchdog(NULL, 0);
    if (ctor) jse_free_string(ctor);
    if (ctx) jse_context_free(ctx);
    /* stops and joins the test's agents, frees createRealm's realms */
    jse_runtime_free(rt);
    free(h.printed.p);
    return verdict;
}

/* Runs every mode of a test; the first failure decides. */
static int run_test(const char *relpath, harness_cache *hc, char **msg)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", opt.root, relpath);
    size_t len;
    char *src = read_file(path, &len);
    if (!src) { *msg = fmt("cannot read %s", path); return V_FAIL; }
    meta m;
    parse_meta(src, &m);
    int modes[2], nmodes = 0;
    if (m.module || m.raw || m.no_strict) modes[nmodes++] = 0;
    else if (m.only_strict) modes[nmodes++] = 1;
    else { modes[nmodes++] = 0; modes[nmodes++] = 1; }
    int v = V_PASS;
    *msg = NULL;
    for (int i = 0; i < nmodes && v == V_PASS; i++) {
        char *mm = NULL;
        v = run_mode(relpath, src, len, &m, modes[i], hc, &mm);
        if (v != V_PASS && nmodes > 1) {
            *msg = fmt("[%s] %s", modes[i] ? "strict" : "sloppy", mm ? mm : "");
            free(mm);
        } else {
            *msg = mm;
        }
    }
    free_meta(&m);
    free(src);
    return v;
}

/* ------------------------------------------------------- test discovery */

typedef struct test_list { test_case *v; size_t n, cap; } test_list;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_test(test_list *l, const char *rel)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4096;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) die("out of memory");
    }
    memset(&l->v[l->n], 0, sizeof l->v[0]);
    l->v[l->n++].path = xstrdup(rel);
}

static void walk(test_list *l, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", opt.root, rel);
    struct stat st;
    if (stat(path, &st) < 0) return;
    if (S_ISREG(st.st_mode)) {
        size_t n = strlen(rel);
        if (n > 3 && !strcmp(rel + n - 3, ".js") && !strstr(rel, "_FIXTURE")) add_test(l, rel);
        return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    DIR *d = opendir(path);
    if (!d) return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) { cap = cap ? cap * 2 : 64; names = realloc(names, cap * sizeof *names); }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", rel, names[i]);
        walk(l, sub);
        free(names[i]);
    }
    free(names);
}

/* A PATH argument is relative to DIR/test or to DIR. */
static void add_path(test_list *l, const char *arg)
{
    char buf[4096];
    struct stat st;
    while (arg[0] == '.' && arg[1] == '/') arg += 2;
    size_t n = strlen(arg);
    while (n > 1 && arg[n - 1] == '/') n--;
    snprintf(buf, sizeof buf, "%s/%.*s", opt.root, (int)n, arg);
    if (stat(buf, &st) == 0 && ((n == 4 && !strncmp(arg, "test", 4)) || (n >= 5 && !strncmp(arg, "test/", 5)))) {
        snprintf(buf, sizeof buf, "%.*s", (int)n, arg);
        walk(l, buf);
        return;
    }
    snprintf(buf, sizeof buf, "%s/test/%.*s", opt.root, (int)n, arg);
    if (stat(buf, &st) == 0) {
        snprintf(buf, sizeof buf, "test/%.*s", (int)n, arg);
        walk(l, buf);
        return;
    }
    die("no such test file or folder: %s (looked under %s/test and %s)", arg, opt.root, opt.root);
}

/* ------------------------------------------------------------- workers */

/* Protocol: the parent writes "index\n" to a worker; the worker answers
 * "index\tverdict\tseconds\tmessage\n". A worker that dies or overruns its
 * test's time is killed and replaced; its test in flight is recorded. */
typedef struct worker {
    pid_t pid;
    int to_fd, from_fd;
    long current;          /* test index in flight, -1 when idle */
    double started;
    sbuf in;
} worker;

static void worker_main(int in_fd, int out_fd, test_list *l)
{
    harness_cache hc = { 0 };
    FILE *in = fdopen(in_fd, "r");
    char line[64];
    signal(SIGPIPE, SIG_DFL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = watchdog;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    while (fgets(line, sizeof line, in)) {
        long idx = strtol(line, NULL, 10);
        if (idx < 0 || (size_t)idx >= l->n) _exit(3);
        char *msg = NULL;
        double t0 = now_seconds();
        int v = run_test(l->v[idx].path, &hc, &msg);
        double dt = now_seconds() - t0;
        char *out = fmt("%ld\t%d\t%.3f\t%s\n", idx, v, dt, msg ? msg : "");
        for (char *p = out + strlen(out) - 2; p > out && *p != '\t'; p--)
            if (*p == '\n') *p = ' ';
        size_t n = strlen(out), off = 0;
        while (off < n) {
            ssize_t w = write(out_fd, out + off, n - off);
            if (w <= 0) _exit(4);
            off += w;
        }
        free(out);
        free(msg);
    }
    _exit(0);
}

static void spawn_worker(worker *w, test_list *l)
{
    int a[2], b[2];
    if (pipe(a) < 0 || pipe(b) < 0) die("pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) die("fork: %s", strerror(errno));
    if (pid == 0) {
        /* Keep only this worker's two pipe ends: an inherited write end of
         * another worker's pipe would keep that worker from seeing EOF. */
        long maxfd = sysconf(_SC_OPEN_MAX);
        for (int fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 1024); fd++)
            if (fd != a[0] && fd != b[1]) close(fd);
        worker_main(a[0], b[1], l);
    }
    close(a[0]);
    close(b[1]);
    w->pid = pid;
    w->to_fd = a[1];
    w->from_fd = b[0];
    w->current = -1;
    w->in.n = 0;
}

static void kill_worker(worker *w)
{
    kill(w->pid, SIGKILL);
    close(w->to_fd);
    close(w->from_fd);
    int st;
    waitpid(w->pid, &st, 0);
    w->pid = 0;
}

static int send_test(worker *w, long idx)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", idx);
    if (write(w->to_fd, buf, n) != n) return -1;
    w->current = idx;
    w->started = now_seconds();
    return 0;
}

static void progress(size_t done, size_t total, size_t passed, double t0);
static int is_tty;

/* " (run K)" when files are repeated, else "" (parent process only). */
static const char *run_label(const test_case *tc)
{
    static char buf[32];
    if (!tc->run) return "";
    snprintf(buf, sizeof buf, " (run %d)", tc->run);
    return buf;
}

/* Runs the tests order[0..count) of l in the worker pool, filling in their
 * verdicts; returns how many passed. */
static size_t run_pool(test_list *l, const size_t *order, size_t count, double t0)
{
    if (!count) return 0;
    int jobs = opt.jobs < (int)count ? opt.jobs : (int)count;
    worker *w = calloc(jobs, sizeof *w);
    for (int i = 0; i < jobs; i++) spawn_worker(&w[i], l);
    struct pollfd *pfd = calloc(jobs, sizeof *pfd);

    size_t next = 0, done = 0, passed = 0;
    while (done < count) {
        for (int i = 0; i < jobs; i++) {
            if (w[i].current < 0 && next < count) {
                if (send_test(&w[i], (long)order[next]) < 0) {
                    kill_worker(&w[i]);
                    spawn_worker(&w[i], l);
                    continue;
                }
                next++;
            }
            pfd[i].fd = w[i].current >= 0 ? w[i].from_fd : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        int pr = poll(pfd, jobs, 200);
        if (pr < 0 && errno != EINTR) die("poll: %s", strerror(errno));
        double now = now_seconds();
        for (int i = 0; i < jobs; i++) {
            worker *k = &w[i];
            if (k->current < 0) continue;
            int finished = -1;   /* verdict decided by the parent: crash or timeout */
            char *why = NULL;
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buf[8192];
                ssize_t r = read(k->from_fd, buf, sizeof buf);
                if (r > 0) {
                    sb_add(&k->in, buf, r);
                    char *nl;
                    while (k->in.p && (nl = memchr(k->in.p, '\n', k->in.n))) {
                        *nl = 0;
                        long idx = strtol(k->in.p, NULL, 10);
                        char *p1 = strchr(k->in.p, '\t');
                        int v = p1 ? atoi(p1 + 1) : V_FAIL;
                        char *p2 = p1 ? strchr(p1 + 1, '\t') : NULL;
                        double secs = p2 ? atof(p2 + 1) : 0;
                        char *p3 = p2 ? strchr(p2 + 1, '\t') : NULL;
                        if (idx == k->current) {
                            test_case *tc = &l->v[idx];
                            tc->verdict = v;
                            tc->seconds = secs;
                            tc->message = xstrdup(p3 ? p3 + 1 : "");
                            if (v == V_PASS) passed++;
                            else if (opt.verbose)
                                fprintf(stderr, "%s %s%s: %s\n", verdict_names[v], tc->path, run_label(tc), tc->message);
                            done++;
                            k->current = -1;
                        }
                        size_t used = nl + 1 - k->in.p;
                        memmove(k->in.p, nl + 1, k->in.n - used);
                        k->in.n -= used;
                    }
                } else {
                    /* the worker died: find out how */
                    int status = 0;
                    close(k->to_fd);
                    close(k->from_fd);
                    waitpid(k->pid, &status, 0);
                    k->pid = 0;
                    finished = V_CRASH;
                    if (WIFSIGNALED(status))
                        why = fmt("crashed with signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
                    else
                        why = fmt("worker exited with status %d", WEXITSTATUS(status));
                }
            }
            if (finished < 0 && k->current >= 0 && now - k->started > opt.timeout + 5) {
                /* the in-process deadline did not fire (stuck outside the VM) */
                kill_worker(k);
                finished = V_TIMEOUT;
                why = fmt("timeout after %.0f s", opt.timeout);
            }
            if (finished >= 0) {
                test_case *tc = &l->v[k->current];
                tc->verdict = finished;
                tc->message = why;
                tc->seconds = now - k->started;
                if (opt.verbose) fprintf(stderr, "%s %s%s: %s\n", verdict_names[finished], tc->path, run_label(tc), why);
                done++;
                k->current = -1;
                spawn_worker(k, l);
            }
        }
        progress(done, count, passed, t0);
    }
    for (int i = 0; i < jobs; i++) {
        if (w[i].pid) {
            close(w[i].to_fd);
            int status;
            waitpid(w[i].pid, &status, 0);
            close(w[i].from_fd);
        }
        free(w[i].in.p);
    }
    free(w);
    free(pfd);
    return passed;
}

/* ------------------------------------------------------------ reporting */

static void progress(size_t done, size_t total, size_t passed, double t0)
{
    static size_t last_pct = (size_t)-1;   /* parent process only: progress pacing */
    double el = now_seconds() - t0;
    if (is_tty) {
        int width = 30, fill = total ? (int)(width * done / total) : width;
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu  pass %zu  %.0fs ", fill,
                "##############################", width - fill, "", done, total, passed, el);
        if (done == total) fputc('\n', stderr);
    } else {
        size_t pct = total ? done * 10 / total : 10;
        if (pct != last_pct || done == total) {
            last_pct = pct;
            fprintf(stderr, "jstest262: %zu/%zu done, %zu passed, %.0fs\n", done, total, passed, el);
        }
    }
}

/* "test/built-ins/Array/x.js" -> "built-ins/Array" */
static void folder_of(const char *rel, char *out, size_t cap)
{
    const char *p = rel;
    if (!strncmp(p, "test/", 5)) p += 5;
    const char *s1 = strchr(p, '/');
    const char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
    size_t n = s2 ? (size_t)(s2 - p) : s1 ? (size_t)(s1 - p) : strlen(p);
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

typedef struct folder_stat { char name[256]; size_t pass, total; } folder_stat;

static void print_summary(test_list *l)
{
    folder_stat *fs = NULL;
    size_t nf = 0, capf = 0;
    for (size_t i = 0; i < l->n; i++) {
        char name[256];
        folder_of(l->v[i].path, name, sizeof name);
        if (!nf || strcmp(fs[nf - 1].name, name)) {
            size_t j;
            for (j = 0; j < nf; j++) if (!strcmp(fs[j].name, name)) break;
            if (j == nf) {
                if (nf == capf) { capf = capf ? capf * 2 : 64; fs = realloc(fs, capf * sizeof *fs); }
                snprintf(fs[nf].name, sizeof fs[nf].name, "%s", name);
                fs[nf].pass = fs[nf].total = 0;
                nf++;
            }
            folder_stat tmp = fs[j]; fs[j] = fs[nf - 1]; fs[nf - 1] = tmp;
        }
        fs[nf - 1].total++;
        if (l->v[i].verdict == V_PASS) fs[nf - 1].pass++;
    }
    qsort(fs, nf, sizeof *fs, (int (*)(const void *, const void *))strcmp);
    printf("%-48s %8s %8s %7s\n", "folder", "passed", "total", "%");
    for (size_t j = 0; j < nf; j++)
        printf("%-48s %8zu %8zu %6.2f%%\n", fs[j].name, fs[j].pass, fs[j].total,
               fs[j].total ? 100.0 * fs[j].pass / fs[j].total : 0.0);
    free(fs);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = *s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

/* ---------------------------------------------------------- expectations */

typedef struct strset { char **v; size_t n, cap; } strset;

static void set_add(strset *s, const char *x)
{
    if (s->n == s->cap) { s->cap = s->cap ? s->cap * 2 : 1024; s->v = realloc(s->v, s->cap * sizeof *s->v); }
    s->v[s->n++] = xstrdup(x);
}

static void set_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static int set_has(const strset *s, const char *x)
{
    return bsearch(&x, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

static void load_expectations(const char *file, strset *s)
{
    char *src = read_file(file, NULL);
    if (!src) return;    /* a missing file means no known failures */
    for (char *line = strtok(src, "\n"); line; line = strtok(NULL, "\n")) {
        line += strspn(line, " \t");
        if (!*line || *line == '#') continue;
        char *end = line + strcspn(line, " \t\r");
        *end = 0;
        set_add(s, line);
    }
    free(src);
    qsort(s->v, s->n, sizeof *s->v, cmp_str);
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
    fputs("Usage: jstest262 --test262 DIR [options] [PATH...]\n"
          "Runs test262 tests (PATH: files or folders relative to DIR/test or DIR;\n"
          "default: test/built-ins test/language test/annexB).\n\n"
          "Options:\n"
          "  --test262 DIR           the test262 checkout (harness/ and test/)\n"
          "  -j, --jobs N            worker processes (default: number of CPUs)\n"
          "  --timeout SECONDS       per test file (default 10)\n"
          "  --results FILE          one line per test: VERDICT<TAB>path<TAB>message\n"
          "  --json FILE             the results as JSON\n"
          "  --expectations FILE     known failures; exit 1 if any other test fails\n"
          "  --update-expectations   rewrite the expectations file with this run's failures\n"
          "  --repeat N              run every file N times, N rounds over the list, and\n"
          "                          report each failed run (stress testing; no expectations)\n"
          "  -v, --verbose           print each failure as it happens\n"
          "  -h, --help              this text\n"
          "  --version               print the version\n", f);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "test262", required_argument, 0, 'd' },
        { "jobs", required_argument, 0, 'j' },
        { "timeout", required_argument, 0, 't' },
        { "results", required_argument, 0, 'r' },
        { "json", required_argument, 0, 'J' },
        { "expectations", required_argument, 0, 'e' },
        { "update-expectations", no_argument, 0, 'u' },
        { "verbose", no_argument, 0, 'v' },
        { "repeat", required_argument, 0, 'R' },
        { "help", no_argument, 0, 'h' },
        { "version", no_argument, 0, 'V' },
        { 0, 0, 0, 0 },
    };
    opt.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (opt.jobs < 1) opt.jobs = 1;
    opt.timeout = 10;
    const char *st = getenv("JSTEST262_SELFTEST");
    opt.selftest_hooks = st && !strcmp(st, "1");
    int c;
    while ((c = getopt_long(argc, argv, "j:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': opt.root = optarg; break;
        case 'j': opt.jobs = atoi(optarg); if (opt.jobs < 1) die("bad --jobs value: %s", optarg); break;
        case 't': opt.timeout = atof(optarg); if (opt.timeout <= 0) die("bad --timeout value: %s", optarg); break;
        case 'r': opt.results_file = optarg; break;
        case 'J': opt.json_file = optarg; break;
        case 'e': opt.expectations_file = optarg; break;
        case 'u': opt.update_expectations = 1; break;
        case 'v': opt.verbose = 1; break;
        case 'R': opt.repeat = atoi(optarg); if (opt.repeat < 1) die("bad --repeat value: %s", optarg); break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("jstest262 (jsengine) %s\n", jse_version()); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!opt.root) { usage(stderr); die("--test262 DIR is required"); }
    {
        char p[4096];
        struct stat sb;
        snprintf(p, sizeof p, "%s/harness/assert.js", opt.root);
        if (stat(p, &sb) < 0) die("%s does not look like a test262 checkout (no harness/assert.js)", opt.root);
    }
    if (opt.update_expectations && !opt.expectations_file) die("--update-expectations needs --expectations FILE");
    if (opt.repeat > 1 && opt.expectations_file) die("--repeat does not combine with --expectations");

    test_list l = { 0 };
    if (optind >= argc) {
        add_path(&l, "test/built-ins");
        add_path(&l, "test/language");
        add_path(&l, "test/annexB");
    } else {
        for (int i = optind; i < argc; i++) add_path(&l, argv[i]);
    }
    if (!l.n) die("no tests found");
    /* the same test named twice runs once */
    qsort(l.v, l.n, sizeof *l.v, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (u && !strcmp(l.v[u - 1].path, l.v[i].path)) { free(l.v[i].path); continue; }
        l.v[u++] = l.v[i];
    }
    l.n = u;
    /* Repeated runs go round by round, so that a failure's run number says
     * how far the stress had got. */
    if (opt.repeat > 1) {
        size_t n1 = l.n;
        for (int r = 2; r <= opt.repeat; r++)
            for (size_t i = 0; i < n1; i++) {
                add_test(&l, l.v[i].path);
                l.v[l.n - 1].run = r;
            }
        for (size_t i = 0; i < n1; i++) l.v[i].run = 1;
    }
    if ((size_t)opt.jobs > l.n) opt.jobs = (int)l.n;

    is_tty = isatty(2);
    signal(SIGPIPE, SIG_IGN);
    double t0 = now_seconds();
    size_t *order = xmalloc(l.n * sizeof *order);
    for (size_t i = 0; i < l.n; i++) order[i] = i;
    size_t passed = run_pool(&l, order, l.n, t0);
    double elapsed = now_seconds() - t0;

    if (opt.results_file) {
        FILE *f = fopen(opt.results_file, "w");
        if (!f) die("cannot write %s: %s", opt.results_file, strerror(errno));
        for (size_t i = 0; i < l.n; i++)
            fprintf(f, "%s\t%s\t%s%s%s\n", verdict_names[l.v[i].verdict], l.v[i].path,
                    l.v[i].run ? run_label(&l.v[i]) + 1 : "", l.v[i].run ? " " : "",
                    l.v[i].message ? l.v[i].message : "");
        fclose(f);
    }
    if (opt.json_file) {
        FILE *f = fopen(opt.json_file, "w");
        if (!f) die("cannot write %s: %s", opt.json_file, strerror(errno));
        fprintf(f, "{\"total\":%zu,\"passed\":%zu,\"seconds\":%.1f,\"tests\":[\n", l.n, passed, elapsed);
        for (size_t i = 0; i < l.n; i++) {
            fprintf(f, "{\"path\":");
            json_string(f, l.v[i].path);
            fprintf(f, ",\"verdict\":\"%s\",\"seconds\":%.3f,\"message\":", verdict_names[l.v[i].verdict], l.v[i].seconds);
            json_string(f, l.v[i].message ? l.v[i].message : "");
            fprintf(f, "}%s\n", i + 1 < l.n ? "," : "");
        }
        fprintf(f, "]}\n");
        fclose(f);
    }

    print_summary(&l);
    printf("\nheadline: %zu / %zu passed (%.2f%%) in %.1f s\n", passed, l.n,
           l.n ? 100.0 * passed / l.n : 0.0, elapsed);

    int status = 0;
    if (opt.repeat > 1) {
        size_t failed_runs = 0;
        for (size_t i = 0; i < l.n; i++) {
            if (l.v[i].verdict == V_PASS) continue;
            if (!failed_runs++) printf("\nFailed runs:\n");
            printf("  %s %s%s: %s\n", verdict_names[l.v[i].verdict], l.v[i].path, run_label(&l.v[i]),
                   l.v[i].message ? l.v[i].message : "");
        }
        printf("\nrepeat: %zu file(s) x %d runs = %zu runs, %zu failed\n", l.n / opt.repeat, opt.repeat,
               l.n, failed_runs);
        if (failed_runs) status = 1;
    }
    if (opt.expectations_file) {
        strset known = { 0 };
        load_expectations(opt.expectations_file, &known);
        size_t unexpected = 0, fixed = 0;
        /* A failure the expectations do not list is run once more before it
         * fails the gate: one that passes then is reported as
         * non-deterministic (and still counts as failed in the headline). */
        if (!opt.update_expectations) {
            size_t nre = 0;
            for (size_t i = 0; i < l.n; i++)
                if (l.v[i].verdict != V_PASS && !set_has(&known, l.v[i].path)) order[nre++] = i;
            if (nre && nre <= 1000) {
                test_case *saved = xmalloc(nre * sizeof *saved);
                for (size_t j = 0; j < nre; j++) saved[j] = l.v[order[j]];
                fprintf(stderr, "jstest262: running %zu unexpected failure(s) again\n", nre);
                run_pool(&l, order, nre, now_seconds());
                for (size_t j = 0; j < nre; j++) {
                    test_case *tc = &l.v[order[j]];
                    int again = tc->verdict;
                    free(tc->message);
                    *tc = saved[j];
                    tc->flaky = (again == V_PASS);
                }
                free(saved);
            }
            size_t nflaky = 0;
            for (size_t i = 0; i < l.n; i++) {
                if (!l.v[i].flaky) continue;
                if (!nflaky++) printf("\nNon-deterministic (failed, then passed when run again):\n");
                printf("  %s %s: %s\n", verdict_names[l.v[i].verdict], l.v[i].path, l.v[i].message ? l.v[i].message : "");
            }
        }
        for (size_t i = 0; i < l.n; i++) {
            int known_fail = set_has(&known, l.v[i].path);
            if (l.v[i].verdict != V_PASS && !known_fail && !l.v[i].flaky) {
                if (!unexpected++) printf("\nUnexpected failures (not in %s):\n", opt.expectations_file);
                printf("  %s %s: %s\n", verdict_names[l.v[i].verdict], l.v[i].path, l.v[i].message ? l.v[i].message : "");
            }
        }
        for (size_t i = 0; i < l.n; i++) {
            if (l.v[i].verdict == V_PASS && set_has(&known, l.v[i].path)) {
                if (!fixed++) printf("\nNewly passing (listed as known failures):\n");
                printf("  %s\n", l.v[i].path);
            }
        }
        if (opt.update_expectations) {
            /* Keep entries for tests this run did not cover. */
            strset ran = { 0 };
            for (size_t i = 0; i < l.n; i++) set_add(&ran, l.v[i].path);
            qsort(ran.v, ran.n, sizeof *ran.v, cmp_str);
            strset out = { 0 };
            for (size_t i = 0; i < known.n; i++) if (!set_has(&ran, known.v[i])) set_add(&out, known.v[i]);
            for (size_t i = 0; i < l.n; i++) if (l.v[i].verdict != V_PASS) set_add(&out, l.v[i].path);
            qsort(out.v, out.n, sizeof *out.v, cmp_str);
            FILE *f = fopen(opt.expectations_file, "w");
            if (!f) die("cannot write %s: %s", opt.expectations_file, strerror(errno));
            fprintf(f, "# test262 files known to fail with jsengine (one path per line).\n"
                       "# Maintained with: jstest262 --expectations FILE --update-expectations\n");
            for (size_t i = 0; i < out.n; i++) fprintf(f, "%s\n", out.v[i]);
            fclose(f);
            printf("\nwrote %zu known failures to %s\n", out.n, opt.expectations_file);
            set_free(&ran);
            set_free(&out);
        } else if (unexpected) {
            printf("\n%zu unexpected failure(s)\n", unexpected);
            status = 1;
        }
        if (fixed && !opt.update_expectations)
            printf("%zu test(s) now pass: run with --update-expectations to record them\n", fixed);
        set_free(&known);
    }
    printf("%zu passed, %zu failed\n", passed, l.n - passed);
    /* Freed so that leak checkers see only the engine's own leaks. */
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].path);
        free(l.v[i].message);
    }
    free(l.v);
    free(order);
    return status;
}
