/* SPDX-License-Identifier: MIT */
/** @file `ipxe-lint --fix`: every fix applied to a file in place. */
#ifndef IPXETOOL_LINTER_FIX_H
#define IPXETOOL_LINTER_FIX_H

#include <stddef.h>

#include "diag.h"
#include "options.h"

struct arena;
struct ast_script;
struct source;

/**
 * Apply the fixes of @p d to @p src and lint the result again, until no
 * fix is left (a fix that overlapped another is taken on a later pass;
 * 8 passes at most), then write the text to @p path in place: a new file
 * in the same folder (O_CREAT|O_EXCL|O_NOFOLLOW), given the old file's
 * mode, synced, and renamed over it, so that a reader sees the old file or
 * the new one, never a part.  A symbolic link is followed: its target is
 * rewritten and the link kept.  Nothing is written when there is nothing
 * to fix.
 *
 * On return @p src, @p d and @p tree are the fixed text's (what remains
 * to report), in @p a.
 *
 * @v nfixed  set to the number of replacements made
 * @ret rc    0, -ENOMEM, or the errno of the write (the file is then as
 *            it was)
 */
int lint_fix_file(const char *path, struct source *src,
                  const struct lint_options *opts, struct arena *a,
                  struct diag_list *d, struct ast_script **tree,
                  size_t *nfixed);

#endif
