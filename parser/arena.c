/* SPDX-License-Identifier: MIT */
/** @file A bump allocator: one per parsed file. */
/* MAP_ANONYMOUS and MAP_POPULATE are not in _XOPEN_SOURCE. */
#define _DEFAULT_SOURCE 1

#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

struct arena_block {
    struct arena_block *next; /**< the block filled before this one */
    size_t size;              /**< bytes of the block, this header included */
    int mapped;               /**< from mmap() rather than malloc() */
    max_align_t data[];       /**< the memory handed out */
};

/* Each new block doubles the last, from BLOCK_MIN up to BLOCK_MAX: a small
 * script costs one small block, a 100 MB one a few dozen big ones. */
#define BLOCK_MIN ((size_t)16 * 1024)
#define BLOCK_MAX ((size_t)8 * 1024 * 1024)
/* Blocks from this size on are mapped directly and populated in the same
 * call: one system call instead of a page fault per 4 KiB, which took a
 * sixth of a large parse.  (Transparent huge pages were tried: on these
 * virtual machines clearing them cost more than the faults they saved.) */
#define MAP_MIN ((size_t)1024 * 1024)

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->next = a->limit = NULL;
    a->total = 0;
}

static void block_free(struct arena_block *b)
{
    if (b->mapped)
        munmap(b, b->size);
    else
        free(b);
}

void arena_release(struct arena *a)
{
    struct arena_block *b = a->head;

    while (b) {
        struct arena_block *next = b->next;
        block_free(b);
        b = next;
    }
    arena_init(a);
}

static struct arena_block *block_map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void *arena_alloc_block(struct arena *a, size_t size)
{
    size_t want = a->head ? a->head->size * 2 : BLOCK_MIN;
    const size_t header = offsetof(struct arena_block, data);
    struct arena_block *b;
    int mapped = 0;

    if (size > SIZE_MAX - header)
        return NULL;
    if (want > BLOCK_MAX)
        want = BLOCK_MAX;
    if (want < size + header)
        want = size + header;
    if (want >= MAP_MIN) {
        b = block_map(want);
        mapped = 1;
    } else {
        b = malloc(want);
    }
    if (!b)
        return NULL;
    b->size = want;
    b->mapped = mapped;
    b->next = a->head;
    a->head = b;
    a->next = (char *)b->data + size;
    a->limit = (char *)b + want;
    a->total += want;
    return b->data;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX)
        return NULL;
    p = arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
