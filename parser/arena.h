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
#include <stdint.h>
#include <string.h>

struct arena_block;

struct arena {
    struct arena_block *head; /**< the block being filled; older ones follow */
    char *next;               /**< the first free byte in head */
    char *limit;              /**< the end of what head may hand out
                                   without arena_alloc_block(): its end,
                                   or for a mapped block the end of the
                                   pages faulted in so far */
    size_t total;             /**< bytes of all blocks, for statistics */
};

/** Alignment of every allocation: nodes hold pointers and 32-bit offsets,
 *  nothing wider. */
#define ARENA_ALIGN (sizeof(void *))

/** Set up caller storage as an empty arena. */
void arena_init(struct arena *a);
/** Free every block; the arena is left empty and usable. */
void arena_release(struct arena *a);
/** Forget everything allocated, keeping one block: the one there is if it
 *  is alone, else a new one as large as all of them together (and at
 *  least @p min bytes), so the same work next time needs no new block.
 *  0, or -ENOMEM (the arena is then empty and usable). */
int arena_reset(struct arena *a, size_t min);
/** Make @p a own every block of @p from (which is left empty): what was
 *  allocated in @p from now lives as long as @p a.  @p a goes on
 *  allocating in its own current block. */
void arena_adopt(struct arena *a, struct arena *from);
/** The slow path of arena_alloc(): a new block for @p size bytes. */
void *arena_alloc_block(struct arena *a, size_t size);

/** @p size bytes, aligned; NULL only when memory is exhausted.  Inline:
 *  the parser makes several allocations per word. */
static inline void *arena_alloc(struct arena *a, size_t size)
{
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    char *p = a->next;

    if (size == 0)
        rounded = ARENA_ALIGN;
    else if (rounded < size)
        return NULL; /* size overflowed */
    if ((uintptr_t)a->limit - (uintptr_t)p < rounded)
        return arena_alloc_block(a, rounded);
    a->next = p + rounded;
    return p;
}

/** Like arena_alloc(), zero-filled. */
static inline void *arena_zalloc(struct arena *a, size_t size)
{
    void *p = arena_alloc(a, size);

    if (p)
        memset(p, 0, size);
    return p;
}
/** A NUL-terminated copy of @p len bytes of @p s (which may hold NUL). */
char *arena_strndup(struct arena *a, const char *s, size_t len);
/** A formatted string, owned by the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
