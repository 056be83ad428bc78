/* SPDX-License-Identifier: MIT */
/** @file The linter's front: parse a source, hand it to the engine with
 *  every registered rule; lint a buffer as ipxe-upload and ipxe-render do. */
#include "lint.h"

#include <errno.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "rules.h"
#include "ruleset.h"
#include "source.h"

/* Parse @p src with @p flags (and the template mode its name or the
 * options ask for). */
static int parse_for_lint(struct source *src, const struct lint_options *opts,
                          unsigned flags, struct arena *a,
                          struct diag_list *out, struct ast_script **tree)
{
    if (opts->force_template || parse_is_template_name(src->name))
        flags |= PARSE_TEMPLATE;
    if (lint_threads_allowed(opts))
        flags |= PARSE_THREADS; /* parse.c decides by size */
    return parse_source(src, flags, a, out, tree);
}

/* Parse @p src with @p flags, then run every rule on it. */
static int lint_parsed(struct source *src, const struct lint_options *opts,
                       unsigned flags, struct arena *a, struct diag_list *out,
                       struct ast_script **tree)
{
    struct ast_script *script;
    size_t first;
    int rc;

    if (tree)
        *tree = NULL;
    first = out->len;
    rc = parse_for_lint(src, opts, flags, a, out, &script);
    if (rc)
        return rc;
    if (tree)
        *tree = script;
    return lint_engine_run(src, script, opts, lint_rules(), a, out, first);
}

int lint_parse(struct source *src, const struct lint_options *opts,
               struct arena *a, struct diag_list *out,
               struct ast_script **tree)
{
    return parse_for_lint(src, opts, PARSE_SNIFF, a, out, tree);
}

int lint_parsed_run(struct source *src, const struct ast_script *tree,
                    const struct lint_options *opts, struct arena *a,
                    struct diag_list *out, size_t first)
{
    return lint_engine_run(src, tree, opts, lint_rules(), a, out, first);
}

int lint_source(struct source *src, const struct lint_options *opts,
                struct arena *a, struct diag_list *out,
                struct ast_script **tree)
{
    /* A file is a template by its name, or else by the tags it holds
     * (IPX1014); a Cheetah template is noted and not checked (IPX1015). */
    return lint_parsed(src, opts, PARSE_SNIFF, a, out, tree);
}

int lint_check_buffer(const char *name, const char *data, size_t len,
                      enum lint_platform platform, size_t *errors,
                      struct buf *text)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct lint_options opts;
    size_t i;
    int rc;

    *errors = 0;
    rc = source_init_mem(&src, name, data, len);
    if (rc)
        return rc;
    arena_init(&a);
    diag_list_init(&d, &a);
    lint_options_init(&opts);
    opts.platform = platform;
    /* A rendered script: a tag left in it is text iPXE will see, so its
     * bytes do not make it a template. */
    rc = lint_parsed(&src, &opts, 0, &a, &d, NULL);
    for (i = 0; !rc && i < d.len; i++) {
        const struct diag *dg = &d.items[i];
        struct position pos = source_position(&src, dg->span.start);

        if (dg->sev == DIAG_ERROR)
            (*errors)++;
        if (text)
            rc = buf_addf(text, "%s:%u:%u: %s: %s [%s]\n", name, pos.line,
                          pos.column, diag_severity_name(dg->sev), dg->msg,
                          dg->code);
    }
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    return rc;
}
