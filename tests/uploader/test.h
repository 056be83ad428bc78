/* SPDX-License-Identifier: MIT */
/** @file A minimal unit-test harness: check() reports file:line and the
 *  condition, and the test's exit status is the number of failures. */
#ifndef IPXETOOL_TESTS_UPLOADER_TEST_H
#define IPXETOOL_TESTS_UPLOADER_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failures;

/** Record a failure of @p cond at the caller's file and line. */
static inline void checkx(int cond, const char *what, const char *file,
                          int line)
{
    if (cond)
        return;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    test_failures++;
}
#define check(cond) checkx((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

/** Compare two strings, showing both on failure. */
static inline void check_streqx(const char *got, const char *want,
                                const char *file, int line)
{
    if (got && want && strcmp(got, want) == 0)
        return;
    fprintf(stderr, "%s:%d: got '%s', want '%s'\n", file, line,
            got ? got : "(null)", want ? want : "(null)");
    test_failures++;
}
#define check_streq(got, want) check_streqx(got, want, __FILE__, __LINE__)

#endif
