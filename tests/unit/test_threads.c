/* SPDX-License-Identifier: MIT */
/** @file Unit test: a large plain script parsed in two halves on two
 *  threads (PARSE_THREADS) gives the very tree one thread gives.
 *
 * The input is every golden parse case (testdata/parse/: continuations,
 * CRLF, NUL bytes, labels, nested expansions, dangling lines...) over and
 * over, past the size where the parser splits.  The cut falls at the
 * middle, so the input is shifted by a few bytes at a time to put the cut
 * in many different places: inside a word, a comment, a continued line.
 *
 * Usage: test_parser_threads TESTDATA_DIR
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "test.h"
#include "treecheck.h"

/* Past parse.c's THREADS_MIN_BYTES (1 MiB), with room to spare. */
#define INPUT_BYTES ((size_t)3 << 19)
/* How many shifted inputs. */
#define SHIFTS 16

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The golden inputs of @p dir (*.ipxe, sorted), one after the other. */
static int read_goldens(const char *dir, struct buf *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char **more;
        if (len < 6 || strcmp(e->d_name + len - 5, ".ipxe") != 0)
            continue;
        more = realloc(names, (n + 1) * sizeof(*names));
        if (!more || !(more[n] = strdup(e->d_name))) {
            names = more ? more : names;
            rc = -1;
            break;
        }
        names = more;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    for (i = 0; i < n; i++) {
        struct source src;
        struct buf path;
        buf_init(&path, BUF_MAX_UNLIMITED);
        if (!rc && buf_addf(&path, "%s/%s", dir, names[i]) == 0 &&
            source_load(&src, path.data, NULL) == 0) {
            rc = buf_add(out, src.data, src.len);
            source_release(&src);
        }
        buf_release(&path);
        free(names[i]);
    }
    free(names);
    return rc || n == 0 ? -1 : 0;
}

/* Parse @p b with @p flags: its tree as text (dump plus the independent
 * description), its source printed back, its diagnostics' count. */
static int parse_dump(const struct buf *b, unsigned flags, struct buf *dump,
                      size_t *ndiags, bool *round_trip, bool *structure)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    struct buf back, err;
    int rc;

    if (source_init_mem(&src, "big.ipxe", b->data, b->len))
        return -1;
    arena_init(&a);
    diag_list_init(&d, &a);
    buf_init(&back, BUF_MAX_UNLIMITED);
    buf_init(&err, BUF_MAX_UNLIMITED);
    rc = parse_source(&src, flags, &a, &d, &s);
    if (!rc) {
        rc = ast_print_tree(s, dump);
        if (!rc)
            rc = treecheck_tree_describe(s, dump);
        *round_trip = ast_print_source(s, &back) == 0 && back.len == b->len &&
                      memcmp(back.data, b->data, b->len) == 0;
        *structure = treecheck_structure(s, &err);
        if (!*structure)
            fprintf(stderr, "  %s\n", err.data);
        *ndiags = d.len;
    }
    buf_release(&err);
    buf_release(&back);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    return rc;
}

/* The middle of the input falls inside one long continued line (LF and
 * CRLF continuations): the cut must come after the whole logical line, or
 * the halves would each see half a command. */
static void check_cut_in_continued_line(void)
{
    struct buf in, one, two;
    size_t n1 = 0, n2 = 0, k;
    bool rt1 = false, rt2 = false, st1 = false, st2 = false;

    buf_init(&in, BUF_MAX_UNLIMITED);
    buf_adds(&in, "#!ipxe\n");
    for (k = 0; k < 40000; k++)
        buf_addf(&in, ":l%zu\necho line %zu || goto l%zu\n", k, k, k);
    buf_adds(&in, "kernel http://boot.example/vmlinuz \\\n");
    for (k = 0; k < 20000; k++)
        buf_adds(&in, k % 2 ? "  console=ttyS0 \\\r\n" : "  quiet \\\n");
    buf_adds(&in, "  initrd=initrd.img\n");
    for (k = 0; k < 40000; k++)
        buf_addf(&in, ":m%zu\necho line %zu || goto m%zu\n", k, k, k);
    buf_init(&one, BUF_MAX_UNLIMITED);
    buf_init(&two, BUF_MAX_UNLIMITED);
    {
        struct source src;
        const char *kernel = strstr(in.data, "kernel ");
        const char *after = strstr(in.data, "initrd.img\n");
        unsigned c = 0;
        check(kernel && after && (size_t)(kernel - in.data) < in.len / 2 &&
              (size_t)(after - in.data) > in.len / 2);
        if (source_init_mem(&src, "cont.ipxe", in.data, in.len) == 0) {
            c = parse_threads_cut(&src);
            source_release(&src);
        }
        check(after && c == (size_t)(after - in.data) + strlen("initrd.img\n"));
    }
    check(parse_dump(&in, 0, &one, &n1, &rt1, &st1) == 0);
    check(parse_dump(&in, PARSE_THREADS, &two, &n2, &rt2, &st2) == 0);
    check(rt1 && rt2 && st1 && st2 && n1 == n2);
    check(one.len == two.len && memcmp(one.data, two.data, one.len) == 0);
    buf_release(&one);
    buf_release(&two);
    buf_release(&in);
}

int main(int argc, char **argv)
{
    struct buf goldens, input;
    size_t shift;
    unsigned last_cut = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s TESTDATA_DIR\n", argv[0]);
        return 2;
    }
    buf_init(&goldens, BUF_MAX_UNLIMITED);
    buf_init(&input, BUF_MAX_UNLIMITED);
    buf_addf(&input, "%s/parse", argv[1]);
    if (!check(read_goldens(input.data, &goldens) == 0))
        return test_done();
    for (shift = 0; shift < SHIFTS; shift++) {
        struct buf one, two;
        size_t n1 = 0, n2 = 0, k;
        bool rt1 = false, rt2 = false, st1 = false, st2 = false;

        /* A signature first keeps the whole a script; then @p shift
         * comment lines of 37 bytes move the middle, where the cut falls,
         * by a prime step, so it meets many different contexts. */
        buf_truncate(&input, 0);
        buf_adds(&input, "#!ipxe\n");
        for (k = 0; k < shift; k++)
            buf_adds(&input, "# moves the cut along by 37 bytes...\n");
        while (input.len < INPUT_BYTES)
            buf_add(&input, goldens.data, goldens.len);
        /* the input is cut, somewhere else each time */
        {
            struct source src;
            unsigned c = 0;
            if (source_init_mem(&src, "big.ipxe", input.data, input.len) == 0) {
                c = parse_threads_cut(&src);
                source_release(&src);
            }
            check(c > 0 && c != last_cut);
            last_cut = c;
        }
        buf_init(&one, BUF_MAX_UNLIMITED);
        buf_init(&two, BUF_MAX_UNLIMITED);
        check(parse_dump(&input, 0, &one, &n1, &rt1, &st1) == 0);
        check(parse_dump(&input, PARSE_THREADS, &two, &n2, &rt2, &st2) == 0);
        check(rt1 && rt2);
        check(st1 && st2);
        check(n1 == n2);
        if (!check(one.len == two.len &&
                   memcmp(one.data, two.data, one.len) == 0))
            fprintf(stderr, "  shift %zu: the trees differ\n", shift);
        buf_release(&one);
        buf_release(&two);
    }
    check_cut_in_continued_line();
    buf_release(&input);
    buf_release(&goldens);
    return test_done();
}
