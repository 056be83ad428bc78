/* SPDX-License-Identifier: MIT */
/** @file Where iPXE joins physical lines. */
#include "joins.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The backslashes and CRs at the end of the accumulated text, as buffer
 * segments (one per physical line they came from), newest last. */
struct tail {
    struct span *seg;
    size_t n, cap;
};

static int tail_push(struct tail *t, uint32_t start, uint32_t end)
{
    if (start == end)
        return 0;
    return span_push(&t->seg, &t->n, &t->cap, start, end);
}

/* The offset of the last byte of the accumulated text's tail, or -1. */
static int64_t tail_top(const struct tail *t)
{
    return t->n ? (int64_t)t->seg[t->n - 1].end - 1 : -1;
}

static void tail_pop(struct tail *t)
{
    if (--t->seg[t->n - 1].end == t->seg[t->n - 1].start)
        t->n--;
}

/* Mark byte range [start, end) as removed (merged later). */
static int joins_add(struct joins *j, uint32_t start, uint32_t end)
{
    if (j->n && j->ranges[j->n - 1].end == start &&
        j->ranges[j->n - 1].start <= start) {
        j->ranges[j->n - 1].end = end; /* the common case: adjacent */
        return 0;
    }
    return span_push(&j->ranges, &j->n, &j->cap, start, end);
}

/* Ranges were added in line order, but a join can remove a byte before
 * an earlier range (a backslash kept from an earlier line), and a CR and
 * a backslash of one round are added top first: sort and merge at the
 * end. */
static int by_start(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

static void joins_normalise(struct joins *j)
{
    size_t i, n = 0;

    if (j->n < 2)
        return; /* nothing to sort (and qsort must not see NULL) */
    qsort(j->ranges, j->n, sizeof(*j->ranges), by_start);
    for (i = 0; i < j->n; i++) {
        if (n && j->ranges[n - 1].end >= j->ranges[i].start) {
            if (j->ranges[i].end > j->ranges[n - 1].end)
                j->ranges[n - 1].end = j->ranges[i].end;
        } else {
            j->ranges[n++] = j->ranges[i];
        }
    }
    j->n = n;
}

int joins_scan(struct joins *j, const char *data, size_t len)
{
    struct tail tail = {NULL, 0, 0};
    const unsigned char *d = (const unsigned char *)data;
    size_t pos = 0;
    bool joined = false;
    int rc = 0;

    memset(j, 0, sizeof(*j));
    while (pos < len && !rc) {
        const unsigned char *nl = memchr(d + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - d) : len, r = end;
        int64_t top;
        uint32_t cr = UINT32_MAX;

        /* append the line: its trailing backslashes and CRs extend the
         * tail only if nothing else is on it and the last line joined */
        while (r > pos && (d[r - 1] == '\\' || d[r - 1] == '\r'))
            r--;
        if (r > pos || !joined)
            tail.n = 0;
        rc = tail_push(&tail, (uint32_t)r, (uint32_t)end);
        /* one round: strip one CR, then a backslash joins the next line */
        top = tail_top(&tail);
        if (top >= 0 && d[top] == '\r') {
            cr = (uint32_t)top;
            tail_pop(&tail);
            top = tail_top(&tail);
        }
        joined = top >= 0 && d[top] == '\\';
        if (joined) {
            tail_pop(&tail);
            rc = joins_add(j, (uint32_t)top, (uint32_t)top + 1);
            if (!rc && cr != UINT32_MAX)
                rc = joins_add(j, cr, cr + 1);
            if (!rc)
                rc =
                    joins_add(j, (uint32_t)end, (uint32_t)(nl ? end + 1 : end));
            if (!nl)
                j->dangling = true; /* nothing left to join */
        }
        pos = nl ? end + 1 : len;
        if (joined && pos == len)
            j->dangling = true;
    }
    free(tail.seg);
    if (rc) {
        joins_release(j);
        return rc;
    }
    joins_normalise(j);
    return 0;
}

void joins_release(struct joins *j)
{
    free(j->ranges);
    memset(j, 0, sizeof(*j));
}
