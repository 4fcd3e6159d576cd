/*
 * worker.h - what the rest of the library calls in worker.c (the jse_worker_*
 * API and the Worker globals live there). Only teardown crosses modules.
 */
#ifndef JSE_HOST_WORKER_H
#define JSE_HOST_WORKER_H

#include "../core/runtime.h"

/* Terminates and joins every worker started from t that is still running,
 * releases the Worker objects' handles and t's worker state. Must run on t's
 * thread before jsloop_shutdown(t) (which tears down the cluster the workers
 * live in). Safe to call twice and for threads that never started one. */
void jswk_shutdown(js_thread *t);

#endif
