/* SPDX-License-Identifier: MIT */
/** @file A unified diff of two texts, line by line (Myers' algorithm). */
#ifndef IPXETOOL_LINTER_DIFF_H
#define IPXETOOL_LINTER_DIFF_H

#include <stddef.h>

struct buf;

/**
 * Append to @p out a unified diff of @p a (old) and @p b (new), with
 * three lines of context, under the headers "--- @p a_name" and
 * "+++ @p b_name".  Lines compare byte for byte, "\r" included; a last
 * line without a newline is marked as diff(1) does.  Nothing is appended
 * when the texts are equal.
 *
 * @ret rc  0 or -ENOMEM
 */
int diff_unified(const char *a, size_t alen, const char *b, size_t blen,
                 const char *a_name, const char *b_name, struct buf *out);

#endif
