/* SPDX-License-Identifier: MIT */
/** @file A bump allocator: one per parsed file.
 *
 * Everything a parse builds (nodes, cooked strings, diagnostics' text) is
 * allocated here and freed at once by arena_release(), so no error path can
 * leak (git's mem-pool).  Allocations are aligned for any object and never
 * move.
 */
#ifndef IPXETOOL_PARSER_ARENA_H
#define IPXETOOL_PARSER_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head; /**< the block being filled; older ones follow */
    size_t used;              /**< bytes used in head */
    size_t total;             /**< bytes of all blocks, for statistics */
};

/** Set up caller storage as an empty arena. */
void arena_init(struct arena *a);
/** Free every block; the arena is left empty and usable. */
void arena_release(struct arena *a);
/** @p size bytes, aligned; NULL only when memory is exhausted. */
void *arena_alloc(struct arena *a, size_t size);
/** Like arena_alloc(), zero-filled. */
void *arena_zalloc(struct arena *a, size_t size);
/** A NUL-terminated copy of @p len bytes of @p s (which may hold NUL). */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/** A formatted string, owned by the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
