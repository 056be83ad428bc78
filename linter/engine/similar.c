/* SPDX-License-Identifier: MIT */
/** @file How alike two names are, for "did you mean" in findings and in
 *  messages about what people type. */
#include "engine.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

unsigned lint_distance(const char *a, size_t alen, const char *b, size_t blen,
                       unsigned max)
{
    /* Levenshtein over two rows; names are short, longer ones are cut. */
    unsigned row[65], prev_diag, tmp;
    size_t i, j;

    if (alen > 64 || blen > 64)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    for (j = 0; j <= blen; j++)
        row[j] = (unsigned)j;
    for (i = 1; i <= alen; i++) {
        unsigned best;
        prev_diag = row[0];
        row[0] = (unsigned)i;
        best = row[0];
        for (j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = prev_diag + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            tmp = row[j];
            row[j] = v;
            prev_diag = tmp;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
    }
    return row[blen] > max ? max + 1 : row[blen];
}

unsigned lint_closeness(const char *word, size_t len, const char *cand)
{
    size_t clen = strlen(cand), i;
    unsigned max = len <= 3 ? 1 : 2, dist;
    char a[64], b[64];

    if (len == 0 || len > sizeof(a) || clen > sizeof(b))
        return UINT_MAX;
    for (i = 0; i < len; i++)
        a[i] = (char)tolower((unsigned char)word[i]);
    for (i = 0; i < clen; i++)
        b[i] = (char)tolower((unsigned char)cand[i]);
    /* a word cut short ("warn" for "warning") counts as a near miss */
    if (len >= 3 && len < clen && memcmp(a, b, len) == 0)
        return max;
    dist = lint_distance(a, len, b, clen, max);
    return dist <= max ? dist : UINT_MAX;
}

const char *lint_closest(const char *word, size_t len, const char *const *cands)
{
    const char *best = NULL;
    unsigned best_dist = UINT_MAX;

    for (; *cands; cands++) {
        unsigned dist = lint_closeness(word, len, *cands);
        if (dist < best_dist) {
            best = *cands;
            best_dist = dist;
        }
    }
    return best;
}
