/* SPDX-License-Identifier: MIT */
/** @file A JSON writer (see jsonw.h). */
#include "jsonw.h"

#include <errno.h>
#include <string.h>

#include "buf.h"
#include "escape.h"

void jsonw_init(struct jsonw *w, struct buf *out, unsigned depth)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->depth = depth <= JSONW_MAX_DEPTH ? depth : JSONW_MAX_DEPTH;
}

static void add(struct jsonw *w, const char *s, size_t len)
{
    if (!w->rc)
        w->rc = buf_add(w->out, s, len);
}

static void adds(struct jsonw *w, const char *s)
{
    add(w, s, strlen(s));
}

/* A new line indented to the current depth. */
static void newline(struct jsonw *w)
{
    static const char spaces[] = "                                ";
    size_t n = 2 * (size_t)w->depth;

    if (w->compact)
        return;
    add(w, "\n", 1);
    while (n && !w->rc) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        add(w, spaces, k);
        n -= k;
    }
}

/* A quoted JSON string of @p len bytes at @p s. */
static void quote(struct jsonw *w, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, n;
    char esc[8];

    add(w, "\"", 1);
    while (i < len && !w->rc) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            add(w, esc, 2);
            i++;
        } else if (c < 0x20) {
            static const char short_esc[] = "\b\f\n\r\t";
            static const char short_name[] = "bfnrt";
            const char *k = c ? strchr(short_esc, c) : NULL;
            static const char hex[] = "0123456789ABCDEF";
            if (k) {
                esc[0] = '\\';
                esc[1] = short_name[k - short_esc];
                add(w, esc, 2);
            } else {
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                add(w, esc, 6);
            }
            i++;
        } else if ((n = escape_utf8_seq(p + i, len - i)) != 0) {
            add(w, s + i, n);
            i += n;
        } else {
            adds(w, "\xEF\xBF\xBD"); /* U+FFFD for a stray byte */
            i++;
        }
    }
    add(w, "\"", 1);
}

/* What comes before a member: the comma, the line, the key. */
static void member(struct jsonw *w, const char *key)
{
    if (w->depth == 0)
        return; /* the document itself */
    if (w->nonempty[w->depth])
        add(w, ",", 1);
    w->nonempty[w->depth] = true;
    newline(w);
    if (key) {
        quote(w, key, strlen(key));
        add(w, ": ", w->compact ? 1 : 2);
    }
}

static void open(struct jsonw *w, const char *key, char c, char close)
{
    member(w, key);
    if (w->depth >= JSONW_MAX_DEPTH) {
        if (!w->rc)
            w->rc = -E2BIG;
        return;
    }
    add(w, &c, 1);
    w->depth++;
    w->nonempty[w->depth] = false;
    w->close[w->depth] = close;
}

void jsonw_object(struct jsonw *w, const char *key)
{
    open(w, key, '{', '}');
}

void jsonw_array(struct jsonw *w, const char *key)
{
    open(w, key, '[', ']');
}

void jsonw_end(struct jsonw *w)
{
    char c;

    if (w->depth == 0 || w->rc)
        return;
    c = w->close[w->depth];
    w->depth--;
    if (w->nonempty[w->depth + 1])
        newline(w);
    add(w, &c, 1);
}

void jsonw_stringn(struct jsonw *w, const char *key, const char *s, size_t len)
{
    member(w, key);
    quote(w, s, len);
}

void jsonw_string(struct jsonw *w, const char *key, const char *s)
{
    jsonw_stringn(w, key, s, strlen(s));
}

void jsonw_int(struct jsonw *w, const char *key, long long v)
{
    member(w, key);
    if (!w->rc)
        w->rc = buf_addf(w->out, "%lld", v);
}

void jsonw_null(struct jsonw *w, const char *key)
{
    member(w, key);
    adds(w, "null");
}

void jsonw_bool(struct jsonw *w, const char *key, bool v)
{
    member(w, key);
    adds(w, v ? "true" : "false");
}

void jsonw_splice(struct jsonw *w, const char *text, size_t len, size_t n)
{
    if (!n)
        return;
    if (w->nonempty[w->depth])
        add(w, ",", 1);
    w->nonempty[w->depth] = true;
    add(w, text, len);
}

int jsonw_status(const struct jsonw *w)
{
    return w->rc;
}
