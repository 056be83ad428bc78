/* SPDX-License-Identifier: MIT */
/** @file Unit tests: inputs built to hurt (spec: any bytes give a tree,
 *  never a crash or a hang).
 *
 * Deep `${` nesting, a multi-megabyte line, many unterminated template
 * tags: each must parse, print back and dump, with a dump of bounded size.
 * That time stays linear is measured by bench/parse, not asserted here:
 * timings flake on shared machines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "test.h"

/* The dump may be this many times the input at most (as the fuzzer). */
#define DUMP_PER_BYTE 128

/* Parse, print back and dump @p b; the diagnostics' count goes to
 * @p ndiags (if not NULL) when the parse succeeds. */
static void parse_all(const char *file, int line, const struct buf *b,
                      unsigned flags, size_t *ndiags)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    struct buf out, tree;

    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&tree, b->len * DUMP_PER_BYTE + 65536);
    if (!checkx(source_init_mem(&src, "big", b->data, b->len) == 0, file,
                line)) {
        buf_release(&tree);
        buf_release(&out);
        return;
    }
    arena_init(&a);
    diag_list_init(&d, &a);
    if (checkx(parse_source(&src, flags, &a, &d, &s) == 0, file, line)) {
        checkx(ast_print_source(s, &out) == 0 && out.len == b->len &&
                   memcmp(out.data, b->data, b->len) == 0,
               file, line);
        if (!checkx(ast_print_tree(s, &tree) == 0, file, line))
            fprintf(stderr, "  the dump is over %d times the input\n",
                    DUMP_PER_BYTE);
        if (ndiags)
            *ndiags = d.len;
    }
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    buf_release(&tree);
    buf_release(&out);
}

static void repeat(struct buf *b, const char *s, size_t times)
{
    size_t n = strlen(s);

    while (times--)
        buf_add(b, s, n);
}

/* `${` nested a million deep, with a continuation in the middle: nothing
 * may recurse once per level (a stack overflow is a crash). */
static void test_deep_nesting(void)
{
    struct buf b;

    buf_init(&b, BUF_MAX_UNLIMITED);
    repeat(&b, "${", 1000000);
    buf_adds(&b, "x\\\ny");
    repeat(&b, "}", 1000000);
    buf_addch(&b, '\n');
    parse_all(__FILE__, __LINE__, &b, 0, NULL);
    buf_release(&b);
}

/* Nesting without a continuation: the dump must stay linear too (an
 * indentation per level makes it quadratic: 64 KB gave 2.5 GB). */
static void test_deep_dump(void)
{
    struct buf b;

    buf_init(&b, BUF_MAX_UNLIMITED);
    repeat(&b, "${", 20000);
    repeat(&b, "}", 20000);
    parse_all(__FILE__, __LINE__, &b, 0, NULL);
    buf_release(&b);
}

/* One 16 MB line: one word of 16 MB, and 1M words on another. */
static void test_long_lines(void)
{
    struct buf b;

    buf_init(&b, BUF_MAX_UNLIMITED);
    buf_adds(&b, "echo ");
    repeat(&b, "xxxxxxxxxxxxxxxx", 1024 * 1024);
    buf_adds(&b, "\n");
    repeat(&b, "a ", 1024 * 1024);
    parse_all(__FILE__, __LINE__, &b, 0, NULL);
    buf_release(&b);
}

/* Parse @p unit repeated @p times, in template mode. */
static void parse_tags(const char *unit, size_t times, size_t *ndiags)
{
    struct buf b;

    buf_init(&b, BUF_MAX_UNLIMITED);
    repeat(&b, unit, times);
    parse_all(__FILE__, __LINE__, &b, PARSE_TEMPLATE, ndiags);
    buf_release(&b);
}

/* Many unterminated tags: each is one error.  (That the time stays
 * linear is for bench/, not for a test: timings flake on a shared
 * machine.  The lexer stops rescanning once a tag of a kind is known to
 * have no closer, parser/lexer.re no_closer_after.) */
static void test_unterminated_tags(void)
{
    static const char *const units[] = {"{{\n", "{% '\n", "a {# b\n"};
    size_t i;

    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t n1 = 0, n4 = 0;
        parse_tags(units[i], 5000, &n1);
        parse_tags(units[i], 20000, &n4);
        check(n1 == 5000 && n4 == 20000);
    }
}

/* Run each test in a child process, so that a crash (a stack overflow is
 * what these inputs provoke) is reported and the other tests still run. */
static void run(const char *name, void (*fn)(void))
{
    pid_t pid;
    int status;

    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        test_passed = test_failed = 0; /* count this test's checks only */
        fn();
        exit(test_failed ? 1 : 0);
    }
    if (!check(pid > 0 && waitpid(pid, &status, 0) == pid))
        return;
    if (WIFSIGNALED(status))
        fprintf(stderr, "%s: killed by signal %d (a crash)\n", name,
                WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        fprintf(stderr, "%s: failed\n", name);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
    run("test_deep_nesting", test_deep_nesting);
    run("test_deep_dump", test_deep_dump);
    run("test_long_lines", test_long_lines);
    run("test_unterminated_tags", test_unterminated_tags);
    return test_done();
}
