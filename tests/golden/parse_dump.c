/* SPDX-License-Identifier: MIT */
/** @file A parser-only dump tool for the golden tests.
 *
 * `parse_dump [--template|--plain] --dump=ast|source FILE` prints exactly
 * what `ipxe-lint --dump=ast|source` prints, without the linter, so the
 * golden tests pin the parser alone.  Parse errors go to stderr in gcc
 * format.  Exit status: 0, 1 if there were parse errors, 2 on misuse or an
 * unreadable file.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

static int usage(void)
{
    fputs("usage: parse_dump [--template|--plain] --dump=ast|source FILE\n",
          stderr);
    return 2;
}

static void print_diags(struct source *src, const struct diag_list *d)
{
    size_t i;

    for (i = 0; i < d->len; i++) {
        struct position pos = source_position(src, d->items[i].span.start);
        fprintf(stderr, "%s:%u:%u: %s: %s [%s]\n", src->name, pos.line,
                pos.column, diag_severity_name(d->items[i].sev),
                d->items[i].msg, d->items[i].code);
    }
}

int main(int argc, char **argv)
{
    const char *path = NULL, *dump = NULL;
    int mode = -1; /* -1: by file name, 0: plain, 1: template */
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    struct buf out;
    int i, rc, status = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--template") == 0)
            mode = 1;
        else if (strcmp(argv[i], "--plain") == 0)
            mode = 0;
        else if (strncmp(argv[i], "--dump=", 7) == 0)
            dump = argv[i] + 7;
        else if (!path && (argv[i][0] != '-' || argv[i][1] == '\0'))
            path = argv[i];
        else
            return usage();
    }
    if (!path || !dump || (strcmp(dump, "ast") && strcmp(dump, "source")))
        return usage();
    if (mode < 0)
        mode = parse_is_template_name(path);

    rc = source_load(&src, path, NULL);
    if (rc) {
        fprintf(stderr, "parse_dump: %s: %s\n", path, strerror(-rc));
        return 2;
    }
    arena_init(&a);
    diag_list_init(&d, &a);
    buf_init(&out, BUF_MAX_UNLIMITED);
    rc = parse_source(&src, mode ? PARSE_TEMPLATE : 0, &a, &d, &s);
    if (!rc)
        rc = strcmp(dump, "ast") == 0 ? ast_print_tree(s, &out)
                                      : ast_print_source(s, &out);
    if (rc) {
        fprintf(stderr, "parse_dump: %s: %s\n", path, strerror(-rc));
        status = 2;
    } else {
        fwrite(out.data, 1, out.len, stdout);
        print_diags(&src, &d);
        status = d.len ? 1 : 0;
    }
    buf_release(&out);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
