/* SPDX-License-Identifier: MIT */
/** @file A source file in memory, and its line table. */
/* MADV_POPULATE_WRITE is not in _XOPEN_SOURCE. */
#define _DEFAULT_SOURCE 1

#include "source.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static int source_take(struct source *src, const char *name, struct buf *b)
{
    size_t len;

    src->name = strdup(name);
    if (!src->name)
        return -ENOMEM;
    src->data = buf_detach(b, &len);
    if (!src->data) {
        free(src->name);
        src->name = NULL;
        return -ENOMEM;
    }
    src->len = len;
    src->line_starts = NULL;
    src->nlines = 0;
    return 0;
}

int span_push(struct span **v, size_t *n, size_t *cap, uint32_t start,
              uint32_t end)
{
    if (*n == *cap) {
        size_t more = *cap ? *cap * 2 : 8;
        struct span *grown = realloc(*v, more * sizeof(*grown));
        if (!grown)
            return -ENOMEM;
        *v = grown;
        *cap = more;
    }
    (*v)[*n].start = start;
    (*v)[*n].end = end;
    (*n)++;
    return 0;
}

/* Fault in the pages of a large fresh buffer @p p of @p len bytes at once,
 * before read() fills it: a page fault each 4 KiB costs more than the copy
 * (a 3 MB file read in 7.5 ms instead of 11.7 here).  Advice only: a kernel
 * without MADV_POPULATE_WRITE (before Linux 5.14) faults them one by one. */
static void populate(char *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t start, end;

    if (len < ((size_t)1 << 20) || page <= 0)
        return;
    start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    end = ((uintptr_t)p + len) & ~((uintptr_t)page - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)len;
#endif
}

/* Reserve room for a regular file's whole size up front, so it is read
 * once into its final buffer instead of through a growing one; a file
 * larger than @p max is refused here, before any of it is read. */
static int source_reserve(struct buf *b, FILE *fp, size_t max)
{
    struct stat st;
    int rc;

    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return 0;
    if ((uint64_t)st.st_size > max)
        return -EFBIG;
    rc = buf_grow(b, (size_t)st.st_size);
    if (!rc)
        populate(b->data, (size_t)st.st_size);
    return rc;
}

/* Read what @p fp holds into @p b, at most @p max bytes: -EFBIG as soon as
 * one byte more arrives (a pipe is never read whole to be refused). */
static int source_read(struct buf *b, FILE *fp, size_t max)
{
    size_t n;
    int rc = source_reserve(b, fp, max);

    while (!rc) {
        /* Read straight into the buffer; it grows only for a pipe or a
         * file that grew since fstat(), never past max.  When it is full,
         * one byte says whether there is more: at the end (a regular file
         * read whole), nothing grows. */
        if (b->cap - b->len <= 1) {
            size_t step = max - b->len < 65536 ? max - b->len : 65536;
            char probe;
            if (fread(&probe, 1, 1, fp) != 1)
                break;
            if (step == 0) {
                rc = -EFBIG;
                break;
            }
            if ((rc = buf_grow(b, step)) != 0)
                break;
            b->data[b->len++] = probe;
            b->data[b->len] = '\0';
            continue;
        }
        n = fread(b->data + b->len, 1, b->cap - b->len - 1, fp);
        if (n == 0)
            break;
        if (n > max - b->len) {
            rc = -EFBIG;
            break;
        }
        b->len += n;
        b->data[b->len] = '\0';
    }
    if (!rc && ferror(fp))
        rc = errno ? -errno : -EIO;
    return rc == -E2BIG ? -EFBIG : rc;
}

int source_load_max(struct source *src, const char *path,
                    const char *display_name, size_t max)
{
    struct buf b;
    FILE *fp;
    int rc;

    memset(src, 0, sizeof(*src));
    if (max > SOURCE_MAX_LEN)
        max = SOURCE_MAX_LEN;
    if (strcmp(path, "-") == 0) {
        fp = stdin;
    } else {
        fp = fopen(path, "rb");
        if (!fp)
            return -errno;
    }
    buf_init(&b, max);
    rc = source_read(&b, fp, max);
    if (fp != stdin)
        fclose(fp);
    if (!rc)
        rc = source_take(src, display_name ? display_name : path, &b);
    buf_release(&b);
    return rc;
}

int source_load(struct source *src, const char *path, const char *display_name)
{
    return source_load_max(src, path, display_name, SOURCE_MAX_LEN);
}

int source_init_mem(struct source *src, const char *name, const char *data,
                    size_t len)
{
    struct buf b;
    int rc;

    memset(src, 0, sizeof(*src));
    if (len > SOURCE_MAX_LEN)
        return -EFBIG;
    buf_init(&b, SOURCE_MAX_LEN);
    rc = buf_add(&b, data, len);
    if (!rc)
        rc = source_take(src, name, &b);
    buf_release(&b);
    return rc;
}

void source_release(struct source *src)
{
    free(src->name);
    free(src->data);
    free(src->line_starts);
    memset(src, 0, sizeof(*src));
}

uint32_t *source_line_starts(const char *data, size_t len, size_t *n)
{
    size_t count = 1, i;
    const char *p;
    uint32_t *starts;

    /* data may be NULL when len is 0 (an empty editor buffer) */
    for (i = 0; i < len && (p = memchr(data + i, '\n', len - i)); count++)
        i = (size_t)(p - data) + 1;
    starts = malloc(count * sizeof(*starts));
    if (!starts)
        return NULL;
    *n = 0;
    starts[(*n)++] = 0;
    for (i = 0; i < len && (p = memchr(data + i, '\n', len - i));) {
        i = (size_t)(p - data) + 1;
        starts[(*n)++] = (uint32_t)i;
    }
    return starts;
}

size_t source_line_find(const uint32_t *starts, size_t n, uint32_t offset)
{
    size_t lo = 0, hi = n;

    /* Last line start <= offset. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Build the line table on first use: printing needs it, parsing does not. */
static int source_build_lines(struct source *src)
{
    src->line_starts = source_line_starts(src->data, src->len, &src->nlines);
    return src->line_starts ? 0 : -ENOMEM;
}

/* Index of the line holding @p offset; the table must be built. */
static size_t source_line_index(const struct source *src, uint32_t offset)
{
    return source_line_find(src->line_starts, src->nlines, offset);
}

struct position source_position(struct source *src, uint32_t offset)
{
    struct position pos = {1, 1};
    size_t idx;

    if (!src->nlines && source_build_lines(src))
        return pos;
    if (offset > src->len)
        offset = (uint32_t)src->len;
    idx = source_line_index(src, offset);
    pos.line = (uint32_t)(idx + 1);
    pos.column = offset - src->line_starts[idx] + 1;
    return pos;
}

const char *source_line(struct source *src, uint32_t offset, size_t *len)
{
    size_t idx;
    const char *start, *nl;

    *len = 0;
    if (!src->nlines && source_build_lines(src))
        return src->data;
    if (offset > src->len)
        offset = (uint32_t)src->len;
    idx = source_line_index(src, offset);
    start = src->data + src->line_starts[idx];
    nl = memchr(start, '\n', (size_t)(src->data + src->len - start));
    *len = (size_t)((nl ? nl : src->data + src->len) - start);
    return start;
}
