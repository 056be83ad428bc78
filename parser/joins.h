/* SPDX-License-Identifier: MIT */
/** @file Where iPXE joins physical lines: the bytes a backslash
 *  continuation removes, found by replaying iPXE's line loop (spec §1.2).
 *
 * Internal to parser/.  iPXE appends each physical line to the text it is
 * accumulating, strips one trailing CR, and if the text then ends in a
 * backslash it drops it and appends the next physical line.  The text can
 * end in a backslash again after an empty line, so a run of backslashes
 * and CRs can join several lines, and what it removes is not always one
 * contiguous run.  joins_scan() replays that loop once over the file and
 * lists the removed bytes as sorted, disjoint ranges; the lexer treats
 * each range as one continuation.
 */
#ifndef IPXETOOL_PARSER_JOINS_H
#define IPXETOOL_PARSER_JOINS_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

struct joins {
    struct span *ranges; /**< removed bytes, sorted, disjoint (malloc) */
    size_t n;            /**< how many */
    size_t cap;          /**< allocated */
    bool dangling;       /**< the file ends in a join with nothing to join:
                              the last logical line never runs */
};

/** Replay iPXE's line loop over @p len bytes.  0 or -ENOMEM. */
int joins_scan(struct joins *j, const char *data, size_t len);
/** Free the ranges. */
void joins_release(struct joins *j);

#endif
