/*
 * check_main.h - the tail of every unit test's main(): run one Check suite
 * and turn its result into the exit status automake's test driver reads.
 * Holds no fixture: each test keeps its own setup beside its cases.
 */
#ifndef JSE_TESTS_CHECK_MAIN_H
#define JSE_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Runs s (and frees it); EXIT_SUCCESS when every case passed. */
static inline int jsetest_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
