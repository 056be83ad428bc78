/* SPDX-License-Identifier: MIT */
/** @file Unified diffs: hunks, context, CRLF, missing final newline. */
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "test.h"

static void check_diff(const char *a, const char *b, const char *want)
{
    struct buf out;

    buf_init(&out, BUF_MAX_UNLIMITED);
    check(diff_unified(a, strlen(a), b, strlen(b), "a", "b", &out) == 0);
    check_streq(out.data, want);
    buf_release(&out);
}

int main(void)
{
    check_diff("same\n", "same\n", "");
    check_diff("", "x\n", "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
    check_diff("x\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n");
    check_diff("1\n2\n3\n", "1\nTWO\n3\n",
               "--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+TWO\n 3\n");
    /* A carriage return is a difference too. */
    check_diff("a\r\nb\n", "a\nb\n",
               "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\n");
    check_diff("a\nb", "a\nb\n",
               "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n"
               "\\ No newline at end of file\n+b\n");
    /* Two changes far apart make two hunks with 3 lines of context. */
    check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
               "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n",
               "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n"
               "@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n");
    /* Close changes share one hunk. */
    check_diff("1\n2\n3\n4\n5\n6\n7\n", "1\nA\n3\n4\n5\nB\n7\n",
               "--- a\n+++ b\n@@ -1,7 +1,7 @@\n 1\n-2\n+A\n 3\n 4\n 5\n"
               "-6\n+B\n 7\n");
    return test_failures ? 1 : 0;
}
