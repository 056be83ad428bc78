/* SPDX-License-Identifier: MIT */
/** @file A tiny unit-test harness (iPXE's okx style).
 *
 * check(cond) records a failure with file:line and the condition's text and
 * goes on; helpers that assert on behalf of a caller take the caller's file
 * and line and use checkx().  test_done() prints the plain closing line
 * "N passed, N failed" and returns the exit status for main().
 */
#ifndef IPXETOOL_TESTS_TEST_H
#define IPXETOOL_TESTS_TEST_H

#include <stdio.h>

static unsigned test_passed, test_failed;

/** Record one check made on behalf of @p file:@p line. */
static inline int test_report(int ok, const char *text, const char *file,
                              int line)
{
    if (ok) {
        test_passed++;
        return 1;
    }
    test_failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, text);
    return 0;
}

#define checkx(cond, file, line) test_report((cond) != 0, #cond, file, line)
#define check(cond) test_report((cond) != 0, #cond, __FILE__, __LINE__)

/** Print the summary; 0 if every check passed, else 1. */
static inline int test_done(void)
{
    printf("%u passed, %u failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
