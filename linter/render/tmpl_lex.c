/* SPDX-License-Identifier: MIT */
/** @file Templates: the tokens inside a tag.
 *
 * The parser's lexer finds the tags; this splits one tag's inside into
 * Jinja2's tokens (names, strings, numbers, operators) exactly as
 * jinja2/lexer.py does, and holds the compile-error reporter.
 */
#include "tmpl_int.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "ascii.h"
#include "diag.h"
#include "rules.h"

/* Jinja2's operators, longest first as its lexer tries them. */
static const struct {
    const char *text;
    uint8_t op;
} tk_ops[] = {
    {"//", TO_FLOORDIV}, {"**", TO_POW},     {"==", TO_EQ},    {"!=", TO_NE},
    {">=", TO_GE},       {"<=", TO_LE},      {"+", TO_ADD},    {"-", TO_SUB},
    {"/", TO_DIV},       {"*", TO_MUL},      {"%", TO_MOD},    {"~", TO_TILDE},
    {"[", TO_LBRACKET},  {"]", TO_RBRACKET}, {"(", TO_LPAREN}, {")", TO_RPAREN},
    {"{", TO_LBRACE},    {"}", TO_RBRACE},   {">", TO_GT},     {"<", TO_LT},
    {"=", TO_ASSIGN},    {".", TO_DOT},      {":", TO_COLON},  {"|", TO_PIPE},
    {",", TO_COMMA},     {";", TO_SEMI},
};

/* Report a compile error at @p sp (tmpl_cerr() and tmpl_perr() both end
 * here). */
void tmpl_vcerr(struct tcomp *c, enum render_code kind, struct span sp,
                const char *fmt, va_list ap)
{
    char *msg;
    va_list copy;
    int n;

    c->failed = true;
    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    msg = arena_alloc(c->a, (size_t)n + 1);
    if (!msg) {
        c->oom = true;
        return;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    if (!diag_add(c->d, DIAG_ERROR, render_codes[kind]->code,
                  render_codes[kind]->name, sp, "%s", msg))
        c->oom = true;
}

/* Report a compile error at [start, end). */
void tmpl_cerr(struct tcomp *c, enum render_code kind, uint32_t start,
               uint32_t end, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tmpl_vcerr(c, kind, (struct span){start, end}, fmt, ap);
    va_end(ap);
}

static struct ttok *tok_push(struct tcomp *c)
{
    struct ttok *t =
        tmpl_array_room(c->toks, &c->toks_cap, c->ntoks, sizeof(*t), 32);

    if (!t) {
        c->oom = true;
        return NULL;
    }
    c->toks = t;
    memset(&c->toks[c->ntoks], 0, sizeof(c->toks[0]));
    return &c->toks[c->ntoks++];
}

static bool is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_name_start(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

/* Match `(\d+_)*\d+` at s[i]: digits with single underscores between. */
static size_t match_digits(const char *s, size_t i, size_t end)
{
    size_t j = i;

    if (j >= end || !is_digit(s[j]))
        return 0;
    while (j < end && is_digit(s[j]))
        j++;
    while (j + 1 < end && s[j] == '_' && is_digit(s[j + 1])) {
        j++;
        while (j < end && is_digit(s[j]))
            j++;
    }
    return j - i;
}

/* Jinja2's float_re at s[i] (the caller checked it is not after a '.'). */
static size_t match_float(const char *s, size_t i, size_t end)
{
    size_t n = match_digits(s, i, end), j, k;

    if (!n)
        return 0;
    j = i + n;
    /* `.digits` then an optional exponent, or an exponent alone */
    if (j < end && s[j] == '.' && (k = match_digits(s, j + 1, end)) > 0) {
        size_t after = j + 1 + k;
        if (after < end && (s[after] == 'e' || s[after] == 'E')) {
            size_t e = after + 1;
            if (e < end && (s[e] == '+' || s[e] == '-'))
                e++;
            if ((k = match_digits(s, e, end)) > 0)
                return e + k - i;
        }
        return after - i;
    }
    if (j < end && (s[j] == 'e' || s[j] == 'E')) {
        size_t e = j + 1;
        if (e < end && (s[e] == '+' || s[e] == '-'))
            e++;
        if ((k = match_digits(s, e, end)) > 0)
            return e + k - i;
    }
    return 0;
}

/* Jinja2's integer_re at s[i]: `0b(_?[01])+`, `0o(_?[0-7])+`,
 * `0x(_?[0-9a-f])+`, `[1-9](_?\d)*`, `0(_?0)*`, tried in that order. */
static size_t match_int(const char *s, size_t i, size_t end, int *base)
{
    size_t j;

    if (s[i] == '0' && i + 1 < end) {
        char p = (char)(s[i + 1] | 0x20);
        int b = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 0;
        if (b) {
            j = i + 2;
            for (;;) {
                size_t k = j < end && s[j] == '_' ? j + 1 : j;
                int v = k < end ? ascii_hex_digit(s[k]) : -1;
                if (v < 0 || v >= b)
                    break;
                j = k + 1;
            }
            if (j > i + 2) {
                *base = b;
                return j - i;
            }
        }
    }
    *base = 10;
    j = i + 1;
    for (;;) {
        size_t k = j < end && s[j] == '_' ? j + 1 : j;
        if (k >= end || !is_digit(s[k]) || (s[i] == '0' && s[k] != '0'))
            break;
        j = k + 1;
    }
    return j - i;
}

/* The value of integer literal [s, s + n) in @p base; false if it does
 * not fit in 64 bits. */
static bool int_value(const char *s, size_t n, int base, int64_t *out)
{
    uint64_t v = 0;
    size_t i = base == 10 ? 0 : 2;

    for (; i < n; i++) {
        int d = ascii_hex_digit(s[i]);
        if (s[i] == '_')
            continue;
        if (v > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = (int64_t)v;
    return true;
}

/* Decode the string literal whose quotes are at [q, e): Python's
 * unicode-escape after Jinja2's newline normalisation and ASCII
 * backslashreplace.  Returns false after reporting an error. */
static bool lex_string(struct tcomp *c, uint32_t q, uint32_t e, struct ttok *t)
{
    const char *s = c->data;
    uint32_t i = q + 1, end = e - 1;
    struct buf *b = &c->tmp;
    int rc = 0;

    buf_truncate(b, 0);
    while (i < end && !rc) {
        unsigned char ch = (unsigned char)s[i];
        uint32_t at = i, cp = 0;
        int ndig = 0, k;

        if (ch == '\r') {
            rc = buf_addch(b, '\n');
            i += (i + 1 < end && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (ch != '\\') {
            rc = buf_addch(b, (char)ch);
            i++;
            continue;
        }
        /* the string regex guarantees a character after the backslash */
        ch = (unsigned char)s[++i];
        i++;
        switch (ch) {
        case '\r':
            if (i < end && s[i] == '\n')
                i++;
            continue;
        case '\n':
            continue;
        case '\\':
        case '\'':
        case '"':
            rc = buf_addch(b, (char)ch);
            continue;
        case 'a':
            rc = buf_addch(b, '\a');
            continue;
        case 'b':
            rc = buf_addch(b, '\b');
            continue;
        case 'f':
            rc = buf_addch(b, '\f');
            continue;
        case 'n':
            rc = buf_addch(b, '\n');
            continue;
        case 'r':
            rc = buf_addch(b, '\r');
            continue;
        case 't':
            rc = buf_addch(b, '\t');
            continue;
        case 'v':
            rc = buf_addch(b, '\v');
            continue;
        case 'x':
            ndig = 2;
            break;
        case 'u':
            ndig = 4;
            break;
        case 'U':
            ndig = 8;
            break;
        case 'N':
            tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, at, i,
                      "'\\N{...}' escapes are not supported");
            return false;
        default:
            break;
        }
        if (ch >= '0' && ch <= '7') {
            cp = (uint32_t)(ch - '0');
            for (k = 0; k < 2 && i < end && s[i] >= '0' && s[i] <= '7'; k++)
                cp = cp * 8 + (uint32_t)(s[i++] - '0');
            rc = tmpl_buf_add_cp(b, cp);
            continue;
        }
        if (ndig) {
            for (k = 0; k < ndig; k++) {
                int v = i < end ? ascii_hex_digit(s[i]) : -1;
                if (v < 0) {
                    tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, at, i,
                              "truncated '\\%c' escape in a string", ch);
                    return false;
                }
                cp = cp * 16 + (uint32_t)v;
                i++;
            }
            if (cp > 0x10FFFF) {
                tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, at, i,
                          "illegal Unicode character in a string");
                return false;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, at, i,
                          "a lone surrogate cannot be written out");
                return false;
            }
            rc = tmpl_buf_add_cp(b, cp);
            continue;
        }
        rc = buf_addch(b, '\\');
        if (ch >= 0x80) {
            /* Jinja2 escapes non-ASCII text before decoding escapes, so
             * a backslash before it keeps that escape's letters. */
            size_t l;
            char tmp[12];
            cp = tmpl_utf8_decode((const unsigned char *)s + i - 1,
                                  end - (i - 1), &l);
            i = i - 1 + (uint32_t)l;
            snprintf(tmp, sizeof(tmp),
                     cp < 0x100     ? "x%02" PRIx32
                     : cp < 0x10000 ? "u%04" PRIx32
                                    : "U%08" PRIx32,
                     cp);
            if (!rc)
                rc = buf_adds(b, tmp);
            continue;
        }
        if (!rc)
            rc = buf_addch(b, (char)ch);
    }
    if (rc) {
        c->oom = true;
        return false;
    }
    t->s = arena_strndup(c->a, b->data, b->len);
    t->len = b->len;
    if (!t->s) {
        c->oom = true;
        return false;
    }
    return true;
}

/* Split the inside of a tag, [start, end), into c->toks (ended by TK_END).
 * Returns false after reporting an error. */
bool tmpl_tag_lex(struct tcomp *c, uint32_t start, uint32_t end)
{
    const char *s = c->data;
    uint32_t i = start;
    struct ttok *t;

    c->ntoks = 0;
    while (i < end) {
        unsigned char ch = (unsigned char)s[i];
        size_t n, k;
        int base;

        n = tmpl_py_space_prefix(s + i, end - i);
        if (n) {
            i += (uint32_t)n;
            continue;
        }
        t = tok_push(c);
        if (!t)
            return false;
        t->span.start = i;
        if (is_digit(ch)) {
            n = (i > start && s[i - 1] == '.') ? 0 : match_float(s, i, end);
            if (n) {
                t->kind = TK_FLOAT;
            } else {
                n = match_int(s, i, end, &base);
                t->kind = TK_INT;
                if (!int_value(s + i, n, base, &t->i)) {
                    tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, i,
                              i + (uint32_t)n,
                              "integers beyond 64 bits are not supported");
                    return false;
                }
            }
            i += (uint32_t)n;
        } else if (is_name_start(ch)) {
            n = 1;
            while (i + n < end &&
                   (is_name_start(s[i + n]) || is_digit(s[i + n])))
                n++;
            t->kind = TK_NAME;
            t->s = s + i;
            t->len = n;
            i += (uint32_t)n;
        } else if (ch == '\'' || ch == '"') {
            uint32_t j = i + 1;
            while (j < end && (unsigned char)s[j] != ch) {
                if (s[j] == '\\')
                    j++;
                j++;
            }
            if (j >= end) {
                tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, i, end,
                          "unterminated string");
                return false;
            }
            t->kind = TK_STRING;
            if (!lex_string(c, i, j + 1, t))
                return false;
            i = j + 1;
        } else {
            for (k = 0; k < sizeof(tk_ops) / sizeof(tk_ops[0]); k++) {
                size_t l = strlen(tk_ops[k].text);
                if (i + l <= end && memcmp(s + i, tk_ops[k].text, l) == 0)
                    break;
            }
            if (k == sizeof(tk_ops) / sizeof(tk_ops[0])) {
                size_t l = tmpl_utf8_len(ch);
                if (ch >= 0x80)
                    tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, i,
                              i + (uint32_t)l,
                              "non-ASCII characters are not supported inside a "
                              "tag, except in strings");
                else
                    tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, i, i + 1,
                              "unexpected character "
                              "'%c'",
                              ch);
                return false;
            }
            t->kind = TK_OP;
            t->op = tk_ops[k].op;
            i += (uint32_t)strlen(tk_ops[k].text);
        }
        t->span.end = i;
    }
    t = tok_push(c);
    if (!t)
        return false;
    t->kind = TK_END;
    t->span.start = t->span.end = end;
    return true;
}
