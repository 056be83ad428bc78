/* SPDX-License-Identifier: MIT */
/** @file The corpus gate: every file of ../shared/corpus through the parser.
 *
 * `corpus_check CORPUS_DIR` reads CORPUS_DIR/MANIFEST.tsv and, for every
 * file listed there:
 *   - parses it as a plain script: no failure, no parse error, a tree that
 *     keeps its invariants, reads the file as iPXE's own code does
 *     (tests/unit/treecheck.c) and prints back the input byte for byte;
 *   - if its class is template:jinja2 or template:gotemplate, parses it
 *     again as a template: no failure, a sound tree, the input printed back
 *     byte for byte (template parse errors are listed, not failures: the
 *     template layer is checked by the renderer's own tests).
 * Nothing is copied out of the corpus.  Runs under ASan/UBSan in the
 * sanitizer build.
 *
 * Exit status: 0 all good, 1 a file failed, 77 (ctest's skip) when the
 * corpus is missing, unless CI=true is set: then a missing corpus fails.
 */
#include <errno.h>
#include <stdbool.h>
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

#define EXIT_SKIP 77

struct totals {
    unsigned files;       /**< files listed */
    unsigned failed;      /**< files with at least one failure */
    unsigned plain;       /**< files of class plain */
    unsigned templates;   /**< files also parsed as templates */
    unsigned tmpl_errors; /**< parse errors in template mode */
    unsigned long bytes;  /**< bytes read */
};

/* Parse @p src once; returns false (and says why) if anything is wrong. */
static bool check_one(struct source *src, unsigned flags, const char *cls,
                      struct totals *t)
{
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    struct buf err, out;
    const char *mode = flags & PARSE_TEMPLATE ? "template" : "plain";
    bool ok = true;
    int rc;
    size_t i;

    arena_init(&a);
    diag_list_init(&d, &a);
    buf_init(&err, BUF_MAX_UNLIMITED);
    buf_init(&out, BUF_MAX_UNLIMITED);
    rc = parse_source(src, flags, &a, &d, &s);
    if (rc) {
        printf("FAIL %s (%s): parse_source: %s\n", src->name, mode,
               strerror(-rc));
        ok = false;
        goto done;
    }
    if (!(flags & PARSE_TEMPLATE) && d.len) {
        struct position p = source_position(src, d.items[0].span.start);
        printf("FAIL %s (plain, class %s): %zu parse errors, the first at "
               "%u:%u: %s\n",
               src->name, cls, d.len, p.line, p.column, d.items[0].msg);
        ok = false;
    }
    for (i = 0; (flags & PARSE_TEMPLATE) && i < d.len; i++) {
        struct position p = source_position(src, d.items[i].span.start);
        printf("note %s:%u:%u: template parse error: %s\n", src->name, p.line,
               p.column, d.items[i].msg);
        t->tmpl_errors++;
    }
    if (!treecheck_structure(s, &err)) {
        printf("FAIL %s (%s): broken tree: %s", src->name, mode, err.data);
        ok = false;
    }
    rc = ast_print_source(s, &out);
    if (rc || out.len != src->len || memcmp(out.data, src->data, out.len)) {
        printf("FAIL %s (%s): --dump=source is not the input (rc %d, %zu "
               "bytes for %zu)\n",
               src->name, mode, rc, out.len, src->len);
        ok = false;
    }
    buf_truncate(&out, 0);
    rc = ast_print_tree(s, &out);
    if (rc) {
        printf("FAIL %s (%s): --dump=ast: %s\n", src->name, mode,
               strerror(-rc));
        ok = false;
    }
    buf_truncate(&err, 0);
    if (!(flags & PARSE_TEMPLATE) && !treecheck_model(s, &err)) {
        printf("FAIL %s (plain): %s", src->name, err.data);
        ok = false;
    }
done:
    buf_release(&out);
    buf_release(&err);
    diag_list_release(&d);
    arena_release(&a);
    return ok;
}

/* One manifest row: the file's path in the corpus and its class. */
static bool check_file(const char *dir, const char *local, const char *cls,
                       struct totals *t)
{
    struct source src;
    struct buf path;
    bool ok = true;
    int rc;

    buf_init(&path, BUF_MAX_UNLIMITED);
    buf_addf(&path, "%s/%s", dir, local);
    rc = source_load(&src, path.data, local);
    buf_release(&path);
    if (rc) {
        printf("FAIL %s: cannot read: %s\n", local, strerror(-rc));
        return false;
    }
    t->bytes += src.len;
    if (strcmp(cls, "plain") == 0)
        t->plain++;
    ok = check_one(&src, 0, cls, t);
    if (strcmp(cls, "template:jinja2") == 0 ||
        strcmp(cls, "template:gotemplate") == 0) {
        t->templates++;
        ok = check_one(&src, PARSE_TEMPLATE, cls, t) && ok;
    }
    source_release(&src);
    return ok;
}

static int missing(const char *what)
{
    const char *ci = getenv("CI");

    if (ci && strcmp(ci, "true") == 0) {
        printf("FAIL: %s not found, and CI=true: the corpus must be there\n",
               what);
        return 1;
    }
    printf("skipped: ../shared/corpus not found (%s)\n", what);
    return EXIT_SKIP;
}

int main(int argc, char **argv)
{
    struct totals t = {0, 0, 0, 0, 0, 0};
    struct buf path;
    char line[4096];
    FILE *fp;
    bool header = true;

    if (argc != 2) {
        fprintf(stderr, "usage: corpus_check CORPUS_DIR\n");
        return 2;
    }
    buf_init(&path, BUF_MAX_UNLIMITED);
    buf_addf(&path, "%s/MANIFEST.tsv", argv[1]);
    fp = fopen(path.data, "r");
    if (!fp) {
        int status = missing(path.data);
        buf_release(&path);
        return status;
    }
    buf_release(&path);
    while (fgets(line, sizeof(line), fp)) {
        char *local = line, *cls, *tab;
        int col;
        line[strcspn(line, "\r\n")] = '\0';
        if (header) { /* local_file repo path commit class lines has_shebang */
            header = false;
            continue;
        }
        if (!line[0])
            continue;
        /* Column 5 is the class. */
        cls = line;
        for (col = 0; col < 4 && cls; col++) {
            tab = strchr(cls, '\t');
            cls = tab ? tab + 1 : NULL;
        }
        tab = strchr(line, '\t');
        if (!cls || !tab) {
            printf("FAIL: malformed manifest row: %s\n", line);
            t.failed++;
            continue;
        }
        *tab = '\0';
        cls[strcspn(cls, "\t")] = '\0';
        t.files++;
        if (!check_file(argv[1], local, cls, &t))
            t.failed++;
    }
    fclose(fp);
    printf("corpus: %u files (%u plain, %u also as templates), %lu bytes; "
           "%u template parse errors\n",
           t.files, t.plain, t.templates, t.bytes, t.tmpl_errors);
    if (t.files == 0) {
        printf("FAIL: the manifest lists no file\n");
        return 1;
    }
    printf("%u passed, %u failed\n", t.files - t.failed, t.failed);
    return t.failed ? 1 : 0;
}
