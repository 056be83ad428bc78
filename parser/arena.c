/* SPDX-License-Identifier: MIT */
/** @file A bump allocator: one per parsed file. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    struct arena_block *next; /**< the block filled before this one */
    size_t size;              /**< usable bytes in data */
    max_align_t data[];       /**< the memory handed out */
};

/* First block size; each new block doubles the last, up to BLOCK_MAX, so a
 * small script costs one malloc and a 100 MB one a few hundred. */
#define BLOCK_MIN ((size_t)16 * 1024)
#define BLOCK_MAX ((size_t)4 * 1024 * 1024)
/* Nodes hold pointers and 32-bit offsets, nothing wider: 8-byte alignment
 * keeps small nodes small (max_align_t would round them to 16). */
#define ALIGN     (sizeof(void *))

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void arena_release(struct arena *a)
{
    struct arena_block *b = a->head;

    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena_init(a);
}

static struct arena_block *arena_new_block(struct arena *a, size_t need)
{
    size_t size = a->head ? a->head->size * 2 : BLOCK_MIN;
    struct arena_block *b;

    if (size > BLOCK_MAX)
        size = BLOCK_MAX;
    if (size < need)
        size = need;
    if (size > SIZE_MAX - sizeof(*b))
        return NULL;
    b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->size = size;
    b->next = a->head;
    a->head = b;
    a->used = 0;
    a->total += size;
    return b;
}

void *arena_alloc(struct arena *a, size_t size)
{
    size_t rounded;
    char *p;

    if (size > SIZE_MAX - ALIGN)
        return NULL;
    rounded = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (rounded == 0)
        rounded = ALIGN;
    if (!a->head || a->head->size - a->used < rounded) {
        if (!arena_new_block(a, rounded))
            return NULL;
    }
    p = (char *)a->head->data + a->used;
    a->used += rounded;
    return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
    void *p = arena_alloc(a, size);

    if (p)
        memset(p, 0, size);
    return p;
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
