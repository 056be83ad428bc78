/* SPDX-License-Identifier: MIT */
/** @file A unified diff of two texts (E. Myers, "An O(ND) Difference
 *  Algorithm and Its Variations", 1986). */
#include "diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define CONTEXT 3
/* Past this many differences the trace would be large: the diff then
 * shows the whole old text replaced by the whole new one. */
#define MAX_D 4000

/** One line: a pointer into the text and its length with the newline. */
struct line {
    const char *s; /**< start */
    size_t len;    /**< bytes, newline included when present */
};

/** Edit operations, in order. */
enum op { OP_EQ, OP_DEL, OP_INS };

static int split(const char *t, size_t len, struct line **out, size_t *n)
{
    size_t i, count = 0, start = 0;
    struct line *v;

    for (i = 0; i < len; i++)
        if (t[i] == '\n')
            count++;
    if (len && t[len - 1] != '\n')
        count++;
    v = calloc(count ? count : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    count = 0;
    for (i = 0; i < len; i++) {
        if (t[i] == '\n' || i == len - 1) {
            v[count].s = t + start;
            v[count].len = i + 1 - start;
            count++;
            start = i + 1;
        }
    }
    *out = v;
    *n = count;
    return 0;
}

static bool same(const struct line *x, const struct line *y)
{
    return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* The shortest edit script, as an op per line of the result walk.
 * Returns -E2BIG when it would need more than MAX_D edits. */
static int myers(const struct line *a, long n, const struct line *b, long m,
                 enum op **ops, size_t *nops)
{
    long max = n + m, d, k, x, y, found = -1;
    long *v, **trace;
    enum op *out;
    size_t pos;
    int rc = 0;

    v = calloc((size_t)(2 * max + 3), sizeof(*v));
    trace = calloc((size_t)(MAX_D + 1), sizeof(*trace));
    out = calloc((size_t)(max + 1), sizeof(*out));
    if (!v || !trace || !out) {
        rc = -ENOMEM;
        goto out;
    }
    for (d = 0; d <= max && d <= MAX_D && found < 0; d++) {
        /* Keep V as it was before this round, for the walk back. */
        trace[d] = malloc((size_t)(2 * d + 3) * sizeof(long));
        if (!trace[d]) {
            rc = -ENOMEM;
            goto out;
        }
        for (k = -d - 1; k <= d + 1; k++)
            trace[d][k + d + 1] = v[k + max + 1];
        for (k = -d; k <= d; k += 2) {
            if (k == -d || (k != d && v[k - 1 + max + 1] < v[k + 1 + max + 1]))
                x = v[k + 1 + max + 1];
            else
                x = v[k - 1 + max + 1] + 1;
            y = x - k;
            while (x < n && y < m && same(&a[x], &b[y])) {
                x++;
                y++;
            }
            v[k + max + 1] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0) {
        rc = -E2BIG;
        goto out;
    }

    /* Walk back from (n, m), writing ops from the end. */
    pos = (size_t)max + 1;
    x = n;
    y = m;
    for (d = found; d > 0; d--) {
        long *tv = trace[d], pk, px, py;
        k = x - y;
        if (k == -d || (k != d && tv[k - 1 + d + 1] < tv[k + 1 + d + 1]))
            pk = k + 1;
        else
            pk = k - 1;
        px = tv[pk + d + 1];
        py = px - pk;
        while (x > px && y > py) {
            out[--pos] = OP_EQ;
            x--;
            y--;
        }
        out[--pos] = pk == k + 1 ? OP_INS : OP_DEL;
        x = px;
        y = py;
    }
    while (x > 0 && y > 0) {
        out[--pos] = OP_EQ;
        x--;
        y--;
    }
    memmove(out, out + pos, ((size_t)max + 1 - pos) * sizeof(*out));
    *nops = (size_t)max + 1 - pos;
    *ops = out;
    out = NULL;
out:
    if (trace)
        for (d = 0; d <= MAX_D && trace[d]; d++)
            free(trace[d]);
    free(trace);
    free(v);
    free(out);
    return rc;
}

static int emit_line(struct buf *out, char mark, const struct line *l)
{
    int rc = buf_addch(out, mark);

    if (!rc)
        rc = buf_add(out, l->s, l->len);
    if (!rc && (!l->len || l->s[l->len - 1] != '\n'))
        rc = buf_adds(out, "\n\\ No newline at end of file\n");
    return rc;
}

static int range(struct buf *out, char mark, size_t start, size_t len)
{
    /* diff(1): an empty range names the line before it. */
    if (len == 1)
        return buf_addf(out, " %c%zu", mark, start + 1);
    return buf_addf(out, " %c%zu,%zu", mark, len ? start + 1 : start, len);
}

int diff_unified(const char *a, size_t alen, const char *b, size_t blen,
                 const char *a_name, const char *b_name, struct buf *out)
{
    struct line *la = NULL, *lb = NULL;
    size_t na, nb, nops = 0, i, j, h0, h1, ai, bi, ha, hb, ca, cb;
    enum op *ops = NULL;
    int rc;

    if (alen == blen && memcmp(a, b, alen) == 0)
        return 0;
    rc = split(a, alen, &la, &na);
    if (!rc)
        rc = split(b, blen, &lb, &nb);
    if (rc)
        goto out;
    rc = myers(la, (long)na, lb, (long)nb, &ops, &nops);
    if (rc == -E2BIG) {
        /* Too different to be worth aligning: replace everything. */
        nops = na + nb;
        ops = calloc(nops ? nops : 1, sizeof(*ops));
        if (!ops) {
            rc = -ENOMEM;
            goto out;
        }
        for (i = 0; i < nops; i++)
            ops[i] = i < na ? OP_DEL : OP_INS;
        rc = 0;
    }
    if (rc)
        goto out;

    rc = buf_addf(out, "--- %s\n+++ %s\n", a_name, b_name);
    ai = bi = 0; /* line numbers at ops[i] */
    for (i = 0; i < nops && !rc;) {
        if (ops[i] == OP_EQ) {
            i++;
            ai++;
            bi++;
            continue;
        }
        /* A hunk: back up CONTEXT lines, then run until CONTEXT * 2 + 1
         * equal lines in a row (or the end) close it. */
        h0 = i >= CONTEXT ? i - CONTEXT : 0;
        ha = ai - (i - h0);
        hb = bi - (i - h0);
        for (j = i, h1 = i; j < nops; j++) {
            if (ops[j] != OP_EQ)
                h1 = j + 1;
            else if (j - h1 >= 2 * CONTEXT)
                break;
        }
        h1 = h1 + CONTEXT < nops ? h1 + CONTEXT : nops;
        for (j = h0, ca = cb = 0; j < h1; j++) {
            ca += ops[j] != OP_INS;
            cb += ops[j] != OP_DEL;
        }
        rc = buf_adds(out, "@@");
        if (!rc)
            rc = range(out, '-', ha, ca);
        if (!rc)
            rc = range(out, '+', hb, cb);
        if (!rc)
            rc = buf_adds(out, " @@\n");
        ai = ha;
        bi = hb;
        for (j = h0; j < h1 && !rc; j++) {
            if (ops[j] == OP_EQ) {
                rc = emit_line(out, ' ', &la[ai++]);
                bi++;
            } else if (ops[j] == OP_DEL)
                rc = emit_line(out, '-', &la[ai++]);
            else
                rc = emit_line(out, '+', &lb[bi++]);
        }
        i = h1;
    }
out:
    free(ops);
    free(la);
    free(lb);
    return rc;
}
