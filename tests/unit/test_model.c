/* SPDX-License-Identifier: MIT */
/** @file Unit test: every short input, against the reference model.
 *
 * All strings of up to MAX_LEN bytes over a small alphabet holding every
 * byte that matters to iPXE's line and word rules (spec §1.2, §1.3, §2.1)
 * are parsed; each tree must keep its invariants, print back the input and
 * read the input as iPXE's own code does (treecheck_model).  The first few
 * disagreements are printed in full.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "test.h"
#include "treecheck.h"

#define MAX_LEN   6
#define MAX_SHOWN 5

/* Lines, labels, operators, comments, NUL. */
static const char line_bytes[] = {'a', ' ', '\\', '\n', '\r',
                                  ':', '#', '|',  '\0'};
/* Expansions, with continuations inside them. */
static const char expand_bytes[] = {'$', '{', '}', 'a', ' ', '\\', '\n'};

static unsigned shown;

static void show(const char *what, const char *data, size_t len,
                 const char *detail)
{
    size_t i;

    if (shown++ >= MAX_SHOWN)
        return;
    fprintf(stderr, "%s for input \"", what);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x20 || c == '\\' || c == '"')
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fprintf(stderr, "\"\n%s", detail);
}

/* One input, in plain mode; @p bad counts each kind of failure. */
static void one(const char *data, size_t len, unsigned bad[4])
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    struct buf err, back;

    buf_init(&err, BUF_MAX_UNLIMITED);
    buf_init(&back, BUF_MAX_UNLIMITED);
    source_init_mem(&src, "t", data, len);
    arena_init(&a);
    diag_list_init(&d, &a);
    if (parse_source(&src, 0, &a, &d, &s) != 0 || d.len) {
        bad[0]++;
        show("parse failed", data, len, "");
    } else if (!treecheck_structure(s, &err)) {
        bad[1]++;
        show("tree invariant broken", data, len, err.data);
    } else if (ast_print_source(s, &back) != 0 || back.len != len ||
               memcmp(back.data, data, len) != 0) {
        bad[2]++;
        show("source round trip differs", data, len, "\n");
    } else if (!treecheck_model(s, &err)) {
        bad[3]++;
        show("reading differs from iPXE's", data, len, err.data);
    }
    buf_release(&back);
    buf_release(&err);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
}

/* Every string of up to MAX_LEN bytes over @p alphabet. */
static unsigned long all_strings(const char *alphabet, size_t nsym,
                                 unsigned bad[4])
{
    char data[MAX_LEN];
    size_t idx[MAX_LEN];
    unsigned long total = 0;
    size_t len, i;

    for (len = 0; len <= MAX_LEN; len++) {
        memset(idx, 0, sizeof(idx));
        for (;;) {
            for (i = 0; i < len; i++)
                data[i] = alphabet[idx[i]];
            one(data, len, bad);
            total++;
            /* Next string of this length (odometer). */
            for (i = 0; i < len && ++idx[i] == nsym; i++)
                idx[i] = 0;
            if (i == len)
                break;
        }
    }
    return total;
}

int main(void)
{
    unsigned bad[4] = {0, 0, 0, 0};
    unsigned long total;

    total = all_strings(line_bytes, sizeof(line_bytes), bad);
    total += all_strings(expand_bytes, sizeof(expand_bytes), bad);
    printf("%lu inputs: %u parse failures, %u broken trees, %u round-trip "
           "differences, %u readings unlike iPXE's\n",
           total, bad[0], bad[1], bad[2], bad[3]);
    check(bad[0] == 0);
    check(bad[1] == 0);
    check(bad[2] == 0);
    check(bad[3] == 0);
    return test_done();
}
