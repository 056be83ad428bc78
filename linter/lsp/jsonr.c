/* SPDX-License-Identifier: MIT */
/** @file A small JSON reader (see jsonr.h). */
#include "jsonr.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ascii.h"
#include "buf.h"
#include "escape.h"
#include "source.h"

struct reader {
    const char *p, *end;
    struct arena *a;
    const char *err;
    struct buf scratch; /**< a string being decoded */
};

static struct jsonr *value(struct reader *r, unsigned depth);

static void skip_ws(struct reader *r)
{
    while (r->p < r->end &&
           (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static struct jsonr *fail(struct reader *r, const char *why)
{
    if (!r->err)
        r->err = why;
    return NULL;
}

/* The four hexadecimal digits of a \u escape at @p p into @p out; -1 if
 * one is not a digit. */
static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int d = ascii_hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

static int put_utf8(struct buf *b, unsigned cp)
{
    char u[4];

    return buf_add(b, u, utf8_encode(cp, u));
}

/* A string after its opening quote, decoded into r->scratch; the copy
 * lives in the arena. */
static const char *string(struct reader *r, size_t *len)
{
    buf_truncate(&r->scratch, 0);
    while (r->p < r->end) {
        const unsigned char c = (unsigned char)*r->p;
        size_t n;
        if (c == '"') {
            r->p++;
            *len = r->scratch.len;
            return arena_strndup(r->a, r->scratch.data, r->scratch.len);
        }
        if (c < 0x20) {
            fail(r, "a control character inside a string");
            return NULL;
        }
        if (c == '\\') {
            unsigned cp, lo;
            int rc = 0, e;
            if (r->end - r->p < 2)
                break;
            e = ascii_json_escape((unsigned char)r->p[1]);
            if (e >= 0) {
                rc = buf_addch(&r->scratch, (char)e);
            } else if (r->p[1] == 'u') {
                if (r->end - r->p < 6 || hex4(r->p + 2, &cp)) {
                    fail(r, "a bad \\u escape");
                    return NULL;
                }
                r->p += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail(r, "a lone low surrogate");
                    return NULL;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (r->end - r->p < 8 || r->p[2] != '\\' ||
                        r->p[3] != 'u' || hex4(r->p + 4, &lo) || lo < 0xDC00 ||
                        lo > 0xDFFF) {
                        fail(r, "a lone high surrogate");
                        return NULL;
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    r->p += 6;
                }
                rc = put_utf8(&r->scratch, cp);
            } else {
                fail(r, "an unknown escape");
                return NULL;
            }
            if (rc) {
                fail(r, "out of memory");
                return NULL;
            }
            r->p += 2;
            continue;
        }
        n = escape_utf8_seq((const unsigned char *)r->p,
                            (size_t)(r->end - r->p));
        if (!n) {
            fail(r, "a string that is not UTF-8");
            return NULL;
        }
        if (buf_add(&r->scratch, r->p, n)) {
            fail(r, "out of memory");
            return NULL;
        }
        r->p += n;
    }
    fail(r, "an unterminated string");
    return NULL;
}

static struct jsonr *number(struct reader *r, struct jsonr *v)
{
    const char *s = r->p;
    char tmp[64];
    size_t n;
    bool frac = false;

    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9')
        return fail(r, "a bad number");
    if (*r->p == '0')
        r->p++;
    else
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    if (r->p < r->end && *r->p == '.') {
        frac = true;
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            return fail(r, "a bad number");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        frac = true;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9')
            return fail(r, "a bad number");
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    n = (size_t)(r->p - s);
    if (n >= sizeof(tmp))
        n = sizeof(tmp) - 1; /* precision past 63 digits is lost */
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    v->type = JSONR_NUMBER;
    v->num = strtod(tmp, NULL);
    if (!frac) {
        char *e;
        errno = 0;
        v->ival = strtoll(tmp, &e, 10);
        v->is_int = errno == 0 && *e == '\0';
    }
    return v;
}

static bool word(struct reader *r, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
        return false;
    r->p += n;
    return true;
}

static struct jsonr *container(struct reader *r, struct jsonr *v,
                               unsigned depth, bool object)
{
    struct jsonr **tail = &v->first;

    v->type = object ? JSONR_OBJECT : JSONR_ARRAY;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == (object ? '}' : ']')) {
        r->p++;
        return v;
    }
    for (;;) {
        const char *key = NULL;
        size_t klen = 0;
        struct jsonr *m;
        skip_ws(r);
        if (object) {
            if (r->p >= r->end || *r->p != '"')
                return fail(r, "an object key that is not a string");
            r->p++;
            key = string(r, &klen);
            if (!key)
                return NULL;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':')
                return fail(r, "no ':' after an object key");
            r->p++;
        }
        m = value(r, depth + 1);
        if (!m)
            return NULL;
        m->key = key;
        m->klen = klen;
        *tail = m;
        tail = &m->next;
        v->len++;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == (object ? '}' : ']')) {
            r->p++;
            return v;
        }
        return fail(r, object ? "no ',' or '}' in an object"
                              : "no ',' or ']' in an array");
    }
}

static struct jsonr *value(struct reader *r, unsigned depth)
{
    struct jsonr *v;

    if (depth > JSONR_MAX_DEPTH)
        return fail(r, "nested too deep");
    skip_ws(r);
    if (r->p >= r->end)
        return fail(r, "the text ends where a value should be");
    v = arena_zalloc(r->a, sizeof(*v));
    if (!v)
        return fail(r, "out of memory");
    switch (*r->p) {
    case '{':
        return container(r, v, depth, true);
    case '[':
        return container(r, v, depth, false);
    case '"':
        r->p++;
        v->type = JSONR_STRING;
        v->str = string(r, &v->len);
        return v->str ? v : NULL;
    case 't':
    case 'f':
        v->type = JSONR_BOOL;
        v->b = *r->p == 't';
        return word(r, v->b ? "true" : "false") ? v
                                                : fail(r, "an unknown word");
    case 'n':
        v->type = JSONR_NULL;
        return word(r, "null") ? v : fail(r, "an unknown word");
    default:
        return number(r, v);
    }
}

struct jsonr *jsonr_parse(struct arena *a, const char *text, size_t len,
                          const char **err)
{
    struct reader r = {.p = text, .end = text + len, .a = a};
    struct jsonr *v;

    buf_init(&r.scratch, BUF_MAX_UNLIMITED);
    v = value(&r, 0);
    if (v) {
        skip_ws(&r);
        if (r.p != r.end)
            v = fail(&r, "text after the value");
    }
    buf_release(&r.scratch);
    if (err)
        *err = r.err ? r.err : "out of memory";
    return v;
}

const struct jsonr *jsonr_get(const struct jsonr *o, const char *key)
{
    const struct jsonr *m;
    size_t n = strlen(key);

    if (!o || o->type != JSONR_OBJECT)
        return NULL;
    for (m = o->first; m; m = m->next)
        if (m->klen == n && memcmp(m->key, key, n) == 0)
            return m;
    return NULL;
}

const char *jsonr_str(const struct jsonr *o, const char *key)
{
    const struct jsonr *m = jsonr_get(o, key);

    return m && m->type == JSONR_STRING ? m->str : NULL;
}

bool jsonr_int(const struct jsonr *o, const char *key, long long *out)
{
    const struct jsonr *m = jsonr_get(o, key);

    if (!m || m->type != JSONR_NUMBER || !m->is_int)
        return false;
    *out = m->ival;
    return true;
}
