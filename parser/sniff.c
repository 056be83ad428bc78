/* SPDX-License-Identifier: MIT */
/** @file What a source is written in, judged from its bytes. */
#include "sniff.h"

#include <stdint.h>
#include <string.h>

/* The first @p n bytes @p s in [p, end), or NULL. */
static const char *find(const char *p, const char *end, const char *s, size_t n)
{
    while (p && (size_t)(end - p) >= n) {
        p = memchr(p, s[0], (size_t)(end - p) - (n - 1));
        if (!p || memcmp(p, s, n) == 0)
            return p;
        p++;
    }
    return NULL;
}

static struct span span_of(const char *data, const char *p, const char *end)
{
    struct span at;

    at.start = (uint32_t)(p - data);
    at.end = (uint32_t)(end - data);
    return at;
}

/* The tags that tell a template: an opener and its closer. */
static const struct {
    const char *open, *close;
} tags[] = {
    {"{{", "}}"},
    {"{%", "%}"},
    {"<%=", "%>"},
};

/* The first tag of kind @p k in [data, end) that is closed on its own
 * line: its opener, with *tag_end after its closer; or NULL.  A line whose
 * first opener of the kind is not closed after it has no tag of the kind
 * (a later opener's closer would be after the first too), so the scan
 * goes on from the next line and each byte is looked at a few times at
 * most. */
static const char *first_tag(const char *data, const char *end, size_t k,
                             const char **tag_end)
{
    size_t n = strlen(tags[k].open);
    const char *p = data;

    while (p < end) {
        const char *o = find(p, end, tags[k].open, n), *eol, *c;
        if (!o)
            return NULL;
        eol = memchr(o + n, '\n', (size_t)(end - (o + n)));
        if (!eol)
            eol = end;
        c = find(o + n, eol, tags[k].close, 2);
        if (c) {
            *tag_end = c + 2;
            return o;
        }
        p = eol + 1;
    }
    return NULL;
}

/* The first tag is the first line's that has one, the earliest of its
 * kinds there: the earliest of each kind's first tag in the whole text. */
bool sniff_tags(const char *data, size_t len, struct span *at)
{
    const char *end = data + len, *best = NULL, *best_end = NULL;
    size_t k;

    for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
        const char *tag_end;
        const char *tag = first_tag(data, end, k, &tag_end);
        if (tag && (!best || tag < best)) {
            best = tag;
            best_end = tag_end;
        }
    }
    if (best)
        *at = span_of(data, best, best_end);
    return best != NULL;
}

/* The length of the word @p w if [p, eol) starts with it, followed by a
 * blank or the end of the line; else 0. */
static size_t starts_word(const char *p, const char *eol, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(eol - p) < n || memcmp(p, w, n) != 0)
        return 0;
    if (p + n == eol || p[n] == ' ' || p[n] == '\t' || p[n] == '\r')
        return n;
    return 0;
}

static bool is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* The Cheetah directive a line starts with, its length, or 0. */
static size_t line_cheetah(const char *p, const char *eol)
{
    /* a block's end: `#end if`, `#end for`... */
    static const char *const blocks[] = {
        "if",  "for",    "while", "def",  "block",   "unless",
        "raw", "filter", "try",   "call", "capture",
    };
    /* directives that name a `$variable` right after them */
    static const char *const on_var[] = {
        "#if", "#elif", "#for", "#while", "#unless", "#set", "#silent",
    };
    const char *q;
    size_t i, n;

    if (p == eol || *p != '#')
        return 0; /* every directive starts with '#': most lines, quickly */
    n = starts_word(p, eol, "#end");
    if (n) {
        for (q = p + n; q < eol && (*q == ' ' || *q == '\t'); q++)
            ;
        for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
            size_t m = starts_word(q, eol, blocks[i]);
            if (m)
                return (size_t)(q + m - p);
        }
        return 0;
    }
    for (i = 0; i < sizeof(on_var) / sizeof(on_var[0]); i++) {
        n = starts_word(p, eol, on_var[i]);
        if (!n)
            continue;
        for (q = p + n; q < eol && (*q == ' ' || *q == '\t'); q++)
            ;
        if (eol - q >= 2 && q[0] == '$' && is_ident_start(q[1]))
            return n;
    }
    return 0;
}

bool sniff_cheetah(const char *data, size_t len, struct span *at)
{
    const char *p = data, *end = data + len;
    /* the first call in the whole text: no line before its own has one */
    const char *call = find(data, end, "$getVar(", 8);

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n;
        if (!eol)
            eol = end;
        while (p < eol && (*p == ' ' || *p == '\t'))
            p++;
        n = line_cheetah(p, eol);
        if (n) {
            *at = span_of(data, p, p + n);
            return true;
        }
        if (call && call < eol) {
            *at = span_of(data, call, call + 7);
            return true;
        }
        p = eol + 1;
    }
    return false;
}
