/* SPDX-License-Identifier: MIT */
/** @file Script text inside the document formats: UTF-8 checked, XML
 *  escaping (JSON strings are jsonw.c's), and terminal escaping. */
#include "escape.h"

#include <stdint.h>
#include <string.h>

#include "buf.h"

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8: what a byte that is not text
 * becomes. */
#define REPLACEMENT "\xEF\xBF\xBD"

size_t escape_utf8_seq(const unsigned char *s, size_t len)
{
    size_t n, i;
    uint32_t cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* Whether the character of the @p n-byte sequence at @p s is one XML 1.0
 * allows (its Char production); control characters are checked apart. */
static int xml_allowed(const unsigned char *s, size_t n)
{
    /* U+FFFE and U+FFFF are EF BF BE and EF BF BF */
    return !(n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE);
}

int escape_xml(struct buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, n;
    int rc = 0;

    while (i < len && !rc) {
        unsigned char c = p[i];
        n = escape_utf8_seq(p + i, len - i);
        if (!n || !xml_allowed(p + i, n)) {
            rc = buf_adds(out, REPLACEMENT);
            n = n ? n : 1;
        } else if (c == '&') {
            rc = buf_adds(out, "&amp;");
        } else if (c == '<') {
            rc = buf_adds(out, "&lt;");
        } else if (c == '>') {
            rc = buf_adds(out, "&gt;");
        } else if (c == '"') {
            rc = buf_adds(out, "&quot;");
        } else if (c == '\'') {
            rc = buf_adds(out, "&apos;");
        } else if (c == '\t' || c == '\n' || c == '\r') {
            rc = buf_addf(out, "&#%u;", (unsigned)c);
        } else if (c < 0x20 || c == 0x7f) {
            /* not allowed in XML 1.0 (0x7f is, but no reader wants it) */
            rc = buf_adds(out, REPLACEMENT);
        } else {
            rc = buf_add(out, s + i, n);
        }
        i += n;
    }
    return rc;
}

/* Whether the @p n-byte UTF-8 sequence at @p s is a character a terminal
 * acts on or that reorders what it shows: C1 controls (U+0080..U+009F,
 * which some terminals read as ESC sequences) and the bidirectional
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069). */
static int term_special(const unsigned char *s, size_t n)
{
    if (n == 2)
        return s[0] == 0xC2 && s[1] <= 0x9F;
    if (n == 3 && s[0] == 0xE2 && s[1] == 0x80)
        return s[2] >= 0xAA && s[2] <= 0xAE;
    if (n == 3 && s[0] == 0xE2 && s[1] == 0x81)
        return s[2] >= 0xA6 && s[2] <= 0xA9;
    return 0;
}

int escape_term(struct buf *out, const char *s, size_t len, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n, k;
    int rc = 0;

    while (i < len && !rc) {
        unsigned char c = p[i];
        n = escape_utf8_seq(p + i, len - i);
        if ((c == '\n' || c == '\t') && (flags & ESCAPE_TERM_LINES)) {
            rc = buf_addch(out, (char)c);
        } else if (c == '\n') {
            rc = buf_adds(out, "\\n");
        } else if (c == '\r') {
            rc = buf_adds(out, "\\r");
        } else if (c == '\t') {
            rc = buf_adds(out, "\\t");
        } else if (!n || c < 0x20 || c == 0x7f || term_special(p + i, n)) {
            n = n ? n : 1;
            for (k = 0; k < n && !rc; k++)
                rc = buf_addf(out, "\\x%02x", (unsigned)p[i + k]);
        } else {
            rc = buf_add(out, s + i, n);
        }
        i += n;
    }
    return rc;
}
