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
#include <string.h>

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
#define check(cond)              test_report((cond) != 0, #cond, __FILE__, __LINE__)

/** A look-up of @p len bytes at @p key gave the entry named @p got (NULL:
 *  none) and should give @p want (NULL: none): a check on behalf of
 *  @p file:@p line that shows both when they differ. */
static inline void check_named(const char *key, size_t len, const char *got,
                               const char *want, const char *file, int line)
{
    int ok = want ? got && strcmp(got, want) == 0 : got == NULL;

    if (!test_report(ok, "the entry found is the one wanted", file, line))
        fprintf(stderr, "  '%.*s': got %s, want %s\n", (int)len, key,
                got ? got : "none", want ? want : "none");
}

/** Print the summary; 0 if every check passed, else 1. */
static inline int test_done(void)
{
    printf("%u passed, %u failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
