/* SPDX-License-Identifier: MIT */
/** @file A bump allocator: one per parsed file. */
/* MAP_ANONYMOUS and MADV_POPULATE_WRITE are not in _XOPEN_SOURCE. */
#define _DEFAULT_SOURCE 1

#include "arena.h"

#include <errno.h>
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
#define BLOCK_MAX ((size_t)32 * 1024 * 1024)
/* Blocks from this size on are mapped directly, and the arena asks the
 * kernel to fault their pages in POPULATE_STEP at a time, just ahead of
 * use: one system call per 256 pages instead of a page fault for each,
 * which took a sixth of a large parse, and never more than a step of
 * memory touched before it is needed.  (Transparent huge pages were
 * tried: on these virtual machines clearing them cost more than the
 * faults they saved.) */
#define MAP_MIN       ((size_t)1024 * 1024)
#define POPULATE_STEP ((size_t)1024 * 1024)

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

int arena_reset(struct arena *a, size_t min)
{
    size_t want = a->total > min ? a->total : min;

    if (a->head && !a->head->next && a->head->size >= want) {
        a->next = (char *)a->head->data;
        return 0;
    }
    arena_release(a);
    if (!arena_alloc_block(a, want))
        return -ENOMEM;
    a->next = (char *)a->head->data;
    return 0;
}

void arena_adopt(struct arena *a, struct arena *from)
{
    struct arena_block *last = from->head;

    if (!last)
        return;
    if (!a->head) {
        *a = *from;
        arena_init(from);
        return;
    }
    while (last->next)
        last = last->next;
    /* behind a's current block, so a's bump pointer stays valid */
    last->next = a->head->next;
    a->head->next = from->head;
    a->total += from->total;
    arena_init(from);
}

static struct arena_block *block_map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

/* Let allocations in the mapped head block run up to @p want (at most its
 * end), faulting the pages in first, a step at a time. */
static void block_populate(struct arena *a, char *want)
{
    char *base = (char *)a->head, *end = base + a->head->size;
    size_t off = (size_t)(want - base);
    char *lim =
        base + (off + POPULATE_STEP - 1) / POPULATE_STEP * POPULATE_STEP;

    if (lim > end || lim < want)
        lim = end;
#ifdef MADV_POPULATE_WRITE
    /* advice: if the kernel cannot, the pages fault in one by one */
    madvise(a->limit, (size_t)(lim - a->limit), MADV_POPULATE_WRITE);
#endif
    a->limit = lim;
}

void *arena_alloc_block(struct arena *a, size_t size)
{
    size_t want = a->head ? a->head->size * 2 : BLOCK_MIN;
    const size_t header = offsetof(struct arena_block, data);
    struct arena_block *b;
    char *p;
    int mapped = 0;

    /* The mapped head block has room past the populated part. */
    if (a->head && a->head->mapped &&
        (uintptr_t)a->head + a->head->size - (uintptr_t)a->next >= size) {
        p = a->next;
        block_populate(a, p + size);
        a->next = p + size;
        return p;
    }
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
    a->total += want;
    p = (char *)b->data;
    a->next = p + size;
    a->limit = (char *)b + want;
    if (mapped) {
        a->limit = (char *)b; /* nothing populated yet */
        block_populate(a, a->next);
    }
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
