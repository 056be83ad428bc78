/* SPDX-License-Identifier: MIT */
/** @file Rules only a tree of scripts can check (tree mode: `ipxe-lint
 *  --tree`): a script no entry reaches, a setting some callers set and
 *  others not, a chain to a file the tree does not have.  The tree's
 *  analysis (linter/tree.c) works the facts out; these rules say them at
 *  the right place. */
#include "engine.h"

#include <string.h>

static void check_tree(struct lint_ctx *ctx);

static const struct lint_rule unreached_script = {
    .code = "IPX2020",
    .name = "unreached-script",
    .sev = DIAG_INFO,
    .summary = "a script of the tree that no entry script chains, even "
               "through others",
    .on_script = check_tree,
};

static const struct lint_rule setting_unset_on_some_path = {
    .code = "IPX2220",
    .name = "setting-unset-on-some-path",
    .sev = DIAG_WARNING,
    .summary = "a setting some scripts set before chaining this one, but "
               "not every path to it",
    .on_script = check_tree,
};

static const struct lint_rule chain_target_missing = {
    .code = "IPX2320",
    .name = "chain-target-missing",
    .sev = DIAG_ERROR,
    .summary = "a chain to a URI served from the tree that names no file "
               "there",
    .on_script = check_tree,
};

const struct lint_rule *const lint_rules_tree[] = {
    &unreached_script,
    &setting_unset_on_some_path,
    &chain_target_missing,
    NULL,
};

/* The span of the script's first line (where a finding about the whole
 * file goes). */
static struct span first_line(struct lint_ctx *ctx)
{
    const struct lint_line *lines;
    size_t n, i;

    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        const struct ast_line *l = lines[i].line;
        uint32_t end = ast_line_eol(l).start;

        if (end > l->span.start)
            return lint_span(l->span.start, end);
    }
    return lint_span(0, 0);
}

static void check_tree(struct lint_ctx *ctx)
{
    const struct lint_tree_facts *t = lint_tree_facts(ctx);
    struct diag *dg;
    size_t i;

    if (!t)
        return;
    if (!t->reached) {
        dg = lint_report(ctx, &unreached_script, first_line(ctx),
                         "no entry script of the tree chains this script, "
                         "not even through others: nothing in the tree "
                         "ever runs it");
        if (dg)
            diag_hint(lint_diags(ctx), dg,
                      "if a machine boots it first, name it with "
                      "'--entry' (or 'entry =' in .ipxe-lint.conf); if "
                      "nothing uses it any more, delete it");
        return;
    }
    for (i = 0; i < t->npartial; i++) {
        const struct lint_tree_partial *p = &t->partial[i];

        dg = lint_report(ctx, &setting_unset_on_some_path, p->at,
                         "'${%s}' expands to nothing when this script is "
                         "reached through %s, though other scripts that "
                         "chain it set it",
                         lint_show(ctx, p->name, p->len), p->path);
        if (dg)
            diag_hint(lint_diags(ctx), dg,
                      "set it on that path too, or here with a default: "
                      "'isset ${%s} || set %s ...'",
                      lint_show(ctx, p->name, p->len),
                      lint_show(ctx, p->name, p->len));
    }
    for (i = 0; i < t->nmissing; i++) {
        const struct lint_tree_missing *m = &t->missing[i];

        dg = lint_report(ctx, &chain_target_missing, m->at,
                         "'%s' names no file of the tree (it would be "
                         "'%s'): this chain can only fail, and the menu "
                         "entry or fallback that leads here is broken",
                         lint_show(ctx, m->uri, strlen(m->uri)),
                         lint_show(ctx, m->file, strlen(m->file)));
        if (dg)
            diag_hint(lint_diags(ctx), dg,
                      "fix the name, or add the script to the tree");
    }
}
