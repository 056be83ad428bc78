/* SPDX-License-Identifier: MIT */
/** @file Tree mode: the scripts under one folder read as one boot tree.
 *
 * Every script under the tree's folder is parsed once; the chains between
 * them (`chain`, `imgexec`/`boot`, `kernel`/`imgfetch` then a boot) are
 * found from URIs that map into the tree, literal or built from settings
 * whose values are known along the way; then, for each script, which
 * settings are set on every path from an entry to it and which on some
 * path only.  Linting a script of the tree hands those facts to the rules
 * (struct lint_tree_facts).
 */
#ifndef IPXETOOL_LINTER_TREE_H
#define IPXETOOL_LINTER_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "options.h"

struct arena;
struct buf;
struct lint_tree;
struct source;

/** How a tree is laid out. */
struct lint_tree_setup {
    const char *dir;            /**< the folder the scripts are under */
    const char *const *maps;    /**< "URL-PREFIX=DIR": URLs served from DIR */
    size_t nmaps;
    const char *const *entries; /**< scripts booted first (none: those no
                                     other script chains) */
    size_t nentries;
    bool keep; /**< keep every script's parse (to lint them all); else
                    each is parsed again when linted */
    const char *overlay;      /**< a script whose text is overlay_data
                                   instead of the file's (an editor's
                                   unsaved buffer), or NULL */
    const char *overlay_data;
    size_t overlay_len;
};

/**
 * Read and analyse the tree @p setup describes, with @p opts (template
 * mode, threads) for parsing.
 *
 * @ret rc 0; -EINVAL with what is wrong in @p err (a folder that is not
 *         one, an entry outside the tree, a map without '='); another
 *         negative errno
 */
int lint_tree_open(struct lint_tree **out, const struct lint_tree_setup *setup,
                   const struct lint_options *opts, struct buf *err);
/** Free the tree and every script's data. */
void lint_tree_close(struct lint_tree *t);

/** How many scripts the tree has. */
size_t lint_tree_size(const struct lint_tree *t);
/** Script @p i's path, for reports (the tree's folder as given, joined
 *  with the script's path under it). */
const char *lint_tree_name(const struct lint_tree *t, size_t i);
/** Whether @p path names a script of the tree; its index in @p i. */
bool lint_tree_find(const struct lint_tree *t, const char *path, size_t *i);

/**
 * Lint script @p i with @p opts and what the tree knows of it: findings
 * (the parser's too) are appended to @p out, sorted; @p src is set to the
 * script's source, which the tree owns.
 *
 * @ret rc 0, or -ENOMEM
 */
int lint_tree_lint(struct lint_tree *t, size_t i,
                   const struct lint_options *opts, struct arena *a,
                   struct diag_list *out, struct source **src);

#endif
