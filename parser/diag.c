/* SPDX-License-Identifier: MIT */
/** @file Diagnostics: what the parser and the linter found. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
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
 * Control bytes become '?', as in lint_show() and the tty snippet. */
static char *diag_vformat(struct arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    int n, i;
    char *p;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
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

struct diag *diag_add(struct diag_list *d, enum diag_severity sev,
                      const char *code, const char *name, struct span span,
                      const char *fmt, ...)
{
    struct diag *dg;
    va_list ap;
    char *msg;

    if (diag_reserve(d))
        return NULL;
    va_start(ap, fmt);
    msg = diag_vformat(d->arena, fmt, ap);
    va_end(ap);
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
 * the order does not depend on which rule ran first; the merge is stable,
 * so one rule's findings at one place keep the order it gave them. */
static bool diag_before(const struct diag *a, const struct diag *b)
{
    if (a->span.start != b->span.start)
        return a->span.start < b->span.start;
    return a->code && b->code && strcmp(a->code, b->code) < 0;
}

/* Merge sort: stable, and findings arrive nearly sorted already. */
static void diag_merge(struct diag *a, struct diag *tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;

    if (n < 2)
        return;
    diag_merge(a, tmp, mid);
    diag_merge(a + mid, tmp, n - mid);
    while (i < mid && j < n) {
        if (diag_before(&a[j], &a[i]))
            tmp[k++] = a[j++];
        else
            tmp[k++] = a[i++];
    }
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof(*a));
}

void diag_sort(struct diag_list *d)
{
    struct diag *tmp;

    if (d->len < 2)
        return;
    tmp = malloc(d->len * sizeof(*tmp));
    if (!tmp)
        return; /* unsorted output beats no output */
    diag_merge(d->items, tmp, d->len);
    free(tmp);
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
