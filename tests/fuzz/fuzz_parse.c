/* SPDX-License-Identifier: MIT */
/** @file libFuzzer harness for the parser.
 *
 * Every input is parsed as a plain script and as a template.  Each time the
 * tree must keep its invariants (tests/unit/treecheck.c), print back the
 * input byte for byte, and print as a dump no larger than a fixed multiple
 * of the input (a dump that grows faster than the input is a hang for
 * `ipxe-lint --dump=ast`).  In plain mode the tree must also read the input
 * as iPXE's own code does (treecheck_model); IPXEKIT_FUZZ_MODEL=0 in the
 * environment turns that one check off, to look for crashes only.  An input
 * without `{{`, `{%`, `{#` or `<%` must give the same tree in both modes.  Any
 * failure aborts, which libFuzzer reports as a crash.
 *
 * Built with -fsanitize=fuzzer (tests/fuzz/run.sh), or with
 * replay_main.c as an ordinary program that replays saved inputs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "treecheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The largest dump accepted: this many bytes per input byte, plus slack.
 * A word of one byte prints as a line of about 40 (spec of the dump in
 * ast.c); 128 leaves room and still catches quadratic output at once. */
#define DUMP_PER_BYTE 128
#define DUMP_SLACK    65536

static void fail(const char *mode, const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_parse: %s mode: %s\n%s%s", mode, what,
            detail ? detail : "", detail ? "\n" : "");
    abort();
}

static bool model_enabled(void)
{
    static int enabled = -1;

    if (enabled < 0) {
        const char *env = getenv("IPXEKIT_FUZZ_MODEL");
        enabled = !(env && strcmp(env, "0") == 0);
    }
    return enabled != 0;
}

static bool has_tag_opener(const uint8_t *data, size_t size)
{
    size_t i;

    for (i = 0; i + 1 < size; i++) {
        if ((data[i] == '{' && (data[i + 1] == '{' || data[i + 1] == '%' ||
                                data[i + 1] == '#')) ||
            (data[i] == '<' && data[i + 1] == '%'))
            return true;
    }
    return false;
}

/* Parse in one mode and check everything; the dump goes to @p tree. */
static void run_mode(struct source *src, unsigned flags, struct buf *tree)
{
    const char *mode = flags & PARSE_TEMPLATE ? "template" : "plain";
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    struct buf out, err;
    int rc;

    arena_init(&a);
    diag_list_init(&d, &a);
    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&err, BUF_MAX_UNLIMITED);
    rc = parse_source(src, flags, &a, &d, &s);
    if (rc)
        fail(mode, "parse_source failed", NULL);
    if (!(flags & PARSE_TEMPLATE) && d.len)
        fail(mode, "a parse error in a plain script", d.items[0].msg);
    if (!treecheck_structure(s, &err))
        fail(mode, "the tree breaks an invariant", err.data);
    if (ast_print_source(s, &out) != 0)
        fail(mode, "ast_print_source failed", NULL);
    if (out.len != src->len || memcmp(out.data, src->data, out.len) != 0)
        fail(mode, "the source printed back is not the input", NULL);
    rc = ast_print_tree(s, tree);
    if (rc == -E2BIG)
        fail(mode, "the tree dump is more than 128 times the input", NULL);
    if (rc)
        fail(mode, "ast_print_tree failed", NULL);
    if (!(flags & PARSE_TEMPLATE) && model_enabled() &&
        !treecheck_model(s, &err))
        fail(mode, "the tree does not read the input as iPXE does", err.data);
    buf_release(&err);
    buf_release(&out);
    diag_list_release(&d);
    arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct source src;
    struct buf plain_tree, tmpl_tree;
    size_t max = size * DUMP_PER_BYTE + DUMP_SLACK;
    const char *p, *t;

    if (source_init_mem(&src, "fuzz", (const char *)data, size) != 0)
        return 0; /* out of memory (libFuzzer's -rss_limit_mb) */
    buf_init(&plain_tree, max);
    buf_init(&tmpl_tree, max);
    run_mode(&src, 0, &plain_tree);
    run_mode(&src, PARSE_TEMPLATE, &tmpl_tree);

    /* Without a tag opener, template mode must not change a thing (only
     * the first line of the dump, which names the mode, differs). */
    if (!has_tag_opener(data, size)) {
        p = memchr(plain_tree.data, '\n', plain_tree.len);
        t = memchr(tmpl_tree.data, '\n', tmpl_tree.len);
        if (!p || !t || strcmp(p, t) != 0)
            fail("template", "no tag, yet a tree unlike the plain one", NULL);
    }
    buf_release(&tmpl_tree);
    buf_release(&plain_tree);
    source_release(&src);
    return 0;
}
