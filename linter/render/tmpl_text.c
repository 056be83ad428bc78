/* SPDX-License-Identifier: MIT */
/** @file UTF-8 and Python's text rules for the template engine.
 *
 * The helpers every phase shares: decoding and counting UTF-8, Python's
 * whitespace (str.strip() and friends), and the one way a growable
 * array grows.
 */
#include "tmpl_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence starting with byte @p c (1 for a bad
 * lead byte: the source was checked to be valid UTF-8 before). */
size_t tmpl_utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

/* Decode the code point at @p s (valid UTF-8, n bytes available). */
uint32_t tmpl_utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
    size_t l = tmpl_utf8_len(s[0]);
    uint32_t cp;
    size_t i;

    if (l > n)
        l = 1;
    *len = l;
    if (l == 1)
        return s[0];
    cp = s[0] & (0x7Fu >> l);
    for (i = 1; i < l; i++)
        cp = (cp << 6) | (s[i] & 0x3Fu);
    return cp;
}

/* Offset of the first byte that is not valid UTF-8, or @p n. */
size_t tmpl_utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        size_t l, k;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        l = tmpl_utf8_len(c);
        if (l == 1 || i + l > n)
            return i;
        for (k = 1; k < l; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        }
        cp = tmpl_utf8_decode(s + i, l, &k);
        if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) ||
            (l == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += l;
    }
    return n;
}

/* Append code point @p cp as UTF-8. */
int tmpl_buf_add_cp(struct buf *b, uint32_t cp)
{
    char t[4];

    return buf_add(b, t, utf8_encode(cp, t));
}

/* Whether code point @p cp is whitespace to Python (str.isspace, and the
 * `\s` of a str regex: both use Py_UNICODE_ISSPACE). */
static bool py_isspace(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) ||
           cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Bytes of Python whitespace at the start of [s, s + n). */
size_t tmpl_py_space_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, l;

    while (i < n) {
        uint32_t cp = tmpl_utf8_decode(p + i, n - i, &l);
        if (!py_isspace(cp))
            break;
        i += l;
    }
    return i;
}

/* Length of [s, s + n) once trailing Python whitespace is removed. */
size_t tmpl_py_rstrip_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;

    while (n > 0) {
        size_t start = n - 1, l;
        uint32_t cp;

        while (start > 0 && (p[start] & 0xC0) == 0x80)
            start--;
        cp = tmpl_utf8_decode(p + start, n - start, &l);
        if (!py_isspace(cp))
            break;
        n = start;
    }
    return n;
}

/* The length of [s, s + n) without the partial character it may end
 * with: where to cut UTF-8 text that is n bytes too long. */
size_t tmpl_utf8_cut(const char *s, size_t n)
{
    size_t start = n;

    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && start - 1 + tmpl_utf8_len((unsigned char)s[start - 1]) > n)
        return start - 1;
    return n;
}

/* Code points in [s, s + n) (valid UTF-8). */
size_t tmpl_utf8_count(const char *s, size_t n)
{
    size_t i, count = 0;

    for (i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    }
    return count;
}

/* Byte offset of code point @p idx in [s, s + n), or n. */
size_t tmpl_utf8_offset(const char *s, size_t n, size_t idx)
{
    size_t i = 0;

    while (i < n && idx > 0) {
        i += tmpl_utf8_len((unsigned char)s[i]);
        idx--;
    }
    return i < n ? i : n;
}

/* Room for entry @p n of the malloc'd array @p v of @p *cap entries of
 * @p size bytes, doubling from @p first: the array (moved, maybe), or
 * NULL with @p v left as it was when memory runs out.  Every growable
 * array here (tokens, operands, tags, blocks, names, output marks) goes
 * through this. */
void *tmpl_array_room(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
    size_t ncap;

    if (n < *cap)
        return v;
    ncap = *cap ? *cap * 2 : first;
    v = realloc(v, ncap * size);
    if (v)
        *cap = ncap;
    return v;
}

/* Whether [s, s + len) is one of the NULL-ended @p list. */
bool tmpl_in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++) {
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    }
    return false;
}
