/* SPDX-License-Identifier: MIT */
/** @file Tree mode: setting names by number, and where a URI met in a
 *  script of the tree leads. */
#ifndef IPXETOOL_LINTER_TREE_URI_H
#define IPXETOOL_LINTER_TREE_URI_H

#include <stddef.h>
#include <stdint.h>

#include "tree_int.h"

/** What a template's name ends with after the script's own name
 *  (`menu.ipxe.j2` is served as `menu.ipxe`): NULL-ended. */
extern const char *const tree_template_exts[];

/** The id of setting @p name (@p len bytes, borrowed), added if new;
 *  UINT32_MAX if memory ran out. */
uint32_t tree_name_id(struct lint_tree *t, const char *name, size_t len);

/** Where URI @p uri, met in file @p from, leads: a script of the tree
 *  (returns 1, @p target set), a file of it that is no script, or
 *  somewhere outside the tree (0), or a script (`*.ipxe`) the tree does
 *  not have (2, @p missing set to its path under the tree, in the tree's
 *  arena; never when @p missing is NULL: the caller only wants scripts,
 *  and the file system is not asked). */
int tree_resolve(struct lint_tree *t, const struct tfile *from,
                 const char *uri, uint32_t *target, const char **missing);

#endif
