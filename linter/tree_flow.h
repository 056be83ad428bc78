/* SPDX-License-Identifier: MIT */
/** @file Tree mode: what each script does, and what flows between them. */
#ifndef IPXETOOL_LINTER_TREE_FLOW_H
#define IPXETOOL_LINTER_TREE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "tree_int.h"

/** Read what script @p f does (stores, chains, reads) from its parse.
 *  0, or -ENOMEM. */
int tree_collect(struct lint_tree *t, struct tfile *f);

/** The chains and the settings along them, to a fixpoint, from the
 *  @p nentries scripts at @p entries (none: the default entries); then
 *  each script's facts.  0, or -ENOMEM. */
int tree_analyse(struct lint_tree *t, const uint32_t *entries,
                 size_t nentries);

#endif
