/* SPDX-License-Identifier: MIT */
/** @file Positions: byte offsets to LSP positions (UTF-16 code units by
 *  default, UTF-8 bytes when the client offers it) and back. */
#include <errno.h>
#include <stdlib.h>

#include "lsp_int.h"
#include "source.h"

/* ---- positions ---- */

int lsp_doc_lines(struct lsp_doc *doc)
{
    size_t n;
    uint32_t *v = source_line_starts(doc->text.data, doc->text.len, &n);

    if (!v)
        return -ENOMEM;
    free(doc->lines);
    doc->lines = v;
    doc->nlines = n;
    return 0;
}

size_t lsp_line_of(const struct lsp_doc *doc, uint32_t off)
{
    return source_line_find(doc->lines, doc->nlines, off);
}

/* The bytes of one UTF-8 character at @p p (1 for a stray byte) and the
 * UTF-16 units it takes (2 above U+FFFF). */
static size_t char_at(const char *p, const char *end, unsigned *units)
{
    unsigned char c = (unsigned char)*p;
    size_t n = 1;

    *units = 1;
    if (c >= 0xF0 && c < 0xF5)
        n = 4;
    else if (c >= 0xE0 && c < 0xF0)
        n = 3;
    else if (c >= 0xC2 && c < 0xE0)
        n = 2;
    if (n > (size_t)(end - p))
        return 1;
    for (size_t k = 1; k < n; k++)
        if (!utf8_continues(p[k]))
            return 1;
    if (n == 4)
        *units = 2;
    return n;
}

uint32_t lsp_units(const struct lsp_server *s, const char *text, uint32_t start,
                   uint32_t end)
{
    const char *p = text + start, *e = text + end;
    uint32_t u = 0;

    if (s->utf8 || end <= start)
        return end > start ? end - start : 0;
    while (p < e) {
        unsigned k;
        p += char_at(p, e, &k);
        u += k;
    }
    return u;
}

/* Where line @p line's text ends (before "\n" or "\r\n"). */
static uint32_t line_end(const struct lsp_doc *doc, size_t line)
{
    uint32_t end = line + 1 < doc->nlines ? doc->lines[line + 1] - 1
                                          : (uint32_t)doc->text.len;

    if (line + 1 < doc->nlines && end > doc->lines[line] &&
        doc->text.data[end - 1] == '\r')
        end--;
    return end;
}

uint32_t lsp_offset(const struct lsp_server *s, const struct lsp_doc *doc,
                    long long line, long long character)
{
    uint32_t start, end;
    const char *p, *e;
    long long u = 0;

    if (line < 0)
        return 0;
    if ((unsigned long long)line >= doc->nlines)
        return (uint32_t)doc->text.len;
    start = doc->lines[line];
    end = line_end(doc, (size_t)line);
    if (character <= 0)
        return start;
    if (s->utf8)
        return (unsigned long long)character >= end - start
                   ? end
                   : start + (uint32_t)character;
    p = doc->text.data + start;
    e = doc->text.data + end;
    while (p < e && u < character) {
        unsigned k;
        p += char_at(p, e, &k);
        u += k;
    }
    return (uint32_t)(p - doc->text.data);
}

void lsp_write_position(struct jsonw *w, const struct lsp_server *s,
                        const struct lsp_doc *doc, const char *key,
                        uint32_t off)
{
    size_t line;

    if (off > doc->text.len)
        off = (uint32_t)doc->text.len;
    line = lsp_line_of(doc, off);
    jsonw_object(w, key);
    jsonw_int(w, "line", (long long)line);
    jsonw_int(w, "character",
              lsp_units(s, doc->text.data, doc->lines[line], off));
    jsonw_end(w);
}

void lsp_write_range(struct jsonw *w, const struct lsp_server *s,
                     const struct lsp_doc *doc, const char *key, uint32_t start,
                     uint32_t end)
{
    jsonw_object(w, key);
    lsp_write_position(w, s, doc, "start", start);
    lsp_write_position(w, s, doc, "end", end < start ? start : end);
    jsonw_end(w);
}
