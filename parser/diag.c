/* SPDX-License-Identifier: MIT */
/** @file Diagnostics: what the parser and the linter found. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

void diag_list_init(struct diag_list *d, struct arena *a)
{
    d->items = NULL;
    d->len = 0;
    d->cap = 0;
    d->arena = a;
}

void diag_list_release(struct diag_list *d)
{
    free(d->items);
    diag_list_init(d, d->arena);
}

static char *diag_vformat(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* A message or hint: one line of printable text whatever user text it
 * quotes, so a label or word holding ESC, CR or another control byte can
 * neither drive the terminal nor break the one-line formats (gcc, tty).
 * Control bytes become '?', as in lint_show() and the tty snippet.  Most
 * messages fit the stack buffer: then the text is formatted once and
 * copied, not measured first and formatted again (a file with hundreds of
 * thousands of findings spent a fifth of its time in vsnprintf). */
static char *diag_vformat(struct arena *a, const char *fmt, va_list ap)
{
    char first[256];
    va_list copy;
    int n, i;
    char *p;

    va_copy(copy, ap);
    n = vsnprintf(first, sizeof(first), fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    if ((size_t)n < sizeof(first))
        memcpy(p, first, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    for (i = 0; i < n; i++) {
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            p[i] = '?';
    }
    return p;
}

/* Room for one more finding.  0 or -ENOMEM. */
static int diag_reserve(struct diag_list *d)
{
    size_t cap;
    struct diag *items;

    if (d->len < d->cap)
        return 0;
    cap = d->cap ? d->cap * 2 : 16;
    items = realloc(d->items, cap * sizeof(*items));
    if (!items)
        return -ENOMEM;
    d->items = items;
    d->cap = cap;
    return 0;
}

int diag_append(struct diag_list *d, const struct diag *dg)
{
    if (diag_reserve(d))
        return -ENOMEM;
    d->items[d->len++] = *dg;
    return 0;
}

struct diag *diag_vadd(struct diag_list *d, enum diag_severity sev,
                       const char *code, const char *name, struct span span,
                       const char *fmt, va_list ap)
{
    struct diag *dg;
    char *msg;

    if (diag_reserve(d))
        return NULL;
    msg = diag_vformat(d->arena, fmt, ap);
    if (!msg)
        return NULL;
    dg = &d->items[d->len++];
    memset(dg, 0, sizeof(*dg));
    dg->sev = sev;
    dg->code = code;
    dg->name = name;
    dg->span = span;
    dg->msg = msg;
    return dg;
}

struct diag *diag_add(struct diag_list *d, enum diag_severity sev,
                      const char *code, const char *name, struct span span,
                      const char *fmt, ...)
{
    struct diag *dg;
    va_list ap;

    va_start(ap, fmt);
    dg = diag_vadd(d, sev, code, name, span, fmt, ap);
    va_end(ap);
    return dg;
}

void diag_hint(struct diag_list *d, struct diag *dg, const char *fmt, ...)
{
    va_list ap;

    if (!dg)
        return;
    va_start(ap, fmt);
    dg->hint = diag_vformat(d->arena, fmt, ap);
    va_end(ap);
}

int diag_fix(struct diag_list *d, struct diag *dg, struct span span,
             const char *text)
{
    struct diag_fix *fixes;

    if (!dg)
        return -EINVAL;
    fixes = arena_alloc(d->arena, (dg->nfixes + 1) * sizeof(*fixes));
    if (!fixes)
        return -ENOMEM;
    if (dg->nfixes)
        memcpy(fixes, dg->fixes, dg->nfixes * sizeof(*fixes));
    fixes[dg->nfixes].span = span;
    fixes[dg->nfixes].text = arena_strndup(d->arena, text, strlen(text));
    if (!fixes[dg->nfixes].text)
        return -ENOMEM;
    dg->fixes = fixes;
    dg->nfixes++;
    return 0;
}

/* Findings in the order they are shown: by position, then by code, so
 * the order does not depend on which rule ran first; the sort is stable,
 * so one rule's findings at one place keep the order it gave them. */
static bool diag_before(const struct diag *a, const struct diag *b)
{
    if (a->span.start != b->span.start)
        return a->span.start < b->span.start;
    return a->code && b->code && a->code != b->code &&
           strcmp(a->code, b->code) < 0;
}

/* The end of the sorted run of @p items (through @p idx) from @p i. */
static size_t diag_run_end(const struct diag *items, const uint32_t *idx,
                           size_t i, size_t n)
{
    for (i++; i < n; i++) {
        if (diag_before(&items[idx[i]], &items[idx[i - 1]]))
            break;
    }
    return i;
}

/* Put @p items in the order @p idx gives (idx[k]: the finding that goes
 * to place k), following each cycle of the permutation; @p idx is left
 * as the identity. */
static void diag_permute(struct diag *items, uint32_t *idx, size_t n)
{
    size_t i, j, k;

    for (i = 0; i < n; i++) {
        struct diag save;
        if (idx[i] == i)
            continue;
        save = items[i];
        for (j = i; idx[j] != i; j = k) {
            k = idx[j];
            items[j] = items[k];
            idx[j] = (uint32_t)j;
        }
        items[j] = save;
        idx[j] = (uint32_t)j;
    }
}

/*
 * A natural merge sort of positions, then one pass that moves each finding
 * once.  Findings arrive in a few sorted runs (line by line, then each
 * whole-script rule in file order), so a few passes merge them, and the
 * scratch space is two positions per finding, not a copy of the list (a
 * file with hundreds of thousands of findings held tens of MB more).
 */
void diag_sort(struct diag_list *d)
{
    const struct diag *items = d->items;
    size_t n = d->len, i, runs;
    uint32_t *idx, *tmp, *swap;

    if (n < 2 || n > UINT32_MAX)
        return;
    for (i = 1; i < n && !diag_before(&items[i], &items[i - 1]); i++)
        ;
    if (i == n)
        return; /* sorted already */
    idx = malloc(n * sizeof(*idx));
    tmp = malloc(n * sizeof(*tmp));
    if (!idx || !tmp) {
        free(idx);
        free(tmp);
        return; /* unsorted output beats no output */
    }
    for (i = 0; i < n; i++)
        idx[i] = (uint32_t)i;
    do {
        runs = 0;
        for (i = 0; i < n;) {
            size_t a = i, m = diag_run_end(items, idx, i, n), e, j, k;
            runs++;
            if (m == n) {
                memcpy(tmp + a, idx + a, (n - a) * sizeof(*idx));
                i = n;
                break;
            }
            e = diag_run_end(items, idx, m, n);
            for (j = a, k = m; j < m && k < e;) {
                if (diag_before(&items[idx[k]], &items[idx[j]]))
                    tmp[i++] = idx[k++];
                else
                    tmp[i++] = idx[j++];
            }
            while (j < m)
                tmp[i++] = idx[j++];
            while (k < e)
                tmp[i++] = idx[k++];
        }
        swap = idx;
        idx = tmp;
        tmp = swap;
    } while (runs > 1);
    free(tmp);
    diag_permute(d->items, idx, n);
    free(idx);
}

static const char *const severity_names[] = {
    [DIAG_ERROR] = "error",
    [DIAG_WARNING] = "warning",
    [DIAG_INFO] = "info",
    [DIAG_STYLE] = "style",
};

const char *diag_severity_name(enum diag_severity sev)
{
    return severity_names[sev];
}

int diag_severity_parse(const char *s, enum diag_severity *out)
{
    size_t i;

    for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]); i++) {
        if (strcmp(s, severity_names[i]) == 0) {
            *out = (enum diag_severity)i;
            return 0;
        }
    }
    return -EINVAL;
}
