/* SPDX-License-Identifier: MIT */
/** @file Templates: the filters and the tests.
 *
 * One table holds each filter: its Jinja2 name, its parameters (a
 * keyword argument is matched against them) and the function that
 * applies it; another holds the tests (`is defined`, ...).
 */
/* memmem(): a search in linear time, as Python's (a naive one is
 * quadratic, and a template can make long strings). */
#define _GNU_SOURCE
#include "tmpl_int.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- rendering: filters ---- */

/* A string made in the scratch arena from @p b. */
static bool tv_from_buf(struct trender *r, const struct buf *b, struct tv *out)
{
    char *s = tmpl_sstrndup(r, b->data, b->len);

    if (!s)
        return false;
    tmpl_tv_str_set(out, s, b->len);
    return true;
}

/* Python's int(s, base) over an ASCII string; false when Python would
 * raise ValueError.  *big: the value does not fit in 64 bits. */
static bool py_int_parse(const char *s, size_t len, int64_t base, int64_t *out,
                         bool *big)
{
    size_t i = tmpl_py_space_prefix(s, len);
    size_t end = i + tmpl_py_rstrip_len(s + i, len - i);
    bool neg = false, prefixed = false, zero_only = false, need_digit = true;
    uint64_t v = 0, limit;

    *big = false;
    if (base != 0 && (base < 2 || base > 36))
        return false;
    if (i < end && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (end - i >= 2 && s[i] == '0') {
        char p = (char)(s[i + 1] | 0x20);
        int64_t b = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
        if (b && (base == 0 || base == b)) {
            base = b;
            i += 2;
            prefixed = true;
        }
    }
    if (base == 0) {
        /* decimal, where a leading zero means the value is zero */
        base = 10;
        zero_only = i < end && s[i] == '0';
    }
    if (prefixed && i < end && s[i] == '_')
        i++;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < end; i++) {
        int d;
        char c = s[i];
        if (c == '_') {
            if (need_digit)
                return false;
            need_digit = true;
            continue;
        }
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            d = (c | 0x20) - 'a' + 10;
        else
            return false;
        if (d >= base || (zero_only && d))
            return false;
        if (v > (limit - (uint64_t)d) / (uint64_t)base)
            *big = true;
        else
            v = v * (uint64_t)base + (uint64_t)d;
        need_digit = false;
    }
    if (need_digit)
        return false;
    if (!*big)
        *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* Digits with single underscores between digits, from s[i]: copied to
 * @p clean without the underscores; returns where they end. */
static size_t py_digits(const char *s, size_t i, size_t end, char *clean,
                        size_t *o, size_t *ndig)
{
    *ndig = 0;
    while (i < end) {
        if (s[i] >= '0' && s[i] <= '9') {
            clean[(*o)++] = s[i++];
            (*ndig)++;
        } else if (s[i] == '_' && *ndig && i + 1 < end && s[i - 1] != '_' &&
                   s[i + 1] >= '0' && s[i + 1] <= '9') {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* Python's float(s) over an ASCII string; false on ValueError. */
static bool py_float_parse(struct trender *r, const char *s, size_t len,
                           double *out)
{
    size_t i = tmpl_py_space_prefix(s, len);
    size_t end = i + tmpl_py_rstrip_len(s + i, len - i), o = 0, nint, nfrac,
           nexp;
    char *clean, *stop;
    bool neg = false;

    if (i < end && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if ((end - i == 3 && strncasecmp(s + i, "inf", 3) == 0) ||
        (end - i == 8 && strncasecmp(s + i, "infinity", 8) == 0)) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (end - i == 3 && strncasecmp(s + i, "nan", 3) == 0) {
        *out = NAN;
        return true;
    }
    clean = tmpl_salloc(r, end - i + 3);
    if (!clean)
        return false;
    if (neg)
        clean[o++] = '-';
    i = py_digits(s, i, end, clean, &o, &nint);
    nfrac = 0;
    if (i < end && s[i] == '.') {
        clean[o++] = '.';
        i = py_digits(s, i + 1, end, clean, &o, &nfrac);
    }
    if (!nint && !nfrac)
        return false;
    if (i < end && (s[i] == 'e' || s[i] == 'E')) {
        clean[o++] = 'e';
        i++;
        if (i < end && (s[i] == '+' || s[i] == '-'))
            clean[o++] = s[i++];
        i = py_digits(s, i, end, clean, &o, &nexp);
        if (!nexp)
            return false;
    }
    if (i != end)
        return false;
    clean[o] = '\0';
    *out = strtod(clean, &stop);
    return *stop == '\0';
}

static bool has_non_ascii(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return true;
    }
    return false;
}

/* The non-ASCII decimal digits (Unicode 14 category Nd, as Python 3.11's
 * unicodedata): Python's int() and float() read them as digits. */
static const uint32_t nd_ranges[][2] = {
    {0x660, 0x669},     {0x6F0, 0x6F9},     {0x7C0, 0x7C9},
    {0x966, 0x96F},     {0x9E6, 0x9EF},     {0xA66, 0xA6F},
    {0xAE6, 0xAEF},     {0xB66, 0xB6F},     {0xBE6, 0xBEF},
    {0xC66, 0xC6F},     {0xCE6, 0xCEF},     {0xD66, 0xD6F},
    {0xDE6, 0xDEF},     {0xE50, 0xE59},     {0xED0, 0xED9},
    {0xF20, 0xF29},     {0x1040, 0x1049},   {0x1090, 0x1099},
    {0x17E0, 0x17E9},   {0x1810, 0x1819},   {0x1946, 0x194F},
    {0x19D0, 0x19D9},   {0x1A80, 0x1A89},   {0x1A90, 0x1A99},
    {0x1B50, 0x1B59},   {0x1BB0, 0x1BB9},   {0x1C40, 0x1C49},
    {0x1C50, 0x1C59},   {0xA620, 0xA629},   {0xA8D0, 0xA8D9},
    {0xA900, 0xA909},   {0xA9D0, 0xA9D9},   {0xA9F0, 0xA9F9},
    {0xAA50, 0xAA59},   {0xABF0, 0xABF9},   {0xFF10, 0xFF19},
    {0x104A0, 0x104A9}, {0x10D30, 0x10D39}, {0x11066, 0x1106F},
    {0x110F0, 0x110F9}, {0x11136, 0x1113F}, {0x111D0, 0x111D9},
    {0x112F0, 0x112F9}, {0x11450, 0x11459}, {0x114D0, 0x114D9},
    {0x11650, 0x11659}, {0x116C0, 0x116C9}, {0x11730, 0x11739},
    {0x118E0, 0x118E9}, {0x11950, 0x11959}, {0x11C50, 0x11C59},
    {0x11D50, 0x11D59}, {0x11DA0, 0x11DA9}, {0x16A60, 0x16A69},
    {0x16AC0, 0x16AC9}, {0x16B50, 0x16B59}, {0x1D7CE, 0x1D7FF},
    {0x1E140, 0x1E149}, {0x1E2F0, 0x1E2F9}, {0x1E950, 0x1E959},
    {0x1FBF0, 0x1FBF9}};

/* Whether [s, s + len) holds a non-ASCII digit, which Python would read. */
static bool has_unicode_digit(const char *s, size_t len)
{
    size_t i = 0, l, k;

    while (i < len) {
        uint32_t cp =
            tmpl_utf8_decode((const unsigned char *)s + i, len - i, &l);
        for (k = 0; cp >= 0x80 && k < sizeof(nd_ranges) / sizeof(nd_ranges[0]);
             k++) {
            if (cp >= nd_ranges[k][0] && cp <= nd_ranges[k][1])
                return true;
        }
        i += l;
    }
    return false;
}

/* Jinja2's int filter. */
static bool filter_int(struct trender *r, const struct tv *v,
                       const struct tv *dflt, const struct tv *base,
                       struct span where, struct tv *out)
{
    int64_t b = 10, i;
    bool big = false, base_ok = true;
    double f;

    switch (v->kind) {
    case TV_UNDEF:
        return tmpl_undefined_error(r, v, where);
    case TV_INT:
    case TV_BOOL:
        tmpl_tv_int_set(out, tmpl_num(v));
        return true;
    case TV_FLOAT:
        f = v->u.f;
        goto from_float;
    case TV_STR:
        break;
    default:
        goto fallback;
    }
    if (base) {
        if (base->kind == TV_UNDEF)
            return tmpl_undefined_error(r, base, where);
        if (tmpl_is_number(base))
            b = tmpl_num(base);
        else
            base_ok = false; /* TypeError: caught, then float() */
    }
    if (base_ok && py_int_parse(v->u.str.s, v->u.str.len, b, &i, &big)) {
        if (big)
            return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                             "integers beyond 64 bits are not supported");
        tmpl_tv_int_set(out, i);
        return true;
    }
    if (!py_float_parse(r, v->u.str.s, v->u.str.len, &f)) {
        if (r->rc)
            return false;
        if (has_unicode_digit(v->u.str.s, v->u.str.len))
            return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                             "'| int' of non-ASCII digits is not supported");
        goto fallback;
    }
from_float:
    if (isinf(f))
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                         "cannot convert float infinity to integer");
    if (isnan(f))
        goto fallback;
    /* the cast truncates toward zero, as int(float) does */
    if (f <= -9.2233720368547758e18 - 1024.0 || f >= 9.2233720368547758e18)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "integers beyond 64 bits are not supported");
    tmpl_tv_int_set(out, (int64_t)f);
    return true;
fallback:
    if (dflt)
        *out = *dflt;
    else
        tmpl_tv_int_set(out, 0);
    return true;
}

/* Python's str.replace(old, new, count). */
static bool str_replace(struct trender *r, const char *s, size_t len,
                        const char *old, size_t olen, const char *rep,
                        size_t rlen, int64_t count, struct tv *out)
{
    struct buf b;
    size_t i = 0;
    int rc = 0;
    bool ok;

    buf_init(&b, tmpl_scratch_left(r));
    if (!olen) {
        /* between every character, and at both ends */
        while (!rc) {
            if (count != 0) {
                rc = buf_add(&b, rep, rlen);
                count--;
            }
            if (i >= len)
                break;
            {
                size_t l = tmpl_utf8_len((unsigned char)s[i]);
                if (!rc)
                    rc = buf_add(&b, s + i, l);
                i += l;
            }
        }
    } else {
        while (i < len && !rc) {
            const char *at =
                count != 0 ? memmem(s + i, len - i, old, olen) : NULL;
            size_t n = at ? (size_t)(at - (s + i)) : len - i;
            rc = buf_add(&b, s + i, n);
            i += n;
            if (at && !rc) {
                rc = buf_add(&b, rep, rlen);
                i += olen;
                count--;
            }
        }
    }
    ok = rc ? tmpl_buf_error(r, rc) : tv_from_buf(r, &b, out);
    buf_release(&b);
    return ok;
}

/* Python's quote_from_bytes(s, safe), then '%20' as '+' for a query. */
static int url_quote(struct buf *b, const char *s, size_t len, bool for_qs)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    int rc = 0;

    for (i = 0; i < len && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
            c == '~' || (c == '/' && !for_qs)) {
            rc = buf_addch(b, (char)c);
        } else if (c == ' ' && for_qs) {
            rc = buf_addch(b, '+');
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = buf_add(b, t, 3);
        }
    }
    return rc;
}

static bool filter_urlencode(struct trender *r, const struct tv *v,
                             struct span where, struct tv *out)
{
    struct tv *items = NULL;
    size_t n = 0, i;
    struct buf b;
    const char *s;
    size_t len;
    bool ok = true;
    int rc = 0;

    buf_init(&b, tmpl_scratch_left(r));
    switch (v->kind) {
    case TV_UNDEF:
        return tmpl_undefined_error(r, v, where);
    case TV_STR:
    case TV_INT:
    case TV_BOOL:
    case TV_NONE:
    case TV_FLOAT:
        if (!tmpl_tv_str(r, v, where, &s, &len))
            return false;
        rc = url_quote(&b, s, len, false);
        break;
    case TV_DICT:
    case TV_ITEMS:
    case TV_LIST: {
        struct tv dv = *v;
        if (v->kind == TV_DICT)
            dv.kind = TV_ITEMS;
        if (!tmpl_tv_iterate(r, &dv, where, &items, &n))
            return false;
        for (i = 0; i < n && ok && !rc; i++) {
            struct tv *kv;
            size_t m;
            const char *ks, *vs;
            size_t kl, vl;
            if (items[i].kind != TV_LIST) {
                ok = tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                               "'| urlencode' of a list needs pairs");
                break;
            }
            if (!tmpl_tv_iterate(r, &items[i], where, &kv, &m))
                return false;
            if (m != 2) {
                ok = tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                               "cannot unpack %zu values "
                               "into a key and a value",
                               m);
                break;
            }
            ok = tmpl_tv_str(r, &kv[0], where, &ks, &kl) &&
                 tmpl_tv_str(r, &kv[1], where, &vs, &vl);
            if (!ok)
                break;
            if (i)
                rc = buf_addch(&b, '&');
            if (!rc)
                rc = url_quote(&b, ks, kl, true);
            if (!rc)
                rc = buf_addch(&b, '=');
            if (!rc)
                rc = url_quote(&b, vs, vl, true);
        }
        break;
    }
    default:
        ok = tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                       "'| urlencode' of a %s is not supported",
                       tmpl_tv_type(v));
    }
    if (ok && rc)
        ok = tmpl_buf_error(r, rc);
    if (ok)
        ok = tv_from_buf(r, &b, out);
    buf_release(&b);
    return ok;
}

static int cp_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* Whether code point @p cp is one of the @p n sorted ones of @p set. */
static bool cp_in(const uint32_t *set, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] == cp)
            return true;
        if (set[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Python's str.strip(chars) (whitespace when @p chars is NULL).  The
 * characters of @p chars are sorted once, so that each one stripped is a
 * look-up, not a search through them (long strings would make that
 * quadratic). */
static bool str_trim(struct trender *r, const char *s, size_t len,
                     const struct tv *chars, struct tv *out)
{
    size_t start = 0, end = len, l, n, i, at;
    uint32_t *set;

    if (!chars) {
        start = tmpl_py_space_prefix(s, len);
        end = start + tmpl_py_rstrip_len(s + start, len - start);
        tmpl_tv_str_set(out, s + start, end - start);
        return true;
    }
    n = tmpl_utf8_count(chars->u.str.s, chars->u.str.len);
    set = tmpl_salloc(r, n * sizeof(*set));
    if (!set)
        return false;
    for (i = 0, at = 0; i < n; i++, at += l)
        set[i] = tmpl_utf8_decode((const unsigned char *)chars->u.str.s + at,
                                  chars->u.str.len - at, &l);
    qsort(set, n, sizeof(*set), cp_cmp);
    while (start < end) {
        const unsigned char *c = (const unsigned char *)s + start;
        if (!cp_in(set, n, tmpl_utf8_decode(c, end - start, &l)))
            break;
        start += l;
    }
    while (end > start) {
        size_t b = end - 1;
        while (b > start && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        if (!cp_in(set, n,
                   tmpl_utf8_decode((const unsigned char *)s + b, end - b, &l)))
            break;
        end = b;
    }
    tmpl_tv_str_set(out, s + start, end - start);
    return true;
}

static bool case_map(struct trender *r, const char *s, size_t len, bool upper,
                     struct span where, struct tv *out)
{
    char *o;
    size_t i;

    if (has_non_ascii(s, len))
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "'| %s' of non-ASCII text is not supported",
                         upper ? "upper" : "lower");
    o = tmpl_salloc(r, len + 1);
    if (!o)
        return false;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        o[i] = c;
    }
    o[len] = '\0';
    tmpl_tv_str_set(out, o, len);
    return true;
}

/* `| default(value, boolean)`: @p v, or the value when @p v is undefined
 * (or, with boolean, false). */
static bool filter_default(struct trender *r, const struct texpr *x,
                           const struct tv *v, const struct tv *args,
                           const bool *given, struct tv *out)
{
    bool truth, vt;

    if (v->kind == TV_UNDEF) {
        if (given[0])
            *out = args[0];
        else
            tmpl_tv_str_set(out, "", 0);
        return true;
    }
    if (given[1]) {
        if (!tmpl_tv_truth(r, &args[1], x->span, &truth))
            return false;
        if (truth) {
            if (!tmpl_tv_truth(r, v, x->span, &vt))
                return false;
            if (!vt) {
                if (given[0])
                    *out = args[0];
                else
                    tmpl_tv_str_set(out, "", 0);
                return true;
            }
        }
    }
    *out = *v;
    return true;
}

/* `| lower`. */
static bool filter_lower(struct trender *r, const struct texpr *x,
                         const struct tv *v, const struct tv *args,
                         const bool *given, struct tv *out)
{
    const char *s;
    size_t len;

    (void)args;
    (void)given;
    return tmpl_tv_str(r, v, x->span, &s, &len) &&
           case_map(r, s, len, false, x->span, out);
}

/* `| upper`. */
static bool filter_upper(struct trender *r, const struct texpr *x,
                         const struct tv *v, const struct tv *args,
                         const bool *given, struct tv *out)
{
    const char *s;
    size_t len;

    (void)args;
    (void)given;
    return tmpl_tv_str(r, v, x->span, &s, &len) &&
           case_map(r, s, len, true, x->span, out);
}

/* `| trim(chars)`. */
static bool filter_trim(struct trender *r, const struct texpr *x,
                        const struct tv *v, const struct tv *args,
                        const bool *given, struct tv *out)
{
    struct span where = x->span;
    const char *s;
    size_t len;

    if (!tmpl_tv_str(r, v, where, &s, &len))
        return false;
    if (given[0] && args[0].kind != TV_NONE) {
        if (args[0].kind == TV_UNDEF)
            return tmpl_undefined_error(r, &args[0], where);
        if (args[0].kind != TV_STR)
            return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                             "trim's argument must be a string, not '%s'",
                             tmpl_tv_type(&args[0]));
        return str_trim(r, s, len, &args[0], out);
    }
    return str_trim(r, s, len, NULL, out);
}

/* `| replace(old, new, count)`. */
static bool filter_replace(struct trender *r, const struct texpr *x,
                           const struct tv *v, const struct tv *args,
                           const bool *given, struct tv *out)
{
    struct span where = x->span;
    const char *s, *s2, *s3;
    size_t len, len2, len3;
    int64_t count = -1;

    if (!given[0] || !given[1])
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                         "replace needs two arguments: old and new");
    if (!tmpl_tv_str(r, v, where, &s, &len) ||
        !tmpl_tv_str(r, &args[0], where, &s2, &len2) ||
        !tmpl_tv_str(r, &args[1], where, &s3, &len3))
        return false;
    if (given[2] && args[2].kind != TV_NONE) {
        if (args[2].kind == TV_UNDEF)
            return tmpl_undefined_error(r, &args[2], where);
        if (!tmpl_is_number(&args[2]))
            return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                             "replace's count must be an integer");
        count = tmpl_num(&args[2]);
    }
    return str_replace(r, s, len, s2, len2, s3, len3, count, out);
}

/* `| join(d)`. */
static bool filter_join(struct trender *r, const struct texpr *x,
                        const struct tv *v, const struct tv *args,
                        const bool *given, struct tv *out)
{
    struct span where = x->span;
    const char *s, *sep = "";
    size_t len, seplen = 0, n, i;
    struct tv *items;
    struct buf b;
    int rc = 0;
    bool ok = true;

    if (!tmpl_tv_iterate(r, v, where, &items, &n))
        return false;
    if (given[0] && !tmpl_tv_str(r, &args[0], where, &sep, &seplen))
        return false;
    buf_init(&b, tmpl_scratch_left(r));
    for (i = 0; i < n && ok && !rc; i++) {
        ok = tmpl_tv_str(r, &items[i], where, &s, &len);
        if (ok && i)
            rc = buf_add(&b, sep, seplen);
        if (ok && !rc)
            rc = buf_add(&b, s, len);
    }
    if (ok && rc)
        ok = tmpl_buf_error(r, rc);
    if (ok)
        ok = tv_from_buf(r, &b, out);
    buf_release(&b);
    return ok;
}

/* `| length` and `| count`. */
static bool filter_length(struct trender *r, const struct texpr *x,
                          const struct tv *v, const struct tv *args,
                          const bool *given, struct tv *out)
{
    struct span where = x->span;

    (void)args;
    (void)given;
    switch (v->kind) {
    case TV_UNDEF:
        return tmpl_undefined_error(r, v, where);
    case TV_STR:
        tmpl_tv_int_set(out,
                        (int64_t)tmpl_utf8_count(v->u.str.s, v->u.str.len));
        return true;
    case TV_LIST:
        tmpl_tv_int_set(out, (int64_t)tmpl_tv_list_len(v));
        return true;
    case TV_DICT:
    case TV_ITEMS:
        tmpl_tv_int_set(out, (int64_t)v->json->n);
        return true;
    case TV_LOOP:
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "'| length' of 'loop' is not supported");
    default:
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                         "object of type '%s' has no len()", tmpl_tv_type(v));
    }
}

/* `| first` (@p last false) or `| last`. */
static bool first_or_last(struct trender *r, const struct texpr *x,
                          const struct tv *v, bool last, struct tv *out)
{
    struct span where = x->span;
    struct tv *items;
    size_t n;

    if (v->kind == TV_LOOP)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "'| %s' of 'loop' is not supported",
                         last ? "last" : "first");
    if (last && v->kind != TV_UNDEF && v->kind != TV_STR &&
        v->kind != TV_LIST && v->kind != TV_DICT && v->kind != TV_ITEMS)
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                         "'%s' object is not reversible", tmpl_tv_type(v));
    if (!tmpl_tv_iterate(r, v, where, &items, &n))
        return false;
    if (!n)
        tmpl_tv_undef(out, where);
    else
        *out = items[last ? n - 1 : 0];
    return true;
}

/* `| first`. */
static bool filter_first(struct trender *r, const struct texpr *x,
                         const struct tv *v, const struct tv *args,
                         const bool *given, struct tv *out)
{
    (void)args;
    (void)given;
    return first_or_last(r, x, v, false, out);
}

/* `| last`. */
static bool filter_last(struct trender *r, const struct texpr *x,
                        const struct tv *v, const struct tv *args,
                        const bool *given, struct tv *out)
{
    (void)args;
    (void)given;
    return first_or_last(r, x, v, true, out);
}

/* `| int(default, base)`. */
static bool filter_int_apply(struct trender *r, const struct texpr *x,
                             const struct tv *v, const struct tv *args,
                             const bool *given, struct tv *out)
{
    return filter_int(r, v, given[0] ? &args[0] : NULL,
                      given[1] ? &args[1] : NULL, x->span, out);
}

/* `| string`. */
static bool filter_string(struct trender *r, const struct texpr *x,
                          const struct tv *v, const struct tv *args,
                          const bool *given, struct tv *out)
{
    const char *s;
    size_t len;

    (void)args;
    (void)given;
    if (!tmpl_tv_str(r, v, x->span, &s, &len))
        return false;
    tmpl_tv_str_set(out, s, len);
    return true;
}

/* `| urlencode`. */
static bool filter_urlencode_apply(struct trender *r, const struct texpr *x,
                                   const struct tv *v, const struct tv *args,
                                   const bool *given, struct tv *out)
{
    (void)args;
    (void)given;
    return filter_urlencode(r, v, x->span, out);
}

/* The filters of the subset: Jinja2's names (`d` and `count` are its
 * aliases), their parameters in order, and what applies each. */
static const struct tfilter filters[] = {
    {"default", filter_default, 2, {"default_value", "boolean"}, NULL},
    {"d", filter_default, 2, {"default_value", "boolean"}, NULL},
    {"lower", filter_lower, 0, {0}, NULL},
    {"upper", filter_upper, 0, {0}, NULL},
    {"trim", filter_trim, 1, {"chars"}, NULL},
    {"replace", filter_replace, 3, {"old", "new", "count"}, NULL},
    {"join", filter_join, 2, {"d", "attribute"}, "attribute"},
    {"length", filter_length, 0, {0}, NULL},
    {"count", filter_length, 0, {0}, NULL},
    {"first", filter_first, 0, {0}, NULL},
    {"last", filter_last, 0, {0}, NULL},
    {"int", filter_int_apply, 2, {"default", "base"}, NULL},
    {"string", filter_string, 0, {0}, NULL},
    {"urlencode", filter_urlencode_apply, 0, {0}, NULL},
};

const struct tfilter *tmpl_filter_find(const char *name, size_t len)
{
    size_t k;

    for (k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
        if (len == strlen(filters[k].name) &&
            memcmp(name, filters[k].name, len) == 0)
            return &filters[k];
    }
    return NULL;
}

/* ---- the tests ---- */

/* `is defined`. */
static bool test_defined(const struct tv *v)
{
    return v->kind != TV_UNDEF;
}

/* `is undefined`. */
static bool test_undefined(const struct tv *v)
{
    return v->kind == TV_UNDEF;
}

/* `is none`. */
static bool test_none(const struct tv *v)
{
    return v->kind == TV_NONE;
}

/* The tests of the subset. */
static const struct ttest tests[] = {
    {"defined", test_defined},
    {"undefined", test_undefined},
    {"none", test_none},
};

const struct ttest *tmpl_test_find(const char *name, size_t len)
{
    size_t k;

    for (k = 0; k < sizeof(tests) / sizeof(tests[0]); k++) {
        if (len == strlen(tests[k].name) &&
            memcmp(name, tests[k].name, len) == 0)
            return &tests[k];
    }
    return NULL;
}
