/* SPDX-License-Identifier: MIT */
/** @file Tree mode: what the tree can prove missing (see tree_missing.c).
 *  Private to tree mode, like tree_int.h. */
#ifndef IPXETOOL_LINTER_TREE_MISSING_H
#define IPXETOOL_LINTER_TREE_MISSING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "tree_int.h"

/** Image names registered by earlier lines of a script (imgfetch, kernel,
 *  initrd, module): pointers into the script's source, not NUL-ended. */
struct tree_imgnames {
    const char **name;
    uint32_t *len;
    size_t n, cap;
};

/** Remember the image @p cmd (a fetch of URI word @p w) registers, if its
 *  name is known before run time.  @ret 0 or -ENOMEM */
int tree_note_image(struct tree_imgnames *in, const char *data,
                    const struct lint_cmd *cmd, const struct ast_word *w);

/** Whether static word @p w is a name in @p in: a chain of it boots that
 *  image, and downloads nothing. */
bool tree_names_image(const char *data, const struct ast_word *w,
                      const struct tree_imgnames *in);

/** Whether a missing target of a chain from @p f by URI word @p w may be
 *  made by a renderer (a template choosing the script by a setting). */
bool tree_rendered_choice(const struct tfile *f, const struct tword *w);

/** Work out the folders the tree shows are served as laid out (those
 *  holding a script another script chains), once the chains are known.
 *  @ret 0 or -ENOMEM */
int tree_served_folders(struct lint_tree *t);

/** Whether missing script @p m is in a served folder. */
bool tree_in_served(const struct lint_tree *t,
                    const struct lint_tree_missing *m);

#endif
