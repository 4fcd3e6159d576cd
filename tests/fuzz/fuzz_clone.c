/*
 * fuzz_clone.c - libFuzzer harness for the structured-clone deserializer
 * (lib/threads/clone.c): every input, prefixed with the format's header, is
 * decoded against a storage table holding one SharedArrayBuffer storage and one
 * transferable storage; whatever decodes is serialized again. Not part of
 * `make check`. Build (the library compiled with the same sanitizers):
 *   clang -fsanitize=fuzzer,address -Iinclude -Ilib -D_GNU_SOURCE \
 *     -DJSE_BUILDING_LIBRARY tests/fuzz/fuzz_clone.c -Wl,--whole-archive \
 *     libjsengine-asan.a -Wl,--no-whole-archive -lgmp -lm -lpthread -o fuzz_clone
 * CLONE_SEED_DIR=dir ./fuzz_clone -runs=0 writes seed inputs into dir.
 * Run: ASAN_OPTIONS=detect_leaks=0 ./fuzz_clone -max_total_time=600 corpus
 * (the runtime is never freed and NaN-boxed pointers are invisible to LSan,
 * so its leak reports here are noise; test_clone checks leaks under valgrind).
 * A fuzzer tool, not the library: its one runtime lives in a static.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "threads/clone.h"
#include "builtins/builtins.h"

static js_thread *fuzz_thread;
static unsigned fuzz_count;

static const char *const seeds[] = {
    "({ a: 1, b: 'x\\u2603', c: [1, , 3], d: new Date(0), e: /x+/gi, f: 12345678901234567890n })",
    "var o = { m: new Map([[1, 2]]), s: new Set(['a']) }; o.self = o; o.m.set('o', o); o",
    ("var ab = new ArrayBuffer(8, { maxByteLength: 16 });"
     "[ab, new Uint16Array(ab, 2, 2), new DataView(ab, 1), new Float64Array(1), new BigInt64Array(2)]"),
    "[new Error('m', { cause: 1 }), new TypeError('t'), new Boolean(true), new Number(2), new String('s'), Object(3n)]",
    "[new SharedArrayBuffer(4), -0, NaN, undefined, null, true, false, 2 ** 31, -(2n ** 70n)]",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    js_runtime *rt = jsrt_new(NULL);
    if (!rt)
        abort();
    fuzz_thread = rt->main_thread;
    js_realm *realm = jsrt_realm_new(fuzz_thread);
    if (!realm)
        abort();
    fuzz_thread->realm = realm;
    const char *dir = getenv("CLONE_SEED_DIR");
    for (size_t i = 0; dir && i < sizeof seeds / sizeof seeds[0]; i++) {
        jsv v = jsvm_eval_script(fuzz_thread, seeds[i], strlen(seeds[i]), "seed", 0);
        jsclone_buf b;
        if (v == JSV_EXCEPTION || jsclone_serialize(fuzz_thread, v, JSV_UNDEFINED, &b) < 0)
            abort();
        char path[4096];
        snprintf(path, sizeof path, "%s/seed%zu", dir, i);
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(b.data + 5, 1, b.len - 5, f);   /* the harness adds the header */
            fclose(f);
        }
        jsclone_buf_free(&b);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_thread *t = fuzz_thread;
    uint8_t *buf = malloc(size + 5);
    if (!buf)
        return 0;
    memcpy(buf, "JSCL\1", 5);
    memcpy(buf + 5, data, size);
    jssab_storage *stores[2] = { jssab_new(16, 16, 1), jssab_new(8, 32, 0) };
    jsv v = jsclone_deserialize(t, buf, size + 5, stores, 2);
    if (v == JSV_EXCEPTION) {
        if (!t->has_exception)
            abort();   /* an error must come with an exception */
        jsvm_take_exception(t);
    } else {
        jsclone_buf b;
        if (jsclone_serialize(t, v, JSV_UNDEFINED, &b) < 0)
            jsvm_take_exception(t);
        else
            jsclone_buf_free(&b);
    }
    for (int i = 0; i < 2; i++)
        if (stores[i])
            jssab_release(stores[i]);
    free(buf);
    if (++fuzz_count % 256 == 0)
        jsgc_collect(t->rt);
    return 0;
}
