/* SPDX-License-Identifier: MIT */
/** @file A strict subset of Jinja2: compiling and rendering (template.h).
 *
 * Compiling: the parser's lexer finds the tags; the text between them is
 * cut, whitespace-stripped and newline-normalised here exactly as Jinja2's
 * lexer does, and each tag's inside is tokenised and parsed by a small
 * recursive-descent parser that follows jinja2/parser.py rule for rule, so
 * that precedence and odd corners (chained comparisons, `~` binding tighter
 * than `+`, test arguments without parentheses) agree.
 *
 * Rendering: a tree walk over values that are either borrowed JSON or made
 * in a scratch arena.  Scopes follow Jinja2's: the top level sees the
 * variables and its own `set`s in order; each loop iteration (and a loop's
 * `else`) gets a fresh scope for its targets, `loop` and its `set`s.
 */
/* memmem(): a search in linear time, as Python's (a naive one is
 * quadratic, and a template can make long strings). */
#define _GNU_SOURCE
#include "template.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"

/* ---- findings ---- */

enum terr {
    TERR_SYNTAX,      /* IPX4001 */
    TERR_UNSUPPORTED, /* IPX4002 */
    TERR_UNDEFINED,   /* IPX4003 */
    TERR_TYPE,        /* IPX4004 */
    TERR_NULL,        /* IPX4005 */
};

static const struct {
    const char *code;
    const char *name;
} terr_info[] = {
    {"IPX4001", "template-syntax"},    {"IPX4002", "template-unsupported"},
    {"IPX4003", "template-undefined"}, {"IPX4004", "template-type"},
    {"IPX4005", "template-null"},
};

/* ---- values ---- */

enum tv_kind {
    TV_UNDEF, /* undefined: an error as soon as it is used */
    TV_NONE,  /* JSON null, `none` */
    TV_BOOL,
    TV_INT,
    TV_FLOAT, /* JSON reals: only `| int` and tests accept them */
    TV_STR,
    TV_LIST,   /* a list or a tuple */
    TV_DICT,   /* a JSON object */
    TV_ITEMS,  /* `d.items()`: pairs of a JSON object */
    TV_LOOP,   /* the `loop` of a for loop */
    TV_GLOBAL, /* a Jinja2 global function (range, dict, ...) */
};

struct tv;

/** A list made while rendering (not a JSON array). */
struct tlist {
    size_t n;         /* items */
    struct tv *items; /* the items (scratch arena) */
};

/** What `loop` knows about its iteration. */
struct tloop {
    size_t index0; /* 0-based position */
    size_t length; /* items iterated over (after the loop's `if`) */
};

struct tv {
    uint8_t kind;       /* enum tv_kind */
    bool is_tuple;      /* TV_LIST: a tuple, never equal to a list */
    const json_t *json; /* TV_LIST / TV_DICT / TV_ITEMS: the JSON value, or
                           NULL for a TV_LIST made while rendering */
    union {
        bool b;    /* TV_BOOL */
        int64_t i; /* TV_INT */
        double f;  /* TV_FLOAT */
        struct {
            const char *s; /* TV_STR: UTF-8 bytes (borrowed) */
            size_t len;    /* bytes */
        } str;
        const struct tlist *list; /* TV_LIST without json */
        const struct tloop *loop; /* TV_LOOP */
        struct span undef;        /* TV_UNDEF: the expression that gave it */
    } u;
};

/* ---- the compiled template ---- */

enum tx_kind {
    TX_CONST,  /* val */
    TX_NAME,   /* name */
    TX_ATTR,   /* a.name */
    TX_ITEM,   /* a[b] */
    TX_ITEMS,  /* a.items() */
    TX_LIST,   /* [args] or a tuple (sub = 1) */
    TX_NOT,    /* not a */
    TX_NEG,    /* -a */
    TX_POS,    /* +a */
    TX_AND,    /* a and b */
    TX_OR,     /* a or b */
    TX_CMP,    /* args[0] ops[0] args[1] ops[1] args[2] ... */
    TX_ADD,    /* a + b */
    TX_SUB,    /* a - b */
    TX_CONCAT, /* args joined with ~ */
    TX_COND,   /* a if b else c (c may be NULL) */
    TX_FILTER, /* a | sub(args...) */
    TX_TEST,   /* a is sub */
};

enum tx_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOTIN };

enum tx_filter {
    F_DEFAULT,
    F_LOWER,
    F_UPPER,
    F_TRIM,
    F_REPLACE,
    F_JOIN,
    F_LENGTH,
    F_FIRST,
    F_LAST,
    F_INT,
    F_STRING,
    F_URLENCODE,
};

/* The filters: Jinja2's names, and their parameters in order (a keyword
 * argument is matched against these). */
static const struct {
    const char *name;
    uint8_t id;
    uint8_t nparams;
    const char *params[3];
} filters[] = {
    {"default", F_DEFAULT, 2, {"default_value", "boolean"}},
    {"d", F_DEFAULT, 2, {"default_value", "boolean"}},
    {"lower", F_LOWER, 0, {0}},
    {"upper", F_UPPER, 0, {0}},
    {"trim", F_TRIM, 1, {"chars"}},
    {"replace", F_REPLACE, 3, {"old", "new", "count"}},
    {"join", F_JOIN, 2, {"d", "attribute"}},
    {"length", F_LENGTH, 0, {0}},
    {"count", F_LENGTH, 0, {0}},
    {"first", F_FIRST, 0, {0}},
    {"last", F_LAST, 0, {0}},
    {"int", F_INT, 2, {"default", "base"}},
    {"string", F_STRING, 0, {0}},
    {"urlencode", F_URLENCODE, 0, {0}},
};

enum tx_test { T_DEFINED, T_UNDEFINED, T_NONE };

struct texpr {
    uint8_t kind;               /* enum tx_kind */
    uint8_t sub;                /* filter or test id; TX_LIST: 1 for a tuple */
    struct span span;           /* the expression in the template */
    struct tv val;              /* TX_CONST */
    const char *name;           /* TX_NAME, TX_ATTR (NUL-terminated, arena) */
    struct texpr *a;            /* first operand */
    struct texpr *b;            /* second operand */
    struct texpr *c;            /* TX_COND: the else branch, or NULL */
    struct texpr **args;        /* TX_LIST, TX_CONCAT, TX_CMP: operands;
                                   TX_FILTER: arguments by parameter, NULL when
                                   not given */
    uint8_t *ops;               /* TX_CMP: nargs - 1 operators */
    uint32_t nargs;             /* entries in args */
    const struct tframe *frame; /* TX_NAME: the frame holding the name */
    uint32_t slot;              /* TX_NAME: its slot there */
};

enum tn_kind { TN_TEXT, TN_PRINT, TN_IF, TN_FOR, TN_SET };

/** One `if`/`elif` test and its body. */
struct tbranch {
    struct texpr *cond;   /* the test */
    struct tnode *body;   /* what renders when it holds */
    struct tbranch *next; /* the next `elif` */
};

struct tnode {
    uint8_t kind;             /* enum tn_kind */
    struct tnode *next;       /* the next node of the same body */
    struct span span;         /* the tag; TN_TEXT: where its text starts */
    const char *text;         /* TN_TEXT: the bytes to output (arena) */
    size_t len;               /* TN_TEXT: how many */
    struct texpr *expr;       /* TN_PRINT: the value; TN_FOR: the sequence;
                                 TN_SET: the value */
    const char *names;        /* TN_PRINT: the variables it reads, or NULL */
    struct tbranch *branches; /* TN_IF: `if` then each `elif` */
    struct tnode *body;       /* TN_FOR: the loop body */
    struct tnode *else_body;  /* TN_IF, TN_FOR: the `else` body */
    struct texpr *filter;     /* TN_FOR: the `if` after the sequence */
    const char **targets;     /* TN_FOR, TN_SET: names bound (arena) */
    uint32_t ntargets;        /* how many */
    bool unpack;              /* TN_FOR, TN_SET: targets were a tuple */
    uint32_t *slots;          /* TN_SET: the targets' slots in the frame;
                                 TN_FOR: in the body frame */
    uint32_t *test_slots;     /* TN_FOR: the targets' slots in test_frame */
    uint32_t loop_slot;       /* TN_FOR: the slot of `loop` in the body */
    const struct tframe *body_frame; /* TN_FOR: each iteration's frame */
    const struct tframe *else_frame; /* TN_FOR: the `else` frame */
    const struct tframe *test_frame; /* TN_FOR: the `if` filter's frame */
};

/* How a frame sets a name up when it is entered (jinja2/idtracking.py). */
enum tload {
    LOAD_PARAM,     /* a loop target or `loop`: bound by the loop */
    LOAD_RESOLVE,   /* read from the variables */
    LOAD_ALIAS,     /* copied from an enclosing frame's slot */
    LOAD_UNDEFINED, /* undefined until assigned */
};

/** A name a frame holds (a ref, in Jinja2's words). */
struct tsym {
    const char *name;                 /* the name */
    uint8_t load;                     /* enum tload */
    bool global;                      /* LOAD_RESOLVE: a Jinja2 global
                                         function when the variables do
                                         not have it (decided once, at
                                         compile time) */
    const struct tframe *alias_frame; /* LOAD_ALIAS: where from */
    uint32_t alias_slot;              /* LOAD_ALIAS: which slot */
};

/**
 * A frame: the top level, or one loop's body, `else` or `if` filter.  As
 * in Jinja2, which names a frame holds and how each starts is decided
 * statically, from the template, not as it renders: a name a loop body
 * assigns anywhere is the body's own from the body's first line on.
 */
struct tframe {
    const struct tframe *parent; /* the enclosing frame, or NULL */
    struct tsym *syms;           /* its names; slot i is syms[i] (arena) */
    uint32_t nsyms;              /* how many */
};

struct tmpl {
    struct source *src;   /* the template (borrowed) */
    struct tnode *body;   /* the top-level nodes */
    struct tframe *frame; /* the top-level frame */
};

/* ---- text helpers ---- */

/* Length of the UTF-8 sequence starting with byte @p c (1 for a bad
 * lead byte: the source was checked to be valid UTF-8 before). */
static size_t utf8_len(unsigned char c)
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
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
    size_t l = utf8_len(s[0]);
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
static size_t utf8_check(const unsigned char *s, size_t n)
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
        l = utf8_len(c);
        if (l == 1 || i + l > n)
            return i;
        for (k = 1; k < l; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        }
        cp = utf8_decode(s + i, l, &k);
        if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) ||
            (l == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += l;
    }
    return n;
}

/* Append code point @p cp as UTF-8. */
static int buf_add_cp(struct buf *b, uint32_t cp)
{
    char t[4];
    size_t n;

    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_add(b, t, n);
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
static size_t py_space_prefix(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, l;

    while (i < n) {
        uint32_t cp = utf8_decode(p + i, n - i, &l);
        if (!py_isspace(cp))
            break;
        i += l;
    }
    return i;
}

/* Length of [s, s + n) once trailing Python whitespace is removed. */
static size_t py_rstrip_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;

    while (n > 0) {
        size_t start = n - 1, l;
        uint32_t cp;

        while (start > 0 && (p[start] & 0xC0) == 0x80)
            start--;
        cp = utf8_decode(p + start, n - start, &l);
        if (!py_isspace(cp))
            break;
        n = start;
    }
    return n;
}

/* The length of [s, s + n) without the partial character it may end
 * with: where to cut UTF-8 text that is n bytes too long. */
static size_t utf8_cut(const char *s, size_t n)
{
    size_t start = n;

    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && start - 1 + utf8_len((unsigned char)s[start - 1]) > n)
        return start - 1;
    return n;
}

/* Code points in [s, s + n) (valid UTF-8). */
static size_t utf8_count(const char *s, size_t n)
{
    size_t i, count = 0;

    for (i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    }
    return count;
}

/* Byte offset of code point @p idx in [s, s + n), or n. */
static size_t utf8_offset(const char *s, size_t n, size_t idx)
{
    size_t i = 0;

    while (i < n && idx > 0) {
        i += utf8_len((unsigned char)s[i]);
        idx--;
    }
    return i < n ? i : n;
}

/* Room for entry @p n of the malloc'd array @p v of @p *cap entries of
 * @p size bytes, doubling from @p first: the array (moved, maybe), or
 * NULL with @p v left as it was when memory runs out.  Every growable
 * array here (tokens, operands, tags, blocks, names, output marks) goes
 * through this. */
static void *array_room(void *v, size_t *cap, size_t n, size_t size,
                        size_t first)
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
static bool in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++) {
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    }
    return false;
}

/* ---- compiling: the tokens inside a tag ---- */

enum tk_kind { TK_END, TK_NAME, TK_STRING, TK_INT, TK_FLOAT, TK_OP };

enum tk_op {
    TO_ADD,
    TO_SUB,
    TO_DIV,
    TO_FLOORDIV,
    TO_MUL,
    TO_MOD,
    TO_POW,
    TO_TILDE,
    TO_LBRACKET,
    TO_RBRACKET,
    TO_LPAREN,
    TO_RPAREN,
    TO_LBRACE,
    TO_RBRACE,
    TO_EQ,
    TO_NE,
    TO_GT,
    TO_GE,
    TO_LT,
    TO_LE,
    TO_ASSIGN,
    TO_DOT,
    TO_COLON,
    TO_PIPE,
    TO_COMMA,
    TO_SEMI,
};

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

struct ttok {
    uint8_t kind;     /* enum tk_kind */
    uint8_t op;       /* TK_OP: enum tk_op */
    struct span span; /* in the template */
    const char *s;    /* TK_NAME: the name (in the source, not NUL-ended);
                         TK_STRING: the decoded value (arena) */
    size_t len;       /* bytes in s */
    int64_t i;        /* TK_INT: the value */
};

/** Everything compiling needs. */
struct tcomp {
    struct source *src;  /* the template */
    const char *data;    /* its bytes */
    struct arena *a;     /* owns what is compiled */
    struct diag_list *d; /* findings */
    bool failed;         /* a finding was reported */
    bool oom;            /* memory ran out */
    struct ttok *toks;   /* the tokens of the tag being read (malloc) */
    size_t ntoks;        /* how many */
    size_t toks_cap;     /* allocated */
    struct buf tmp;      /* scratch for decoding strings */
};

/* Report a compile error at @p sp (cerr() and perr() both end here). */
static void vcerr(struct tcomp *c, enum terr kind, struct span sp,
                  const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void vcerr(struct tcomp *c, enum terr kind, struct span sp,
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
    if (!diag_add(c->d, DIAG_ERROR, terr_info[kind].code, terr_info[kind].name,
                  sp, "%s", msg))
        c->oom = true;
}

static void cerr(struct tcomp *c, enum terr kind, uint32_t start, uint32_t end,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void cerr(struct tcomp *c, enum terr kind, uint32_t start, uint32_t end,
                 const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vcerr(c, kind, (struct span){start, end}, fmt, ap);
    va_end(ap);
}

static struct ttok *tok_push(struct tcomp *c)
{
    struct ttok *t =
        array_room(c->toks, &c->toks_cap, c->ntoks, sizeof(*t), 32);

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

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
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
                int v = k < end ? hexval(s[k]) : -1;
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
        int d = hexval(s[i]);
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
            cerr(c, TERR_UNSUPPORTED, at, i,
                 "'\\N{...}' escapes are not supported");
            return false;
        default:
            break;
        }
        if (ch >= '0' && ch <= '7') {
            cp = (uint32_t)(ch - '0');
            for (k = 0; k < 2 && i < end && s[i] >= '0' && s[i] <= '7'; k++)
                cp = cp * 8 + (uint32_t)(s[i++] - '0');
            rc = buf_add_cp(b, cp);
            continue;
        }
        if (ndig) {
            for (k = 0; k < ndig; k++) {
                int v = i < end ? hexval(s[i]) : -1;
                if (v < 0) {
                    cerr(c, TERR_SYNTAX, at, i,
                         "truncated '\\%c' escape in a string", ch);
                    return false;
                }
                cp = cp * 16 + (uint32_t)v;
                i++;
            }
            if (cp > 0x10FFFF) {
                cerr(c, TERR_SYNTAX, at, i,
                     "illegal Unicode character in a string");
                return false;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cerr(c, TERR_UNSUPPORTED, at, i,
                     "a lone surrogate cannot be written out");
                return false;
            }
            rc = buf_add_cp(b, cp);
            continue;
        }
        rc = buf_addch(b, '\\');
        if (ch >= 0x80) {
            /* Jinja2 escapes non-ASCII text before decoding escapes, so
             * a backslash before it keeps that escape's letters. */
            size_t l;
            char tmp[12];
            cp = utf8_decode((const unsigned char *)s + i - 1, end - (i - 1),
                             &l);
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
static bool tag_lex(struct tcomp *c, uint32_t start, uint32_t end)
{
    const char *s = c->data;
    uint32_t i = start;
    struct ttok *t;

    c->ntoks = 0;
    while (i < end) {
        unsigned char ch = (unsigned char)s[i];
        size_t n, k;
        int base;

        n = py_space_prefix(s + i, end - i);
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
                    cerr(c, TERR_UNSUPPORTED, i, i + (uint32_t)n,
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
                cerr(c, TERR_SYNTAX, i, end, "unterminated string");
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
                size_t l = utf8_len(ch);
                if (ch >= 0x80)
                    cerr(c, TERR_UNSUPPORTED, i, i + (uint32_t)l,
                         "non-ASCII characters are not supported inside a "
                         "tag, except in strings");
                else
                    cerr(c, TERR_SYNTAX, i, i + 1,
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

/* ---- compiling: expressions (jinja2/parser.py, rule for rule) ---- */

/* How deep a template may nest: `if` and `for` blocks inside one another,
 * and an expression's brackets, operators and filters.  Compiling and
 * rendering recurse that deep, so a deeper template would overflow the
 * stack; it is refused (IPX4002).  Jinja2 gives up sooner still: Python
 * takes 20 nested loops, and about 70 nested brackets. */
#define TMPL_MAX_DEPTH 64

struct tparse {
    struct tcomp *c; /* where findings go */
    size_t pos;      /* the current token in c->toks */
    bool failed;     /* an error was reported: unwind */
    uint32_t depth;  /* rules being parsed inside one another (nest()) */
};

/** A growable array of expressions while a rule collects them. */
struct xvec {
    struct texpr **v; /* items (malloc) */
    size_t n;         /* used */
    size_t cap;       /* allocated */
};

static const struct ttok *cur(const struct tparse *p)
{
    return &p->c->toks[p->pos];
}

static const struct ttok *look(const struct tparse *p)
{
    size_t i = p->pos + 1 < p->c->ntoks ? p->pos + 1 : p->c->ntoks - 1;

    return &p->c->toks[i];
}

static void advance(struct tparse *p)
{
    if (p->pos + 1 < p->c->ntoks)
        p->pos++;
}

static bool tok_is_name(const struct ttok *t, const char *name)
{
    return t->kind == TK_NAME && t->len == strlen(name) &&
           memcmp(t->s, name, t->len) == 0;
}

static bool tok_is_op(const struct ttok *t, enum tk_op op)
{
    return t->kind == TK_OP && t->op == op;
}

/* How a token reads in a message. */
static const char *tok_describe(struct tparse *p, const struct ttok *t)
{
    switch (t->kind) {
    case TK_END:
        return "the end of the tag";
    case TK_STRING:
        return "a string";
    case TK_INT:
        return "an integer";
    case TK_FLOAT:
        return "a number";
    default:
        break;
    }
    return arena_printf(p->c->a, "'%.*s'", (int)(t->span.end - t->span.start),
                        p->c->data + t->span.start);
}

static void *perr(struct tparse *p, enum terr kind, struct span sp,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Report the first error of a tag; every rule then unwinds with NULL. */
static void *perr(struct tparse *p, enum terr kind, struct span sp,
                  const char *fmt, ...)
{
    va_list ap;

    if (p->failed)
        return NULL;
    p->failed = true;
    va_start(ap, fmt);
    vcerr(p->c, kind, sp, fmt, ap);
    va_end(ap);
    return NULL;
}

static struct texpr *xnew(struct tparse *p, enum tx_kind kind, uint32_t start,
                          uint32_t end)
{
    struct texpr *x;

    if (p->failed)
        return NULL;
    x = arena_zalloc(p->c->a, sizeof(*x));
    if (!x) {
        p->c->oom = true;
        p->failed = true;
        return NULL;
    }
    x->kind = (uint8_t)kind;
    x->span.start = start;
    x->span.end = end;
    return x;
}

/* The end of the token before the current one: where a rule ended. */
static uint32_t prev_end(const struct tparse *p)
{
    return p->pos ? p->c->toks[p->pos - 1].span.end : cur(p)->span.start;
}

static bool xvec_push(struct tparse *p, struct xvec *v, struct texpr *x)
{
    struct texpr **nv;

    if (!x)
        return false;
    nv = array_room(v->v, &v->cap, v->n, sizeof(*nv), 4);
    if (!nv) {
        p->c->oom = true;
        p->failed = true;
        return false;
    }
    v->v = nv;
    v->v[v->n++] = x;
    return true;
}

/* Make the collected expressions the operands of @p x (NULL after an
 * error), moving them into the arena; frees the vector.  Returns @p x, or
 * NULL once the tag has failed: the end of every rule that collects. */
static struct texpr *xvec_attach(struct tparse *p, struct texpr *x,
                                 struct xvec *v)
{
    struct texpr **out = NULL;

    if (!p->failed && v->n) {
        out = arena_alloc(p->c->a, v->n * sizeof(*out));
        if (out)
            memcpy(out, v->v, v->n * sizeof(*out));
        else
            p->c->oom = p->failed = true;
    }
    free(v->v);
    v->v = NULL;
    v->cap = 0;
    if (x) {
        x->nargs = (uint32_t)v->n;
        x->args = out;
    }
    return p->failed ? NULL : x;
}

static bool expect_op(struct tparse *p, enum tk_op op, const char *what)
{
    if (p->failed)
        return false;
    if (!tok_is_op(cur(p), op)) {
        perr(p, TERR_SYNTAX, cur(p)->span, "expected '%s', got %s", what,
             tok_describe(p, cur(p)));
        return false;
    }
    advance(p);
    return true;
}

/* Enter a rule that may recurse (parse_unary(), parse_not(), an `else`):
 * false, after reporting it, when that nests too deep.  The caller leaves
 * with p->depth-- (or with NULL, after which the tag is dropped). */
static bool nest(struct tparse *p)
{
    if (++p->depth <= TMPL_MAX_DEPTH)
        return true;
    perr(p, TERR_UNSUPPORTED, cur(p)->span,
         "expressions nested more than %d deep are not supported",
         TMPL_MAX_DEPTH);
    return false;
}

/* Whether expression @p x is at most @p left levels deep (a walk that
 * itself goes no deeper). */
static bool depth_ok(const struct texpr *x, uint32_t left)
{
    uint32_t k;

    if (!x)
        return true;
    if (!left || !depth_ok(x->a, left - 1) || !depth_ok(x->b, left - 1) ||
        !depth_ok(x->c, left - 1))
        return false;
    for (k = 0; x->args && k < x->nargs; k++) {
        if (!depth_ok(x->args[k], left - 1))
            return false;
    }
    return true;
}

/* The whole expression @p x of a tag, or NULL after an error if it is too
 * deep: chains (`a + b + c`, `x.a.b`, `x | f | g`) make a tree deeper
 * than the parser's own recursion, and rendering walks the tree. */
static struct texpr *shallow(struct tparse *p, struct texpr *x)
{
    if (!x || depth_ok(x, TMPL_MAX_DEPTH))
        return x;
    return perr(p, TERR_UNSUPPORTED, x->span,
                "expressions nested more than %d deep are not supported",
                TMPL_MAX_DEPTH);
}

static struct texpr *parse_condexpr(struct tparse *p);
static struct texpr *parse_or(struct tparse *p);
static struct texpr *parse_unary(struct tparse *p, bool with_filter);
static struct texpr *parse_primary(struct tparse *p);
static struct texpr *parse_postfix(struct tparse *p, struct texpr *node);

static struct texpr *parse_expression(struct tparse *p, bool with_condexpr)
{
    return with_condexpr ? parse_condexpr(p) : parse_or(p);
}

/* Whether the current token ends a tuple (parse_tuple's is_tuple_end). */
static bool tuple_end(struct tparse *p, const char *extra_end)
{
    const struct ttok *t = cur(p);

    if (t->kind == TK_END || tok_is_op(t, TO_RPAREN))
        return true;
    return extra_end && tok_is_name(t, extra_end);
}

/* `a, b, c` (a tuple) or a single expression. */
static struct texpr *parse_tuple(struct tparse *p, bool simplified,
                                 bool with_condexpr, const char *extra_end,
                                 bool explicit_parens)
{
    uint32_t start = cur(p)->span.start;
    struct xvec v = {0};
    bool is_tuple = false;
    struct texpr *x;

    for (;;) {
        if (v.n && !expect_op(p, TO_COMMA, ","))
            break;
        if (tuple_end(p, extra_end))
            break;
        x = simplified ? parse_primary(p) : parse_expression(p, with_condexpr);
        if (!xvec_push(p, &v, x))
            break;
        if (tok_is_op(cur(p), TO_COMMA))
            is_tuple = true;
        else
            break;
    }
    if (p->failed) {
        free(v.v);
        return NULL;
    }
    if (!is_tuple) {
        if (v.n) {
            x = v.v[0];
            free(v.v);
            return x;
        }
        if (!explicit_parens) {
            free(v.v);
            return perr(p, TERR_SYNTAX, cur(p)->span,
                        "expected an expression, got %s",
                        tok_describe(p, cur(p)));
        }
    }
    x = xnew(p, TX_LIST, start, prev_end(p));
    if (x)
        x->sub = 1;
    return xvec_attach(p, x, &v);
}

static struct texpr *parse_condexpr(struct tparse *p)
{
    uint32_t start = cur(p)->span.start;
    struct texpr *e1 = parse_or(p), *x;

    while (e1 && tok_is_name(cur(p), "if")) {
        advance(p);
        x = xnew(p, TX_COND, start, 0);
        if (!x)
            return NULL;
        x->a = e1;
        x->b = parse_or(p);
        if (!x->b)
            return NULL;
        if (tok_is_name(cur(p), "else")) {
            advance(p);
            if (!nest(p))
                return NULL;
            x->c = parse_condexpr(p);
            if (!x->c)
                return NULL;
            p->depth--;
        }
        x->span.end = prev_end(p);
        e1 = x;
    }
    return e1;
}

/** An operator of a left-associative binary rule: a name (`or`) or, when
 *  name is NULL, an operator token (`+`). */
struct binop {
    const char *name; /* the word, or NULL */
    uint8_t op;       /* enum tk_op, when name is NULL */
    uint8_t kind;     /* enum tx_kind it makes */
};

/* The operator of @p ops (@p n of them) the current token is, or NULL. */
static const struct binop *binop_at(const struct tparse *p,
                                    const struct binop *ops, size_t n)
{
    const struct ttok *t = cur(p);
    size_t k;

    for (k = 0; k < n; k++) {
        if (ops[k].name ? tok_is_name(t, ops[k].name)
                        : tok_is_op(t, (enum tk_op)ops[k].op))
            return &ops[k];
    }
    return NULL;
}

/* `a or b`, `a and b`, `a + b`, `a - b`: left-associative, operands read
 * by @p next. */
static struct texpr *parse_binary(struct tparse *p, const struct binop *ops,
                                  size_t nops,
                                  struct texpr *(*next)(struct tparse *))
{
    uint32_t start = cur(p)->span.start;
    struct texpr *left = next(p), *x;
    const struct binop *o;

    while (left && (o = binop_at(p, ops, nops)) != NULL) {
        advance(p);
        x = xnew(p, (enum tx_kind)o->kind, start, 0);
        if (!x)
            return NULL;
        x->a = left;
        x->b = next(p);
        if (!x->b)
            return NULL;
        x->span.end = prev_end(p);
        left = x;
    }
    return left;
}

static struct texpr *parse_not(struct tparse *p);
static struct texpr *parse_compare(struct tparse *p);
static struct texpr *parse_math1(struct tparse *p);

static struct texpr *parse_and(struct tparse *p)
{
    static const struct binop ops[] = {{"and", 0, TX_AND}};

    return parse_binary(p, ops, 1, parse_not);
}

static struct texpr *parse_or(struct tparse *p)
{
    static const struct binop ops[] = {{"or", 0, TX_OR}};

    return parse_binary(p, ops, 1, parse_and);
}

static struct texpr *parse_not(struct tparse *p)
{
    uint32_t start = cur(p)->span.start;
    struct texpr *x;

    if (!tok_is_name(cur(p), "not"))
        return parse_compare(p);
    if (!nest(p))
        return NULL;
    advance(p);
    x = xnew(p, TX_NOT, start, 0);
    if (!x)
        return NULL;
    x->a = parse_not(p);
    x->span.end = prev_end(p);
    p->depth--;
    return x->a ? x : NULL;
}

static struct texpr *parse_compare(struct tparse *p)
{
    static const struct {
        uint8_t tok, op;
    } cmp[] = {{TO_EQ, OP_EQ}, {TO_NE, OP_NE}, {TO_LT, OP_LT},
               {TO_LE, OP_LE}, {TO_GT, OP_GT}, {TO_GE, OP_GE}};
    uint32_t start = cur(p)->span.start;
    struct xvec v = {0};
    uint8_t ops[64];
    struct texpr *first = parse_math1(p), *x;
    size_t nops = 0, k;

    if (!first)
        return NULL;
    for (;;) {
        const struct ttok *t = cur(p);
        int op = -1;

        for (k = 0; k < sizeof(cmp) / sizeof(cmp[0]); k++) {
            if (tok_is_op(t, cmp[k].tok))
                op = cmp[k].op;
        }
        if (op >= 0) {
            advance(p);
        } else if (tok_is_name(t, "in")) {
            advance(p);
            op = OP_IN;
        } else if (tok_is_name(t, "not") && tok_is_name(look(p), "in")) {
            advance(p);
            advance(p);
            op = OP_NOTIN;
        } else {
            break;
        }
        if (nops == sizeof(ops)) {
            free(v.v);
            return perr(p, TERR_UNSUPPORTED, t->span,
                        "more than %zu chained comparisons", sizeof(ops));
        }
        if (!v.n && !xvec_push(p, &v, first))
            break;
        ops[nops++] = (uint8_t)op;
        if (!xvec_push(p, &v, parse_math1(p)))
            break;
    }
    if (p->failed) {
        free(v.v);
        return NULL;
    }
    if (!nops)
        return first;
    x = xnew(p, TX_CMP, start, prev_end(p));
    if (x) {
        x->ops = arena_alloc(p->c->a, nops);
        if (x->ops)
            memcpy(x->ops, ops, nops);
        else
            p->c->oom = p->failed = true;
    }
    return xvec_attach(p, x, &v);
}

static struct texpr *parse_concat(struct tparse *p);

static struct texpr *parse_math1(struct tparse *p)
{
    static const struct binop ops[] = {{NULL, TO_ADD, TX_ADD},
                                       {NULL, TO_SUB, TX_SUB}};

    return parse_binary(p, ops, 2, parse_concat);
}

static struct texpr *parse_math2(struct tparse *p);

static struct texpr *parse_concat(struct tparse *p)
{
    uint32_t start = cur(p)->span.start;
    struct xvec v = {0};
    struct texpr *first = parse_math2(p);

    if (!first || !tok_is_op(cur(p), TO_TILDE))
        return first;
    xvec_push(p, &v, first);
    while (!p->failed && tok_is_op(cur(p), TO_TILDE)) {
        advance(p);
        xvec_push(p, &v, parse_math2(p));
    }
    return xvec_attach(p, xnew(p, TX_CONCAT, start, prev_end(p)), &v);
}

static struct texpr *parse_math2(struct tparse *p)
{
    struct texpr *left = parse_unary(p, true);
    const struct ttok *t = cur(p);

    if (left && t->kind == TK_OP &&
        (t->op == TO_MUL || t->op == TO_DIV || t->op == TO_FLOORDIV ||
         t->op == TO_MOD || t->op == TO_POW))
        return perr(p, TERR_UNSUPPORTED, t->span,
                    "the operator %s is not supported (only + and - are)",
                    tok_describe(p, t));
    return left;
}

static struct texpr *parse_filter_expr(struct tparse *p, struct texpr *node);

static struct texpr *parse_unary(struct tparse *p, bool with_filter)
{
    uint32_t start = cur(p)->span.start;
    struct texpr *node;

    if (!nest(p))
        return NULL;
    if (tok_is_op(cur(p), TO_SUB) || tok_is_op(cur(p), TO_ADD)) {
        enum tx_kind kind = tok_is_op(cur(p), TO_SUB) ? TX_NEG : TX_POS;
        advance(p);
        node = xnew(p, kind, start, 0);
        if (!node)
            return NULL;
        node->a = parse_unary(p, false);
        if (!node->a)
            return NULL;
        node->span.end = prev_end(p);
    } else {
        node = parse_primary(p);
    }
    node = parse_postfix(p, node);
    if (with_filter)
        node = parse_filter_expr(p, node);
    p->depth--;
    return node;
}

static struct texpr *parse_list(struct tparse *p)
{
    uint32_t start = cur(p)->span.start;
    struct xvec v = {0};

    advance(p); /* [ */
    while (!p->failed && !tok_is_op(cur(p), TO_RBRACKET)) {
        if (v.n && !expect_op(p, TO_COMMA, ","))
            break;
        if (tok_is_op(cur(p), TO_RBRACKET))
            break;
        xvec_push(p, &v, parse_expression(p, true));
    }
    expect_op(p, TO_RBRACKET, "]");
    return xvec_attach(p, xnew(p, TX_LIST, start, prev_end(p)), &v);
}

static struct texpr *parse_primary(struct tparse *p)
{
    const struct ttok *t = cur(p);
    struct texpr *x;

    if (p->failed)
        return NULL;
    switch (t->kind) {
    case TK_NAME:
        x = xnew(p, TX_CONST, t->span.start, t->span.end);
        if (!x)
            return NULL;
        if (tok_is_name(t, "true") || tok_is_name(t, "True")) {
            x->val.kind = TV_BOOL;
            x->val.u.b = true;
        } else if (tok_is_name(t, "false") || tok_is_name(t, "False")) {
            x->val.kind = TV_BOOL;
        } else if (tok_is_name(t, "none") || tok_is_name(t, "None")) {
            x->val.kind = TV_NONE;
        } else {
            x->kind = TX_NAME;
            x->name = arena_strndup(p->c->a, t->s, t->len);
            if (!x->name)
                return perr(p, TERR_SYNTAX, t->span, "out of memory");
        }
        advance(p);
        return x;
    case TK_STRING: {
        /* adjacent strings are one: "a" "b" */
        const struct ttok *first = t;
        size_t total = 0, k;
        char *s;

        for (k = p->pos; k < p->c->ntoks && p->c->toks[k].kind == TK_STRING;
             k++)
            total += p->c->toks[k].len;
        s = arena_alloc(p->c->a, total + 1);
        if (!s)
            return perr(p, TERR_SYNTAX, t->span, "out of memory");
        total = 0;
        while (cur(p)->kind == TK_STRING) {
            memcpy(s + total, cur(p)->s, cur(p)->len);
            total += cur(p)->len;
            advance(p);
        }
        s[total] = '\0';
        x = xnew(p, TX_CONST, first->span.start, prev_end(p));
        if (!x)
            return NULL;
        x->val.kind = TV_STR;
        x->val.u.str.s = s;
        x->val.u.str.len = total;
        return x;
    }
    case TK_INT:
        x = xnew(p, TX_CONST, t->span.start, t->span.end);
        if (!x)
            return NULL;
        x->val.kind = TV_INT;
        x->val.u.i = t->i;
        advance(p);
        return x;
    case TK_FLOAT:
        return perr(p, TERR_UNSUPPORTED, t->span,
                    "floating-point numbers are not supported");
    case TK_OP:
        if (t->op == TO_LPAREN) {
            advance(p);
            x = parse_tuple(p, false, true, NULL, true);
            if (!expect_op(p, TO_RPAREN, ")"))
                return NULL;
            return x;
        }
        if (t->op == TO_LBRACKET)
            return parse_list(p);
        if (t->op == TO_LBRACE)
            return perr(p, TERR_UNSUPPORTED, t->span,
                        "dict literals are not supported");
        break;
    default:
        break;
    }
    return perr(p, TERR_SYNTAX, t->span, "unexpected %s", tok_describe(p, t));
}

/* `.name`, `.0` or `[key]` after @p node. */
static struct texpr *parse_subscript(struct tparse *p, struct texpr *node)
{
    const struct ttok *t = cur(p);
    struct texpr *x;

    if (tok_is_op(t, TO_DOT)) {
        advance(p);
        t = cur(p);
        if (t->kind == TK_NAME) {
            x = xnew(p, TX_ATTR, node->span.start, t->span.end);
            if (!x)
                return NULL;
            x->a = node;
            x->name = arena_strndup(p->c->a, t->s, t->len);
            advance(p);
            return x->name ? x : perr(p, TERR_SYNTAX, t->span, "out of memory");
        }
        if (t->kind != TK_INT)
            return perr(p, TERR_SYNTAX, t->span,
                        "expected a name or a number after '.', got %s",
                        tok_describe(p, t));
        x = xnew(p, TX_ITEM, node->span.start, t->span.end);
        if (!x)
            return NULL;
        x->a = node;
        x->b = xnew(p, TX_CONST, t->span.start, t->span.end);
        if (!x->b)
            return NULL;
        x->b->val.kind = TV_INT;
        x->b->val.u.i = t->i;
        advance(p);
        return x;
    }
    /* [ ... ] */
    advance(p);
    if (tok_is_op(cur(p), TO_COLON))
        return perr(p, TERR_UNSUPPORTED, cur(p)->span,
                    "slices are not supported");
    if (tok_is_op(cur(p), TO_RBRACKET))
        return perr(p, TERR_SYNTAX, cur(p)->span, "expected a subscript");
    x = xnew(p, TX_ITEM, node->span.start, 0);
    if (!x)
        return NULL;
    x->a = node;
    x->b = parse_expression(p, true);
    if (!x->b)
        return NULL;
    if (tok_is_op(cur(p), TO_COLON))
        return perr(p, TERR_UNSUPPORTED, cur(p)->span,
                    "slices are not supported");
    if (tok_is_op(cur(p), TO_COMMA))
        return perr(p, TERR_UNSUPPORTED, cur(p)->span,
                    "tuple subscripts are not supported");
    if (!expect_op(p, TO_RBRACKET, "]"))
        return NULL;
    x->span.end = prev_end(p);
    return x;
}

/* A call: only `mapping.items()` is in the subset. */
static struct texpr *parse_call(struct tparse *p, struct texpr *node)
{
    const struct ttok *t = cur(p);
    struct texpr *x;

    if (node->kind != TX_ATTR || strcmp(node->name, "items") != 0 ||
        !tok_is_op(look(p), TO_RPAREN))
        return perr(p, TERR_UNSUPPORTED, t->span,
                    "calls are not supported, except '.items()' on a mapping");
    advance(p);
    advance(p);
    x = xnew(p, TX_ITEMS, node->span.start, prev_end(p));
    if (x)
        x->a = node->a;
    return x;
}

static struct texpr *parse_postfix(struct tparse *p, struct texpr *node)
{
    while (node && !p->failed) {
        const struct ttok *t = cur(p);
        if (tok_is_op(t, TO_DOT) || tok_is_op(t, TO_LBRACKET))
            node = parse_subscript(p, node);
        else if (tok_is_op(t, TO_LPAREN))
            node = parse_call(p, node);
        else
            break;
    }
    return p->failed ? NULL : node;
}

/* Arguments in parentheses, for a filter with parameters @p params. */
static bool parse_filter_args(struct tparse *p, struct texpr *x,
                              const char *fname, const char *const *params,
                              size_t nparams)
{
    size_t npos = 0;
    bool kw_seen = false;

    x->nargs = (uint32_t)nparams;
    if (nparams) {
        x->args = arena_zalloc(p->c->a, nparams * sizeof(*x->args));
        if (!x->args) {
            perr(p, TERR_SYNTAX, cur(p)->span, "out of memory");
            return false;
        }
    }
    advance(p); /* ( */
    while (!p->failed && !tok_is_op(cur(p), TO_RPAREN)) {
        const struct ttok *t;
        size_t slot;

        if ((npos || kw_seen) && !expect_op(p, TO_COMMA, ","))
            return false;
        if (tok_is_op(cur(p), TO_RPAREN))
            break;
        t = cur(p);
        if (tok_is_op(t, TO_MUL) || tok_is_op(t, TO_POW)) {
            perr(p, TERR_UNSUPPORTED, t->span,
                 "'*' and '**' arguments are not supported");
            return false;
        }
        if (t->kind == TK_NAME && tok_is_op(look(p), TO_ASSIGN)) {
            for (slot = 0; slot < nparams; slot++) {
                if (t->len == strlen(params[slot]) &&
                    memcmp(t->s, params[slot], t->len) == 0)
                    break;
            }
            if (slot == nparams) {
                perr(p, TERR_TYPE, t->span,
                     "filter '%s' has no argument '%.*s'", fname, (int)t->len,
                     t->s);
                return false;
            }
            advance(p);
            advance(p);
            kw_seen = true;
        } else {
            if (kw_seen) {
                perr(p, TERR_SYNTAX, t->span,
                     "a positional argument after a keyword argument");
                return false;
            }
            slot = npos++;
            if (slot >= nparams) {
                perr(p, TERR_TYPE, t->span, "filter '%s' takes %zu argument%s",
                     fname, nparams, nparams == 1 ? "" : "s");
                return false;
            }
        }
        if (x->args[slot]) {
            perr(p, TERR_TYPE, t->span, "filter '%s' got argument '%s' twice",
                 fname, params[slot]);
            return false;
        }
        x->args[slot] = parse_expression(p, true);
    }
    return expect_op(p, TO_RPAREN, ")");
}

static struct texpr *parse_filter(struct tparse *p, struct texpr *node)
{
    const struct ttok *t;
    struct texpr *x;
    size_t k;

    advance(p); /* | */
    t = cur(p);
    if (t->kind != TK_NAME)
        return perr(p, TERR_SYNTAX, t->span, "expected a filter name, got %s",
                    tok_describe(p, t));
    for (k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
        if (tok_is_name(t, filters[k].name))
            break;
    }
    if (k == sizeof(filters) / sizeof(filters[0]) || tok_is_op(look(p), TO_DOT))
        return perr(p, TERR_UNSUPPORTED, t->span,
                    "filter '%.*s' is not supported (the subset has default, "
                    "d, lower, upper, trim, replace, join, length, count, "
                    "first, last, int, string and urlencode)",
                    (int)t->len, t->s);
    x = xnew(p, TX_FILTER, node->span.start, t->span.end);
    if (!x)
        return NULL;
    x->sub = filters[k].id;
    x->a = node;
    x->nargs = filters[k].nparams;
    advance(p);
    if (tok_is_op(cur(p), TO_LPAREN)) {
        if (!parse_filter_args(p, x, filters[k].name, filters[k].params,
                               filters[k].nparams))
            return NULL;
    } else if (filters[k].nparams) {
        x->args = arena_zalloc(p->c->a, filters[k].nparams * sizeof(*x->args));
        if (!x->args)
            return perr(p, TERR_SYNTAX, t->span, "out of memory");
    }
    if (x->sub == F_JOIN && x->args && x->args[1])
        return perr(p, TERR_UNSUPPORTED, x->args[1]->span,
                    "join's 'attribute' argument is not supported");
    x->span.end = prev_end(p);
    return x;
}

static struct texpr *parse_test(struct tparse *p, struct texpr *node)
{
    static const char *const names[] = {"defined", "undefined", "none"};
    uint32_t start = cur(p)->span.start;
    const struct ttok *t;
    bool negated = false;
    struct texpr *x;
    size_t k;

    advance(p); /* is */
    if (tok_is_name(cur(p), "not")) {
        advance(p);
        negated = true;
    }
    t = cur(p);
    if (t->kind != TK_NAME)
        return perr(p, TERR_SYNTAX, t->span, "expected a test name, got %s",
                    tok_describe(p, t));
    for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        if (tok_is_name(t, names[k]))
            break;
    }
    if (k == sizeof(names) / sizeof(names[0]) || tok_is_op(look(p), TO_DOT))
        return perr(p, TERR_UNSUPPORTED, t->span,
                    "test '%.*s' is not supported (the subset has defined, "
                    "undefined and none)",
                    (int)t->len, t->s);
    advance(p);
    /* Jinja2 takes a following primary as the test's argument */
    t = cur(p);
    if (tok_is_op(t, TO_LPAREN) ||
        (t->kind == TK_NAME && !tok_is_name(t, "else") &&
         !tok_is_name(t, "or") && !tok_is_name(t, "and")) ||
        t->kind == TK_STRING || t->kind == TK_INT || t->kind == TK_FLOAT ||
        tok_is_op(t, TO_LBRACKET) || tok_is_op(t, TO_LBRACE)) {
        if (tok_is_name(t, "is"))
            return perr(p, TERR_SYNTAX, t->span,
                        "tests cannot be chained with 'is'");
        if (!(tok_is_op(t, TO_LPAREN) && tok_is_op(look(p), TO_RPAREN)))
            return perr(p, TERR_TYPE, t->span,
                        "test '%s' takes no argument (Jinja2 reads %s as "
                        "one)",
                        names[k], tok_describe(p, t));
        advance(p);
        advance(p);
    }
    x = xnew(p, TX_TEST, node->span.start, prev_end(p));
    if (!x)
        return NULL;
    x->sub = (uint8_t)k;
    x->a = node;
    if (negated) {
        struct texpr *n = xnew(p, TX_NOT, start, prev_end(p));
        if (!n)
            return NULL;
        n->span.start = node->span.start;
        n->a = x;
        x = n;
    }
    return x;
}

static struct texpr *parse_filter_expr(struct tparse *p, struct texpr *node)
{
    while (node && !p->failed) {
        const struct ttok *t = cur(p);
        if (tok_is_op(t, TO_PIPE))
            node = parse_filter(p, node);
        else if (tok_is_name(t, "is"))
            node = parse_test(p, node);
        else if (tok_is_op(t, TO_LPAREN))
            node = parse_call(p, node);
        else
            break;
    }
    return p->failed ? NULL : node;
}

/* ---- compiling: the variables an expression reads ---- */

/* Whether @p x is a path: a name, then attributes and constant items. */
static bool is_path(const struct texpr *x)
{
    while (x->kind == TX_ATTR || (x->kind == TX_ITEM && x->b->kind == TX_CONST))
        x = x->a;
    return x->kind == TX_NAME;
}

/* Append to @p b the paths @p x reads, "a, b.c", each once. */
static int expr_names(struct tcomp *c, const struct texpr *x, struct buf *b)
{
    uint32_t k;
    int rc = 0;

    if (!x)
        return 0;
    if (is_path(x)) {
        const char *text = c->data + x->span.start;
        size_t len = x->span.end - x->span.start, at = 0;

        /* each once: look for it between the separators */
        while (at < b->len) {
            const char *sep = strstr(b->data + at, ", ");
            size_t n = sep ? (size_t)(sep - (b->data + at)) : b->len - at;
            if (n == len && memcmp(b->data + at, text, len) == 0)
                return 0;
            at += n + 2;
        }
        if (b->len)
            rc = buf_adds(b, ", ");
        return rc ? rc : buf_add(b, text, len);
    }
    rc = expr_names(c, x->a, b);
    if (!rc)
        rc = expr_names(c, x->b, b);
    if (!rc)
        rc = expr_names(c, x->c, b);
    for (k = 0; !rc && x->args && k < x->nargs; k++)
        rc = expr_names(c, x->args[k], b);
    return rc;
}

/* ---- compiling: the tags and the text between them ---- */

/** A template tag found by the parser's lexer. */
struct tpart {
    uint32_t start; /* its first byte ('{') */
    uint32_t end;   /* one past its last byte ('}') */
    uint8_t kind;   /* AST_PART_TMPL_* */
};

struct pvec {
    struct tpart *v; /* parts (malloc) */
    size_t n;        /* used */
    size_t cap;      /* allocated */
};

static int parts_collect(const char *data, const struct ast_part *p,
                         struct pvec *v)
{
    for (; p; p = p->next) {
        /* the parser also reads ERB tags (`<% %>`): text to Jinja2 */
        if ((p->kind == AST_PART_TMPL_EXPR || p->kind == AST_PART_TMPL_STMT ||
             p->kind == AST_PART_TMPL_COMMENT) &&
            data[p->span.start] == '{') {
            struct tpart *nv = array_room(v->v, &v->cap, v->n, sizeof(*nv), 64);
            if (!nv)
                return -ENOMEM;
            v->v = nv;
            v->v[v->n].start = p->span.start;
            v->v[v->n].end = p->span.end;
            v->v[v->n].kind = p->kind;
            v->n++;
        }
        if (p->children && parts_collect(data, p->children, v))
            return -ENOMEM;
    }
    return 0;
}

static int word_collect(const char *data, const struct ast_word *w,
                        struct pvec *v)
{
    return w ? parts_collect(data, w->parts, v) : 0;
}

static int tpart_cmp(const void *a, const void *b)
{
    const struct tpart *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every template tag of @p s, in source order. */
static int parts_of_tree(const struct ast_script *s, struct pvec *v)
{
    const struct ast_line *line;

    for (line = s->lines; line; line = line->next) {
        const struct ast_segment *seg;
        if (word_collect(s->src->data, line->label, v))
            return -ENOMEM;
        for (seg = line->segs; seg; seg = seg->next) {
            uint32_t i;
            for (i = 0; i < seg->argc; i++) {
                if (word_collect(s->src->data, seg->argv[i], v))
                    return -ENOMEM;
            }
            if (word_collect(s->src->data, seg->op, v))
                return -ENOMEM;
        }
        if (word_collect(s->src->data, line->comment, v) ||
            word_collect(s->src->data, line->tail, v))
            return -ENOMEM;
    }
    if (v->n > 1)
        qsort(v->v, v->n, sizeof(*v->v), tpart_cmp);
    return 0;
}

/** An `if` or `for` whose end has not been seen yet. */
struct tblock {
    struct tnode *node;     /* the statement */
    struct tnode **tail;    /* where the next node of its body goes */
    struct tbranch *branch; /* TN_IF: the branch being filled */
    bool in_else;           /* its `else` was seen */
    struct span tag;        /* its opening tag */
};

/** The state of compiling one template. */
struct tbuild {
    struct span *raws;    /* the raw blocks' insides (malloc) */
    size_t nraws;         /* how many */
    size_t raws_cap;      /* allocated */
    struct tmpl *t;       /* what is built */
    struct tnode **tail;  /* top level: where the next node goes */
    struct tblock *stack; /* open blocks (malloc) */
    size_t depth;         /* how many */
    size_t cap;           /* allocated */
};

static struct tnode **build_tail(struct tbuild *b)
{
    return b->depth ? b->stack[b->depth - 1].tail : b->tail;
}

static void build_append(struct tbuild *b, struct tnode *n)
{
    struct tnode **tail = build_tail(b);

    *tail = n;
    if (b->depth)
        b->stack[b->depth - 1].tail = &n->next;
    else
        b->tail = &n->next;
}

static struct tblock *build_push(struct tcomp *c, struct tbuild *b,
                                 struct tnode *n, struct span tag)
{
    struct tblock *stack =
        array_room(b->stack, &b->cap, b->depth, sizeof(*stack), 8);
    struct tblock *blk;

    if (!stack) {
        c->oom = true;
        return NULL;
    }
    /* the block still opens, so that its end matches */
    if (b->depth == TMPL_MAX_DEPTH)
        cerr(c, TERR_UNSUPPORTED, tag.start, tag.end,
             "'if' and 'for' blocks nested more than %d deep are not "
             "supported",
             TMPL_MAX_DEPTH);
    b->stack = stack;
    blk = &b->stack[b->depth++];
    memset(blk, 0, sizeof(*blk));
    blk->node = n;
    blk->tag = tag;
    return blk;
}

static struct tnode *node_new(struct tcomp *c, enum tn_kind kind,
                              struct span span)
{
    struct tnode *n = arena_zalloc(c->a, sizeof(*n));

    if (!n) {
        c->oom = true;
        return NULL;
    }
    n->kind = (uint8_t)kind;
    n->span = span;
    return n;
}

/* Add the literal text [start, end) to the output, with Jinja2's newline
 * normalisation (\r\n and \r become \n). */
static void emit_text(struct tcomp *c, struct tbuild *b, uint32_t start,
                      uint32_t end)
{
    const char *s = c->data + start;
    size_t len = end - start, i, o = 0;
    struct tnode *n;
    char *text;

    if (start >= end)
        return;
    n = node_new(c, TN_TEXT, (struct span){start, end});
    if (!n)
        return;
    if (!memchr(s, '\r', len)) {
        n->text = s;
        n->len = len;
    } else {
        text = arena_alloc(c->a, len);
        if (!text) {
            c->oom = true;
            return;
        }
        for (i = 0; i < len; i++) {
            if (s[i] == '\r') {
                text[o++] = '\n';
                if (i + 1 < len && s[i + 1] == '\n')
                    i++;
            } else {
                text[o++] = s[i];
            }
        }
        n->text = text;
        n->len = o;
    }
    build_append(b, n);
}

/* Text between tags must not hold a tag opener that the parser's lexer
 * passed over (as it does for `${{`): Jinja2 would read a tag there. */
static void check_gap(struct tcomp *c, uint32_t start, uint32_t end)
{
    uint32_t i;

    /* a pair may end on the first byte of the next tag: `${{{ x }}` */
    for (i = start; i < end && i + 1 < c->src->len; i++) {
        const char *s = c->data + i;
        if (s[0] == '{' && (s[1] == '{' || s[1] == '%' || s[1] == '#')) {
            cerr(c, TERR_UNSUPPORTED, i, i + 2,
                 "'%.2s' opens a tag to Jinja2 that the iPXE word rules "
                 "hide %s; %s",
                 s,
                 i > 0 && s[-1] == '$' ? "(after '$', '${' is read first)"
                                       : "(inside '<% %>'?)",
                 i > 0 && s[-1] == '$' ? "write '$' as {{ '$' }}"
                                       : "move it out");
            return;
        }
    }
}

/* Where the tag [s, e) keeps its inside, and its whitespace control. */
struct tagshape {
    uint32_t in_start; /* the inside, without delimiters and signs */
    uint32_t in_end;
    bool strip_before; /* `{%-`: strip the text before */
    bool strip_after;  /* `-%}`: strip the text after */
};

static struct tagshape tag_shape(const char *data, const struct tpart *p)
{
    struct tagshape sh;

    sh.in_start = p->start + 2;
    sh.in_end = p->end - 2;
    sh.strip_before = sh.strip_after = false;
    if (sh.in_start < sh.in_end &&
        (data[sh.in_start] == '-' || data[sh.in_start] == '+')) {
        sh.strip_before = data[sh.in_start] == '-';
        sh.in_start++;
    }
    if (sh.in_end > sh.in_start &&
        (data[sh.in_end - 1] == '-' ||
         (data[sh.in_end - 1] == '+' && p->kind != AST_PART_TMPL_EXPR))) {
        sh.strip_after = data[sh.in_end - 1] == '-';
        sh.in_end--;
    }
    return sh;
}

/* Whether [s, e) is `\s*word\s*` (Python whitespace). */
static bool inside_is(const char *data, uint32_t s, uint32_t e,
                      const char *word)
{
    size_t n = strlen(word);

    s += (uint32_t)py_space_prefix(data + s, e - s);
    e = s + (uint32_t)py_rstrip_len(data + s, e - s);
    return e - s == n && memcmp(data + s, word, n) == 0;
}

/* Find Jinja2's end of a raw block from @p from: `{%[-+]?\s*endraw\s*`
 * then `+%}`, `-%}` or `%}`.  Sets where it starts and ends and whether
 * it strips before or after. */
static bool find_endraw(const char *data, uint32_t from, uint32_t len,
                        uint32_t *at, uint32_t *end, bool *lstrip, bool *rstrip)
{
    uint32_t i, j;

    for (i = from; i + 1 < len; i++) {
        if (data[i] != '{' || data[i + 1] != '%')
            continue;
        j = i + 2;
        *lstrip = j < len && data[j] == '-';
        if (j < len && (data[j] == '-' || data[j] == '+'))
            j++;
        j += (uint32_t)py_space_prefix(data + j, len - j);
        if (len - j < 6 || memcmp(data + j, "endraw", 6) != 0)
            continue;
        j += 6;
        j += (uint32_t)py_space_prefix(data + j, len - j);
        *rstrip = false;
        if (len - j >= 3 && (data[j] == '+' || data[j] == '-') &&
            data[j + 1] == '%' && data[j + 2] == '}') {
            *rstrip = data[j] == '-';
            j += 3;
        } else if (len - j >= 2 && data[j] == '%' && data[j + 1] == '}') {
            j += 2;
        } else {
            continue;
        }
        *at = i;
        *end = j;
        return true;
    }
    return false;
}

/* Statements Jinja2 knows that the subset leaves out. */
static const char *const unsupported_tags[] = {
    "block",         "endblock", "extends", "print",  "macro",     "endmacro",
    "include",       "from",     "import",  "with",   "endwith",   "autoescape",
    "endautoescape", "call",     "endcall", "filter", "endfilter", "endset",
    "break",         "continue", "do",      "trans",  "endtrans",  "pluralize",
};

/* Assignment targets: a name or a tuple of names (not true/false/none). */
static bool targets_of(struct tparse *p, struct texpr *x, struct tnode *n)
{
    uint32_t k, count = x->kind == TX_LIST && x->sub ? x->nargs : 1;

    n->unpack = x->kind == TX_LIST && x->sub;
    n->targets = arena_alloc(p->c->a, (count ? count : 1) * sizeof(char *));
    if (!n->targets) {
        perr(p, TERR_SYNTAX, x->span, "out of memory");
        return false;
    }
    n->ntargets = count;
    for (k = 0; k < count; k++) {
        struct texpr *t = n->unpack ? x->args[k] : x;
        if (t->kind == TX_LIST && t->sub) {
            perr(p, TERR_UNSUPPORTED, t->span,
                 "nested unpacking is not supported");
            return false;
        }
        if (t->kind != TX_NAME) {
            perr(p, TERR_SYNTAX, t->span, "cannot assign to %s",
                 t->kind == TX_CONST ? "a constant" : "an expression");
            return false;
        }
        n->targets[k] = t->name;
    }
    if (!count) {
        perr(p, TERR_SYNTAX, x->span, "cannot assign to an empty tuple");
        return false;
    }
    return true;
}

/* `:` may end a statement before its `%}`, as in Python. */
static bool expect_end(struct tparse *p, bool colon_ok)
{
    if (p->failed)
        return false;
    if (colon_ok && tok_is_op(cur(p), TO_COLON))
        advance(p);
    if (cur(p)->kind != TK_END) {
        perr(p, TERR_SYNTAX, cur(p)->span,
             "expected the end of the tag, "
             "got %s",
             tok_describe(p, cur(p)));
        return false;
    }
    return true;
}

static void compile_print(struct tcomp *c, struct tbuild *b,
                          const struct tpart *part, const struct tagshape *sh)
{
    struct tparse p = {c, 0, false, 0};
    struct span tag = {part->start, part->end};
    struct texpr *x;
    struct tnode *n;

    if (!tag_lex(c, sh->in_start, sh->in_end))
        return;
    x = shallow(&p, parse_tuple(&p, false, true, NULL, false));
    if (!expect_end(&p, false))
        return;
    if (x->kind == TX_LIST && x->sub) {
        cerr(c, TERR_UNSUPPORTED, x->span.start, x->span.end,
             "printing a tuple is not supported");
        return;
    }
    n = node_new(c, TN_PRINT, tag);
    if (!n)
        return;
    n->expr = x;
    buf_truncate(&c->tmp, 0);
    if (expr_names(c, x, &c->tmp)) {
        c->oom = true;
        return;
    }
    if (c->tmp.len) {
        size_t k;
        /* the names go into one-line messages: a path written over
         * several lines reads with spaces */
        for (k = 0; k < c->tmp.len; k++) {
            if (c->tmp.data[k] == '\n' || c->tmp.data[k] == '\r')
                c->tmp.data[k] = ' ';
        }
        n->names = arena_strndup(c->a, c->tmp.data, c->tmp.len);
        if (!n->names)
            c->oom = true;
    }
    build_append(b, n);
}

/* The `{% if %}` or `{% for %}` that @p word continues or ends, or NULL
 * after reporting that it does not match. */
static struct tblock *open_block(struct tcomp *c, struct tbuild *b,
                                 const struct ttok *word, enum tn_kind kind,
                                 bool else_ok)
{
    struct tblock *blk = b->depth ? &b->stack[b->depth - 1] : NULL;

    if (!blk || blk->node->kind != kind || (blk->in_else && !else_ok)) {
        const char *want = "nothing";
        if (blk && blk->node->kind == TN_IF)
            want = blk->in_else ? "'endif'" : "'elif', 'else' or 'endif'";
        else if (blk)
            want = blk->in_else ? "'endfor'" : "'else' or 'endfor'";
        cerr(c, TERR_SYNTAX, word->span.start, word->span.end,
             "unexpected '%.*s' (expected %s here)",
             (int)(word->span.end - word->span.start),
             c->data + word->span.start, want);
        return NULL;
    }
    return blk;
}

static void compile_if(struct tcomp *c, struct tbuild *b, struct tparse *p,
                       struct span tag)
{
    struct tnode *n = node_new(c, TN_IF, tag);
    struct tbranch *br = arena_zalloc(c->a, sizeof(*br));
    struct tblock *blk;

    if (!n || !br) {
        c->oom = true;
        return;
    }
    advance(p);
    br->cond = shallow(p, parse_tuple(p, false, false, NULL, false));
    expect_end(p, true);
    n->branches = br;
    build_append(b, n);
    /* even a broken `if` opens a block, so its `endif` still matches */
    blk = build_push(c, b, n, tag);
    if (!blk)
        return;
    blk->branch = br;
    blk->tail = &br->body;
}

static void compile_for(struct tcomp *c, struct tbuild *b, struct tparse *p,
                        struct span tag)
{
    struct tnode *n = node_new(c, TN_FOR, tag);
    struct texpr *target;
    struct tblock *blk;

    if (!n)
        return;
    build_append(b, n);
    blk = build_push(c, b, n, tag);
    if (!blk)
        return;
    blk->tail = &n->body;
    advance(p);
    target = parse_tuple(p, true, true, "in", false);
    if (!target || !targets_of(p, target, n))
        return;
    if (!tok_is_name(cur(p), "in")) {
        perr(p, TERR_SYNTAX, cur(p)->span, "expected 'in', got %s",
             tok_describe(p, cur(p)));
        return;
    }
    advance(p);
    n->expr = shallow(p, parse_tuple(p, false, false, "recursive", false));
    if (!p->failed && tok_is_name(cur(p), "if")) {
        advance(p);
        n->filter = shallow(p, parse_expression(p, true));
    }
    if (!p->failed && tok_is_name(cur(p), "recursive")) {
        perr(p, TERR_UNSUPPORTED, cur(p)->span,
             "recursive loops are not supported");
        return;
    }
    expect_end(p, true);
}

static void compile_set(struct tcomp *c, struct tbuild *b, struct tparse *p,
                        struct span tag)
{
    struct tnode *n = node_new(c, TN_SET, tag);
    struct texpr *target;

    if (!n)
        return;
    advance(p);
    if (cur(p)->kind == TK_NAME && tok_is_op(look(p), TO_DOT)) {
        perr(p, TERR_UNSUPPORTED, cur(p)->span,
             "namespace assignments are not supported");
        return;
    }
    target = parse_tuple(p, true, true, NULL, false);
    if (!target || !targets_of(p, target, n))
        return;
    if (!tok_is_op(cur(p), TO_ASSIGN)) {
        perr(p, TERR_UNSUPPORTED, cur(p)->span,
             "block assignments ({%% set x %%}...{%% endset %%}) are not "
             "supported");
        return;
    }
    advance(p);
    n->expr = shallow(p, parse_tuple(p, false, true, NULL, false));
    if (expect_end(p, false))
        build_append(b, n);
}

static void compile_stmt(struct tcomp *c, struct tbuild *b,
                         const struct tpart *part, const struct tagshape *sh)
{
    struct tparse p = {c, 0, false, 0};
    struct span tag = {part->start, part->end};
    const struct ttok *w;
    struct tblock *blk;
    size_t k;

    if (!tag_lex(c, sh->in_start, sh->in_end))
        return;
    w = cur(&p);
    if (w->kind != TK_NAME) {
        perr(&p, TERR_SYNTAX, w->span, "expected a tag name, got %s",
             tok_describe(&p, w));
        return;
    }
    if (tok_is_name(w, "if")) {
        compile_if(c, b, &p, tag);
    } else if (tok_is_name(w, "for")) {
        compile_for(c, b, &p, tag);
    } else if (tok_is_name(w, "set")) {
        compile_set(c, b, &p, tag);
    } else if (tok_is_name(w, "elif")) {
        blk = open_block(c, b, w, TN_IF, false);
        if (!blk)
            return;
        blk->branch->next = arena_zalloc(c->a, sizeof(struct tbranch));
        if (!blk->branch->next) {
            c->oom = true;
            return;
        }
        blk->branch = blk->branch->next;
        blk->tail = &blk->branch->body;
        advance(&p);
        blk->branch->cond =
            shallow(&p, parse_tuple(&p, false, false, NULL, false));
        expect_end(&p, true);
    } else if (tok_is_name(w, "else")) {
        blk = b->depth ? &b->stack[b->depth - 1] : NULL;
        blk = open_block(c, b, w, blk ? (enum tn_kind)blk->node->kind : TN_IF,
                         false);
        if (!blk)
            return;
        blk->in_else = true;
        blk->tail = &blk->node->else_body;
        advance(&p);
        expect_end(&p, true);
    } else if (tok_is_name(w, "endif") || tok_is_name(w, "endfor")) {
        blk =
            open_block(c, b, w, tok_is_name(w, "endif") ? TN_IF : TN_FOR, true);
        if (!blk)
            return;
        b->depth--;
        advance(&p);
        expect_end(&p, false);
    } else {
        for (k = 0; k < sizeof(unsupported_tags) / sizeof(char *); k++) {
            if (tok_is_name(w, unsupported_tags[k]))
                break;
        }
        if (k < sizeof(unsupported_tags) / sizeof(char *))
            perr(&p, TERR_UNSUPPORTED, w->span,
                 "the tag '%s' is not supported (the subset has if, elif, "
                 "else, endif, for, endfor, set and raw)",
                 unsupported_tags[k]);
        else
            perr(&p, TERR_SYNTAX, w->span, "unknown tag '%.*s'", (int)w->len,
                 w->s);
    }
}

/* A `{% raw %}` tag: copy the text up to its `{% endraw %}` verbatim.
 * Returns where the text after the block starts (0 after an error). */
static uint32_t compile_raw(struct tcomp *c, struct tbuild *b,
                            const struct tpart *part, const struct tagshape *sh)
{
    const char *data = c->data;
    uint32_t len = (uint32_t)c->src->len, from = part->end, at, end;
    struct span *r;
    bool lstrip, rstrip;

    if (sh->strip_after)
        from += (uint32_t)py_space_prefix(data + from, len - from);
    if (!find_endraw(data, from, len, &at, &end, &lstrip, &rstrip)) {
        cerr(c, TERR_SYNTAX, part->start, part->end,
             "'{%% raw %%}' is never closed by '{%% endraw %%}'");
        return 0;
    }
    emit_text(c, b, from,
              lstrip ? from + (uint32_t)py_rstrip_len(data + from, at - from)
                     : at);
    r = array_room(b->raws, &b->raws_cap, b->nraws, sizeof(*r), 4);
    if (!r) {
        c->oom = true;
        return 0;
    }
    b->raws = r;
    b->raws[b->nraws].start = part->end;
    b->raws[b->nraws++].end = at;
    if (rstrip)
        end += (uint32_t)py_space_prefix(data + end, len - end);
    return end;
}

/* ---- compiling: which frame holds each name (jinja2/idtracking.py) ---- */

/** One name of a symbol table being built. */
struct syment {
    const char *name;                 /* the name */
    bool is_store;                    /* assigned in this frame */
    uint8_t load;                     /* enum tload */
    const struct tframe *alias_frame; /* LOAD_ALIAS: where from */
    uint32_t alias_slot;              /* LOAD_ALIAS: which slot */
};

/** Jinja2's Symbols for one frame, while its nodes are visited. */
struct symtab {
    const struct tframe *parent; /* the enclosing frame (final) */
    struct syment *v;            /* the names (malloc) */
    size_t n;                    /* used */
    size_t cap;                  /* allocated */
    bool *oom;                   /* set when memory runs out */
};

static struct syment *sym_local(const struct symtab *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    }
    return NULL;
}

static struct syment *sym_add(struct symtab *t, const char *name,
                              enum tload load)
{
    struct syment *v = array_room(t->v, &t->cap, t->n, sizeof(*v), 16);
    struct syment *e;

    if (!v) {
        *t->oom = true;
        return NULL;
    }
    t->v = v;
    e = &t->v[t->n++];
    memset(e, 0, sizeof(*e));
    e->name = name;
    e->load = (uint8_t)load;
    return e;
}

/* The innermost frame from @p f up that holds @p name (find_ref). */
static bool frame_find(const struct tframe *f, const char *name,
                       const struct tframe **where, uint32_t *slot)
{
    uint32_t i;

    for (; f; f = f->parent) {
        for (i = 0; i < f->nsyms; i++) {
            if (strcmp(f->syms[i].name, name) == 0) {
                *where = f;
                *slot = i;
                return true;
            }
        }
    }
    return false;
}

static void sym_load(struct symtab *t, const char *name)
{
    const struct tframe *f;
    uint32_t slot;

    if (!sym_local(t, name) && !frame_find(t->parent, name, &f, &slot))
        sym_add(t, name, LOAD_RESOLVE);
}

static void sym_store(struct symtab *t, const char *name)
{
    struct syment *e = sym_local(t, name);
    const struct tframe *f;
    uint32_t slot;

    if (!e) {
        if (frame_find(t->parent, name, &f, &slot)) {
            e = sym_add(t, name, LOAD_ALIAS);
            if (e) {
                e->alias_frame = f;
                e->alias_slot = slot;
            }
        } else {
            e = sym_add(t, name, LOAD_UNDEFINED);
        }
    }
    if (e)
        e->is_store = true;
}

static void sym_param(struct symtab *t, const char *name)
{
    struct syment *e = sym_local(t, name);

    if (!e)
        e = sym_add(t, name, LOAD_PARAM);
    if (e) {
        e->load = LOAD_PARAM;
        e->is_store = true;
    }
}

static bool sym_copy(const struct symtab *t, struct symtab *out)
{
    *out = *t;
    out->cap = t->n ? t->n : 1;
    out->v = malloc(out->cap * sizeof(*out->v));
    if (!out->v) {
        *t->oom = true;
        out->n = 0;
        return false;
    }
    if (t->n)
        memcpy(out->v, t->v, t->n * sizeof(*t->v));
    return true;
}

/* Merge the three branches of an `if` (body, elifs, else) back, as
 * Symbols.branch_update does: a name assigned in some branches only is
 * read from outside at the frame's start. */
static void sym_branch_update(struct symtab *t, struct symtab br[3])
{
    struct {
        const char *name;
        int count;
    } * cnt;
    size_t ncnt = 0, i, k, total = br[0].n + br[1].n + br[2].n;

    cnt = calloc(total + 1, sizeof(*cnt));
    if (!cnt) {
        *t->oom = true;
        return;
    }
    for (k = 0; k < 3; k++) {
        for (i = 0; i < br[k].n; i++) {
            const struct syment *e = &br[k].v[i], *mine;
            size_t c;
            if (!e->is_store)
                continue;
            mine = sym_local(t, e->name);
            if (mine && mine->is_store)
                continue;
            for (c = 0; c < ncnt && strcmp(cnt[c].name, e->name); c++)
                ;
            if (c == ncnt)
                cnt[ncnt++].name = e->name;
            cnt[c].count++;
        }
    }
    for (k = 0; k < 3; k++) {
        for (i = 0; i < br[k].n; i++) {
            const struct syment *e = &br[k].v[i];
            struct syment *mine = sym_local(t, e->name);
            bool store = e->is_store || (mine && mine->is_store);
            if (!mine)
                mine = sym_add(t, e->name, (enum tload)e->load);
            if (!mine)
                break;
            *mine = *e;
            mine->is_store = store;
        }
    }
    for (i = 0; i < ncnt; i++) {
        struct syment *e = sym_local(t, cnt[i].name);
        const struct tframe *f;
        uint32_t slot;
        if (cnt[i].count == 3 || !e)
            continue;
        if (frame_find(t->parent, cnt[i].name, &f, &slot)) {
            e->load = LOAD_ALIAS;
            e->alias_frame = f;
            e->alias_slot = slot;
        } else {
            e->load = LOAD_RESOLVE;
        }
    }
    free(cnt);
}

static void analyze_expr(struct symtab *t, const struct texpr *x)
{
    uint32_t k;

    if (!x)
        return;
    if (x->kind == TX_NAME)
        sym_load(t, x->name);
    analyze_expr(t, x->a);
    analyze_expr(t, x->b);
    analyze_expr(t, x->c);
    for (k = 0; x->args && k < x->nargs; k++)
        analyze_expr(t, x->args[k]);
}

static void analyze_nodes(struct symtab *t, const struct tnode *n);

/* One `elif` is an `if` of its own inside the elif branch. */
static void analyze_if(struct symtab *t, const struct tbranch *br,
                       const struct tnode *else_body, bool single)
{
    struct symtab b[3];
    const struct tbranch *e;
    int k;

    analyze_expr(t, br->cond);
    for (k = 0; k < 3; k++) {
        if (!sym_copy(t, &b[k])) {
            while (k-- > 0)
                free(b[k].v);
            return;
        }
    }
    analyze_nodes(&b[0], br->body);
    for (e = single ? NULL : br->next; e; e = e->next)
        analyze_if(&b[1], e, NULL, true);
    if (!single)
        analyze_nodes(&b[2], else_body);
    sym_branch_update(t, b);
    for (k = 0; k < 3; k++)
        free(b[k].v);
}

static void analyze_nodes(struct symtab *t, const struct tnode *n)
{
    uint32_t k;

    for (; n; n = n->next) {
        switch (n->kind) {
        case TN_PRINT:
            analyze_expr(t, n->expr);
            break;
        case TN_SET:
            analyze_expr(t, n->expr);
            for (k = 0; k < n->ntargets; k++)
                sym_store(t, n->targets[k]);
            break;
        case TN_IF:
            analyze_if(t, n->branches, n->else_body, false);
            break;
        case TN_FOR:
            analyze_expr(t, n->expr);
            break;
        default:
            break;
        }
    }
}

/* Names Jinja2 defines globally: a template that reads one (when the
 * variables do not) would get a Python function. */
static const char *const jinja_globals[] = {
    "range", "dict", "lipsum", "cycler", "joiner", "namespace", NULL};

/* The final frame of table @p t, in the arena. */
static struct tframe *frame_finish(struct tcomp *c, struct symtab *t)
{
    struct tframe *f = arena_zalloc(c->a, sizeof(*f));
    size_t i;

    if (!f || (t->n && !(f->syms = arena_alloc(c->a, t->n * sizeof(*f->syms)))))
        goto oom;
    f->parent = t->parent;
    f->nsyms = (uint32_t)t->n;
    for (i = 0; i < t->n; i++) {
        f->syms[i].name = t->v[i].name;
        f->syms[i].load = t->v[i].load;
        f->syms[i].global =
            t->v[i].load == LOAD_RESOLVE &&
            in_list(jinja_globals, t->v[i].name, strlen(t->v[i].name));
        f->syms[i].alias_frame = t->v[i].alias_frame;
        f->syms[i].alias_slot = t->v[i].alias_slot;
    }
    free(t->v);
    t->v = NULL;
    return f;
oom:
    free(t->v);
    t->v = NULL;
    c->oom = true;
    return NULL;
}

static void resolve_expr(struct tcomp *c, const struct tframe *f,
                         struct texpr *x)
{
    uint32_t k;

    if (!x)
        return;
    if (x->kind == TX_NAME && !frame_find(f, x->name, &x->frame, &x->slot))
        cerr(c, TERR_SYNTAX, x->span.start, x->span.end,
             "internal error: '%s' has no frame", x->name);
    resolve_expr(c, f, x->a);
    resolve_expr(c, f, x->b);
    resolve_expr(c, f, x->c);
    for (k = 0; x->args && k < x->nargs; k++)
        resolve_expr(c, f, x->args[k]);
}

/* The slots of @p n's targets in frame @p f (which holds them all). */
static uint32_t *target_slots(struct tcomp *c, const struct tframe *f,
                              const struct tnode *n)
{
    uint32_t *slots = arena_alloc(c->a, n->ntargets * sizeof(*slots));
    const struct tframe *where;
    uint32_t k;

    if (!slots) {
        c->oom = true;
        return NULL;
    }
    for (k = 0; k < n->ntargets; k++) {
        if (!frame_find(f, n->targets[k], &where, &slots[k]) || where != f)
            cerr(c, TERR_SYNTAX, n->span.start, n->span.end,
                 "internal error: '%s' is not in its frame", n->targets[k]);
    }
    return slots;
}

static void resolve_nodes(struct tcomp *c, const struct tframe *f,
                          struct tnode *n, bool in_loop);

/* A loop's frames: its body's, its `else`'s and its filter's. */
static void resolve_for(struct tcomp *c, const struct tframe *f,
                        struct tnode *n)
{
    struct symtab t = {f, NULL, 0, 0, &c->oom};
    uint32_t k, loop_slot;
    const struct tframe *where;

    for (k = 0; k < n->ntargets; k++) {
        if (strcmp(n->targets[k], "loop") == 0) {
            cerr(c, TERR_SYNTAX, n->span.start, n->span.end,
                 "cannot assign to the special loop variable 'loop'");
            return;
        }
    }
    resolve_expr(c, f, n->expr);
    /* the body: the targets and `loop` are its parameters */
    sym_param(&t, "loop");
    for (k = 0; k < n->ntargets; k++)
        sym_param(&t, n->targets[k]);
    analyze_nodes(&t, n->body);
    n->body_frame = frame_finish(c, &t);
    if (!n->body_frame)
        return;
    n->slots = target_slots(c, n->body_frame, n);
    if (frame_find(n->body_frame, "loop", &where, &loop_slot))
        n->loop_slot = loop_slot;
    resolve_nodes(c, n->body_frame, n->body, true);
    if (n->else_body) {
        struct symtab e = {f, NULL, 0, 0, &c->oom};
        analyze_nodes(&e, n->else_body);
        n->else_frame = frame_finish(c, &e);
        if (n->else_frame)
            resolve_nodes(c, n->else_frame, n->else_body, true);
    }
    if (n->filter) {
        struct symtab e = {f, NULL, 0, 0, &c->oom};
        for (k = 0; k < n->ntargets; k++)
            sym_param(&e, n->targets[k]);
        analyze_expr(&e, n->filter);
        n->test_frame = frame_finish(c, &e);
        if (!n->test_frame)
            return;
        n->test_slots = target_slots(c, n->test_frame, n);
        resolve_expr(c, n->test_frame, n->filter);
    }
}

static void resolve_nodes(struct tcomp *c, const struct tframe *f,
                          struct tnode *n, bool in_loop)
{
    struct tbranch *br;
    uint32_t k;

    for (; n && !c->oom; n = n->next) {
        switch (n->kind) {
        case TN_PRINT:
            resolve_expr(c, f, n->expr);
            break;
        case TN_SET:
            for (k = 0; in_loop && k < n->ntargets; k++) {
                if (strcmp(n->targets[k], "loop") == 0)
                    cerr(c, TERR_SYNTAX, n->span.start, n->span.end,
                         "cannot assign to the special loop variable "
                         "'loop'");
            }
            resolve_expr(c, f, n->expr);
            n->slots = target_slots(c, f, n);
            break;
        case TN_IF:
            for (br = n->branches; br; br = br->next) {
                resolve_expr(c, f, br->cond);
                resolve_nodes(c, f, br->body, in_loop);
            }
            resolve_nodes(c, f, n->else_body, in_loop);
            break;
        case TN_FOR:
            resolve_for(c, f, n);
            break;
        default:
            break;
        }
    }
}

/* Decide, for every name, which frame holds it and how it starts. */
static void resolve_template(struct tcomp *c, struct tmpl *t)
{
    struct symtab top = {NULL, NULL, 0, 0, &c->oom};

    analyze_nodes(&top, t->body);
    t->frame = frame_finish(c, &top);
    if (t->frame)
        resolve_nodes(c, t->frame, t->body, false);
}

int tmpl_compile(struct source *src, struct arena *a, struct diag_list *d,
                 struct tmpl **out)
{
    struct tcomp c;
    struct tbuild b;
    struct ast_script *tree;
    struct pvec parts = {0};
    size_t ndiags = d->len, nparse = d->len, i, bad;
    uint32_t pos = 0;
    bool strip_next = false, raw_open = false;
    int rc;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    memset(&b, 0, sizeof(b));
    c.src = src;
    c.data = src->data;
    c.a = a;
    c.d = d;
    buf_init(&c.tmp, BUF_MAX_UNLIMITED);
    b.t = arena_zalloc(a, sizeof(*b.t));
    if (!b.t)
        return -ENOMEM;
    b.t->src = src;
    b.tail = &b.t->body;

    /* Jinja2 reads text, so a template must be UTF-8 */
    bad = utf8_check((const unsigned char *)src->data, src->len);
    if (bad < src->len) {
        cerr(&c, TERR_UNSUPPORTED, (uint32_t)bad, (uint32_t)bad + 1,
             "the template is not valid UTF-8 (byte 0x%02x)",
             (unsigned char)src->data[bad]);
        goto done;
    }
    rc = parse_source(src, PARSE_TEMPLATE, a, d, &tree);
    if (rc) {
        c.oom = true;
        goto done;
    }
    nparse = d->len;
    if (parts_of_tree(tree, &parts)) {
        c.oom = true;
        goto done;
    }

    for (i = 0; i < parts.n && !c.oom; i++) {
        const struct tpart *p = &parts.v[i];
        struct tagshape sh = tag_shape(c.data, p);
        uint32_t text_start = pos, text_end = p->start;

        if (p->start < pos) {
            if (p->end > pos)
                cerr(&c, TERR_SYNTAX, p->start, p->end,
                     "this tag runs across the end of a raw block");
            continue; /* inside a raw block */
        }
        check_gap(&c, pos, p->start);
        if (strip_next)
            text_start += (uint32_t)py_space_prefix(c.data + text_start,
                                                    text_end - text_start);
        if (sh.strip_before)
            text_end =
                text_start + (uint32_t)py_rstrip_len(c.data + text_start,
                                                     text_end - text_start);
        emit_text(&c, &b, text_start, text_end);
        strip_next = sh.strip_after;
        pos = p->end;

        if (p->kind == AST_PART_TMPL_COMMENT) {
            /* Jinja2 ends a comment at the first '#}', quotes or not */
            const char *close = NULL;
            uint32_t k;
            for (k = p->start + 2; k + 1 < p->end; k++) {
                if (c.data[k] == '#' && c.data[k + 1] == '}') {
                    close = c.data + k;
                    break;
                }
            }
            if (close && close + 2 != c.data + p->end)
                cerr(&c, TERR_UNSUPPORTED, p->start, p->end,
                     "a quote inside this comment hides its first '#}'; "
                     "Jinja2 would end the comment there");
        } else if (p->kind == AST_PART_TMPL_EXPR) {
            compile_print(&c, &b, p, &sh);
        } else if (inside_is(c.data, sh.in_start, sh.in_end, "raw") &&
                   c.data[p->end - 3] != '+') {
            pos = compile_raw(&c, &b, p, &sh);
            strip_next = false;
            if (!pos) {
                raw_open = true;
                break;
            }
        } else {
            compile_stmt(&c, &b, p, &sh);
        }
    }
    if (!raw_open && !c.oom) {
        uint32_t text_start = pos;
        check_gap(&c, pos, (uint32_t)src->len);
        if (strip_next)
            text_start += (uint32_t)py_space_prefix(
                c.data + text_start, (uint32_t)src->len - text_start);
        emit_text(&c, &b, text_start, (uint32_t)src->len);
    }
    while (b.depth && !c.oom) {
        struct tblock *blk = &b.stack[--b.depth];
        cerr(&c, TERR_SYNTAX, blk->tag.start, blk->tag.end,
             "this '%s' is never closed by '%s'",
             blk->node->kind == TN_IF ? "if" : "for",
             blk->node->kind == TN_IF ? "endif" : "endfor");
    }
    /* the parser's IPX4001 stand, except for a tag opened inside a raw
     * block, which is only text to Jinja2 (what follows it on its line
     * is then checked as text: an opener there is an error) */
    for (i = ndiags; i < nparse && !c.oom; i++) {
        size_t k;
        uint32_t at = d->items[i].span.start;
        /* an ERB tag `<%` is text to Jinja2, never closed or not */
        bool in_raw =
            at + 1 < src->len && c.data[at] == '<' && c.data[at + 1] == '%';
        for (k = 0; k < b.nraws; k++)
            in_raw |= at >= b.raws[k].start && at < b.raws[k].end;
        if (in_raw) {
            memmove(&d->items[i], &d->items[i + 1],
                    (d->len - i - 1) * sizeof(d->items[0]));
            d->len--;
            nparse--;
            i--;
        } else {
            c.failed = true;
        }
    }
    if (!c.failed && !c.oom)
        resolve_template(&c, b.t);

done:
    free(parts.v);
    free(b.raws);
    free(b.stack);
    free(c.toks);
    buf_release(&c.tmp);
    if (c.oom)
        return -ENOMEM;
    if (c.failed)
        return -EINVAL;
    *out = b.t;
    return 0;
}

/* ---- rendering: values ---- */

/** A frame while it renders: one per loop iteration. */
struct tinst {
    const struct tframe *def; /* its names */
    struct tinst *up;         /* the enclosing frame, or NULL */
    struct tv *slots;         /* their values (scratch arena) */
};

/* What a rendering may hold in values it makes (strings, lists, each loop
 * iteration's names: they live in the scratch arena until it ends), in
 * multiples of its output's maximum: a loop or a value that grows without
 * end must not eat the machine, whether it prints or not. */
#define TMPL_SCRATCH_PER_OUTPUT 16

struct trender {
    const char *data;      /* the template's bytes */
    const json_t *vars;    /* the variables */
    struct tmpl_output *o; /* where the output goes */
    struct arena *s;       /* scratch: values made while rendering */
    size_t budget;         /* bytes of values it may make in s */
    size_t used;           /* bytes of values made so far */
    struct span at;        /* the node rendering, for an error of budget */
    struct diag_list *d;   /* the error, if any */
    struct tinst *inst;    /* the innermost frame */
    int rc;                /* 0, or why rendering stopped */
};

static bool rerr(struct trender *r, enum terr kind, struct span sp,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Report the error that stops rendering; always returns false. */
static bool rerr(struct trender *r, enum terr kind, struct span sp,
                 const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    size_t i, n;
    int len;

    if (r->rc)
        return false;
    va_start(ap, fmt);
    len = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* a message is one line of UTF-8, and what it quotes (template text,
     * a key) may hold a line break, or be cut short in a character */
    n = len < 0 ? 0 : (size_t)len;
    if (n >= sizeof(msg))
        n = utf8_cut(msg, sizeof(msg) - 1);
    msg[n] = '\0';
    for (i = 0; i < n; i++) {
        if (msg[i] == '\n' || msg[i] == '\r')
            msg[i] = ' ';
    }
    r->rc = -EINVAL;
    if (!diag_add(r->d, DIAG_ERROR, terr_info[kind].code, terr_info[kind].name,
                  sp, "%s", msg))
        r->rc = -ENOMEM;
    return false;
}

static bool oom(struct trender *r)
{
    if (!r->rc)
        r->rc = -ENOMEM;
    return false;
}

/* Bytes the values made from now on may still take (counted here, not
 * by the arena, whose blocks depend on what it held before). */
static size_t scratch_left(const struct trender *r)
{
    return r->budget - r->used;
}

/* Stop: the values would pass the budget (always returns false). */
static bool too_big(struct trender *r)
{
    return rerr(r, TERR_UNSUPPORTED, r->at,
                "rendering needs more than %zu MiB for its values (a loop "
                "or a value that grows without end?)",
                r->budget >> 20);
}

/* The error of a buffer that could not grow: the budget, or memory. */
static bool buf_error(struct trender *r, int rc)
{
    return rc == -E2BIG ? too_big(r) : oom(r);
}

static void *salloc(struct trender *r, size_t n)
{
    void *p;

    if (n >= scratch_left(r)) {
        too_big(r);
        return NULL;
    }
    r->used += n + 1;
    p = arena_alloc(r->s, n ? n : 1);
    if (!p)
        oom(r);
    return p;
}

/* A NUL-terminated copy of @p len bytes of @p s, in the scratch arena. */
static char *sstrndup(struct trender *r, const char *s, size_t len)
{
    char *p = salloc(r, len + 1);

    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* The template text of @p sp, for messages (at most 60 bytes, not cutting
 * a character in two). */
static const char *span_text(const struct trender *r, struct span sp, int *len)
{
    size_t n = sp.end - sp.start;

    *len = (int)utf8_prefix(r->data + sp.start, n, 60);
    return r->data + sp.start;
}

static bool undefined_error(struct trender *r, const struct tv *v,
                            struct span where)
{
    int n;
    const char *s = span_text(r, v->u.undef, &n);

    if (v->u.undef.start == v->u.undef.end)
        return rerr(r, TERR_UNDEFINED, where, "a value is undefined");
    return rerr(r, TERR_UNDEFINED, where,
                "'%.*s' is undefined (give it a value, or write "
                "'| default(...)')",
                n, s);
}

static void tv_from_json(const json_t *j, struct tv *v)
{
    memset(v, 0, sizeof(*v));
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        v->kind = TV_DICT;
        v->json = j;
        break;
    case JSON_ARRAY:
        v->kind = TV_LIST;
        v->json = j;
        break;
    case JSON_STRING:
        v->kind = TV_STR;
        v->u.str.s = json_string_value(j);
        v->u.str.len = json_string_length(j);
        break;
    case JSON_INTEGER:
        v->kind = TV_INT;
        v->u.i = (int64_t)json_integer_value(j);
        break;
    case JSON_REAL:
        v->kind = TV_FLOAT;
        v->u.f = json_real_value(j);
        break;
    case JSON_TRUE:
        v->kind = TV_BOOL;
        v->u.b = true;
        break;
    case JSON_FALSE:
        v->kind = TV_BOOL;
        break;
    default:
        v->kind = TV_NONE;
        break;
    }
}

static void tv_undef(struct tv *v, struct span sp)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_UNDEF;
    v->u.undef = sp;
}

static void tv_str_set(struct tv *v, const char *s, size_t len)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_STR;
    v->u.str.s = s;
    v->u.str.len = len;
}

static void tv_int_set(struct tv *v, int64_t i)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_INT;
    v->u.i = i;
}

static void tv_bool_set(struct tv *v, bool b)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_BOOL;
    v->u.b = b;
}

/* Python's name for the type of @p v, for messages. */
static const char *tv_type(const struct tv *v)
{
    switch (v->kind) {
    case TV_NONE:
        return "NoneType";
    case TV_BOOL:
        return "bool";
    case TV_INT:
        return "int";
    case TV_FLOAT:
        return "float";
    case TV_STR:
        return "str";
    case TV_LIST:
        return v->is_tuple ? "tuple" : "list";
    case TV_DICT:
        return "dict";
    case TV_ITEMS:
        return "dict_items";
    case TV_LOOP:
        return "LoopContext";
    default:
        return "Undefined";
    }
}

static size_t tv_list_len(const struct tv *v)
{
    return v->json ? json_array_size(v->json) : v->u.list->n;
}

static void tv_list_get(const struct tv *v, size_t i, struct tv *out)
{
    if (v->json)
        tv_from_json(json_array_get(v->json, i), out);
    else
        *out = v->u.list->items[i];
}

/* A tuple of two, for `.items()`. */
static bool tv_pair(struct trender *r, const char *key, const json_t *val,
                    struct tv *out)
{
    struct tlist *l = salloc(r, sizeof(*l));
    struct tv *items = salloc(r, 2 * sizeof(*items));

    if (!l || !items)
        return false;
    tv_str_set(&items[0], key, strlen(key));
    tv_from_json(val, &items[1]);
    l->n = 2;
    l->items = items;
    memset(out, 0, sizeof(*out));
    out->kind = TV_LIST;
    out->is_tuple = true;
    out->u.list = l;
    return true;
}

/* The items iterating over @p v gives, as Python iterates: a list's
 * items, a string's characters, a mapping's keys, `.items()`'s pairs. */
static bool tv_iterate(struct trender *r, const struct tv *v, struct span where,
                       struct tv **items, size_t *n)
{
    size_t i, count;
    struct tv *out;

    switch (v->kind) {
    case TV_LIST:
        count = tv_list_len(v);
        if (!v->json) {
            *items = v->u.list->items;
            *n = count;
            return true;
        }
        out = salloc(r, count * sizeof(*out));
        if (!out)
            return false;
        for (i = 0; i < count; i++)
            tv_list_get(v, i, &out[i]);
        break;
    case TV_STR: {
        const char *s = v->u.str.s;
        size_t len = v->u.str.len, at = 0;
        count = utf8_count(s, len);
        out = salloc(r, count * sizeof(*out));
        if (!out)
            return false;
        for (i = 0; i < count; i++) {
            size_t l = utf8_len((unsigned char)s[at]);
            tv_str_set(&out[i], s + at, l);
            at += l;
        }
        break;
    }
    case TV_DICT:
    case TV_ITEMS: {
        const char *key;
        json_t *val;
        count = json_object_size(v->json);
        out = salloc(r, count * sizeof(*out));
        if (!out)
            return false;
        i = 0;
        json_object_foreach((json_t *)v->json, key, val)
        {
            if (v->kind == TV_DICT)
                tv_str_set(&out[i], key, strlen(key));
            else if (!tv_pair(r, key, val, &out[i]))
                return false;
            i++;
        }
        break;
    }
    case TV_UNDEF:
        return undefined_error(r, v, where);
    default:
        return rerr(r, TERR_TYPE, where, "'%s' object is not iterable",
                    tv_type(v));
    }
    *items = out;
    *n = count;
    return true;
}

/* Python's str() of @p v.  A null, a list, a mapping or a float is
 * refused: Jinja2 would print 'None' or a Python repr. */
static bool tv_str(struct trender *r, const struct tv *v, struct span where,
                   const char **s, size_t *len)
{
    char tmp[32];
    int n;

    switch (v->kind) {
    case TV_STR:
        *s = v->u.str.s;
        *len = v->u.str.len;
        return true;
    case TV_BOOL:
        *s = v->u.b ? "True" : "False";
        *len = strlen(*s);
        return true;
    case TV_INT: {
        /* digits from the right: this runs for every number printed */
        uint64_t u = v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
        char *end = tmp + sizeof(tmp), *p = end;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v->u.i < 0)
            *--p = '-';
        n = (int)(end - p);
        *s = sstrndup(r, p, (size_t)n);
        *len = (size_t)n;
        return *s != NULL;
    }
    case TV_NONE:
        return rerr(r, TERR_NULL, where,
                    "a null value would be written as 'None' (test it with "
                    "'is none', or write '| default(..., true)')");
    case TV_UNDEF:
        return undefined_error(r, v, where);
    default:
        return rerr(r, TERR_UNSUPPORTED, where,
                    "a %s cannot be written out (Jinja2 would write Python's "
                    "representation of it)",
                    v->kind == TV_FLOAT  ? "floating-point number"
                    : v->kind == TV_DICT ? "mapping"
                    : v->kind == TV_LOOP ? "loop object"
                    : v->is_tuple        ? "tuple"
                                         : "list");
    }
}

/* Python's truth value of @p v. */
static bool tv_truth(struct trender *r, const struct tv *v, struct span where,
                     bool *out)
{
    switch (v->kind) {
    case TV_UNDEF:
        return undefined_error(r, v, where);
    case TV_NONE:
        *out = false;
        break;
    case TV_BOOL:
        *out = v->u.b;
        break;
    case TV_INT:
        *out = v->u.i != 0;
        break;
    case TV_FLOAT:
        *out = v->u.f != 0.0;
        break;
    case TV_STR:
        *out = v->u.str.len != 0;
        break;
    case TV_LIST:
        *out = tv_list_len(v) != 0;
        break;
    case TV_DICT:
    case TV_ITEMS:
        *out = json_object_size(v->json) != 0;
        break;
    default:
        *out = true;
        break;
    }
    return true;
}

static bool is_number(const struct tv *v)
{
    return v->kind == TV_INT || v->kind == TV_BOOL;
}

static int64_t num(const struct tv *v)
{
    return v->kind == TV_BOOL ? (int64_t)v->u.b : v->u.i;
}

static bool float_error(struct trender *r, struct span where)
{
    return rerr(r, TERR_UNSUPPORTED, where,
                "floating-point values are not supported here (convert "
                "with '| int')");
}

/* What every binary operation checks first: an undefined operand raises
 * (StrictUndefined), left before right; a float is outside the subset. */
static bool operands_ok(struct trender *r, const struct tv *a,
                        const struct tv *b, struct span where)
{
    if (a->kind == TV_UNDEF)
        return undefined_error(r, a, where);
    if (b->kind == TV_UNDEF)
        return undefined_error(r, b, where);
    if (a->kind == TV_FLOAT || b->kind == TV_FLOAT)
        return float_error(r, where);
    return true;
}

/* Python's a == b (an undefined side raises, as StrictUndefined does). */
static bool tv_eq(struct trender *r, const struct tv *a, const struct tv *b,
                  struct span where, bool *out)
{
    size_t i, n;

    if (!operands_ok(r, a, b, where))
        return false;
    *out = false;
    if (is_number(a) && is_number(b)) {
        *out = num(a) == num(b);
        return true;
    }
    if (a->kind != b->kind)
        return true;
    switch (a->kind) {
    case TV_NONE:
        *out = true;
        return true;
    case TV_STR:
        *out = a->u.str.len == b->u.str.len &&
               memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
        return true;
    case TV_LIST:
        n = tv_list_len(a);
        if (a->is_tuple != b->is_tuple || n != tv_list_len(b))
            return true;
        for (i = 0; i < n; i++) {
            struct tv x, y;
            bool eq;
            tv_list_get(a, i, &x);
            tv_list_get(b, i, &y);
            if (!tv_eq(r, &x, &y, where, &eq))
                return false;
            if (!eq)
                return true;
        }
        *out = true;
        return true;
    case TV_DICT: {
        const char *key;
        json_t *val;
        if (json_object_size(a->json) != json_object_size(b->json))
            return true;
        json_object_foreach((json_t *)a->json, key, val)
        {
            const json_t *other = json_object_get(b->json, key);
            struct tv x, y;
            bool eq;
            if (!other)
                return true;
            tv_from_json(val, &x);
            tv_from_json(other, &y);
            if (!tv_eq(r, &x, &y, where, &eq))
                return false;
            if (!eq)
                return true;
        }
        *out = true;
        return true;
    }
    case TV_LOOP:
        *out = a->u.loop == b->u.loop;
        return true;
    default:
        return rerr(r, TERR_UNSUPPORTED, where,
                    "comparing '%s' values is not supported", tv_type(a));
    }
}

/* Python's ordering: -1, 0 or 1 in @p out, or a TypeError. */
static bool tv_order(struct trender *r, const struct tv *a, const struct tv *b,
                     const char *opname, struct span where, int *out)
{
    if (!operands_ok(r, a, b, where))
        return false;
    if (is_number(a) && is_number(b)) {
        *out = num(a) < num(b) ? -1 : num(a) > num(b);
        return true;
    }
    if (a->kind == TV_STR && b->kind == TV_STR) {
        /* UTF-8 byte order is code point order */
        size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int c = memcmp(a->u.str.s, b->u.str.s, n);
        *out = c < 0                         ? -1
               : c > 0                       ? 1
               : a->u.str.len < b->u.str.len ? -1
                                             : a->u.str.len > b->u.str.len;
        return true;
    }
    if (a->kind == TV_LIST && b->kind == TV_LIST &&
        a->is_tuple == b->is_tuple) {
        size_t na = tv_list_len(a), nb = tv_list_len(b), i;
        for (i = 0; i < na && i < nb; i++) {
            struct tv x, y;
            bool eq;
            tv_list_get(a, i, &x);
            tv_list_get(b, i, &y);
            if (!tv_eq(r, &x, &y, where, &eq))
                return false;
            if (!eq)
                return tv_order(r, &x, &y, opname, where, out);
        }
        *out = na < nb ? -1 : na > nb;
        return true;
    }
    return rerr(r, TERR_TYPE, where,
                "'%s' is not supported between '%s' and '%s'", opname,
                tv_type(a), tv_type(b));
}

/* Python's needle in hay. */
static bool tv_in(struct trender *r, const struct tv *needle,
                  const struct tv *hay, struct span where, bool *out)
{
    size_t i, n;

    *out = false;
    switch (hay->kind) {
    case TV_UNDEF:
        return undefined_error(r, hay, where);
    case TV_STR:
        if (needle->kind == TV_UNDEF)
            return undefined_error(r, needle, where);
        if (needle->kind != TV_STR)
            return rerr(r, TERR_TYPE, where,
                        "'in <string>' requires a "
                        "string on the left, not '%s'",
                        tv_type(needle));
        *out = !needle->u.str.len ||
               memmem(hay->u.str.s, hay->u.str.len, needle->u.str.s,
                      needle->u.str.len) != NULL;
        return true;
    case TV_LIST:
        n = tv_list_len(hay);
        for (i = 0; i < n; i++) {
            struct tv x;
            tv_list_get(hay, i, &x);
            if (!tv_eq(r, &x, needle, where, out))
                return false;
            if (*out)
                break;
        }
        return true;
    case TV_DICT:
        if (needle->kind == TV_UNDEF)
            return undefined_error(r, needle, where);
        if ((needle->kind == TV_LIST && !needle->is_tuple) ||
            needle->kind == TV_DICT)
            return rerr(r, TERR_TYPE, where, "unhashable type: '%s'",
                        tv_type(needle));
        if (needle->kind == TV_STR)
            *out = json_object_getn(hay->json, needle->u.str.s,
                                    needle->u.str.len) != NULL;
        return true;
    default:
        if (needle->kind == TV_UNDEF)
            return undefined_error(r, needle, where);
        return rerr(r, TERR_TYPE, where,
                    "argument of type '%s' is not iterable", tv_type(hay));
    }
}

/* Python attributes of the types values can have: Jinja2 gives these
 * (methods, mostly) before looking a key up, so they are refused. */
static const char *const attrs_str[] = {
    "capitalize",   "casefold",     "center",    "count",     "encode",
    "endswith",     "expandtabs",   "find",      "format",    "format_map",
    "index",        "isalnum",      "isalpha",   "isascii",   "isdecimal",
    "isdigit",      "isidentifier", "islower",   "isnumeric", "isprintable",
    "isspace",      "istitle",      "isupper",   "join",      "ljust",
    "lower",        "lstrip",       "maketrans", "partition", "removeprefix",
    "removesuffix", "replace",      "rfind",     "rindex",    "rjust",
    "rpartition",   "rsplit",       "rstrip",    "split",     "splitlines",
    "startswith",   "strip",        "swapcase",  "title",     "translate",
    "upper",        "zfill",        NULL};
static const char *const attrs_list[] = {"append", "clear",   "copy",   "count",
                                         "extend", "index",   "insert", "pop",
                                         "remove", "reverse", "sort",   NULL};
static const char *const attrs_tuple[] = {"count", "index", NULL};
static const char *const attrs_int[] = {"as_integer_ratio",
                                        "bit_count",
                                        "bit_length",
                                        "conjugate",
                                        "denominator",
                                        "from_bytes",
                                        "imag",
                                        "numerator",
                                        "real",
                                        "to_bytes",
                                        NULL};
static const char *const attrs_float[] = {
    "as_integer_ratio", "conjugate", "fromhex", "hex", "imag",
    "is_integer",       "real",      NULL};
static const char *const attrs_dict[] = {
    "clear", "copy",    "fromkeys",   "get",    "items",  "keys",
    "pop",   "popitem", "setdefault", "update", "values", NULL};
static const char *const attrs_items[] = {"isdisjoint", "mapping", NULL};
static const char *const attrs_none[] = {NULL};

static const char *const *attrs_of(const struct tv *v)
{
    switch (v->kind) {
    case TV_STR:
        return attrs_str;
    case TV_LIST:
        return v->is_tuple ? attrs_tuple : attrs_list;
    case TV_BOOL:
    case TV_INT:
        return attrs_int;
    case TV_FLOAT:
        return attrs_float;
    case TV_DICT:
        return attrs_dict;
    case TV_ITEMS:
        return attrs_items;
    default:
        return attrs_none;
    }
}

/* `loop.<name>`. */
static bool loop_attr(struct trender *r, const struct tloop *l,
                      const char *name, size_t len, struct span where,
                      struct tv *out)
{
    static const char *const unsupported[] = {"changed", "cycle", "nextitem",
                                              "previtem", NULL};
#define IS(s) (len == strlen(s) && memcmp(name, s, len) == 0)
    if (IS("index"))
        tv_int_set(out, (int64_t)l->index0 + 1);
    else if (IS("index0"))
        tv_int_set(out, (int64_t)l->index0);
    else if (IS("revindex"))
        tv_int_set(out, (int64_t)(l->length - l->index0));
    else if (IS("revindex0"))
        tv_int_set(out, (int64_t)(l->length - l->index0 - 1));
    else if (IS("first"))
        tv_bool_set(out, l->index0 == 0);
    else if (IS("last"))
        tv_bool_set(out, l->index0 + 1 == l->length);
    else if (IS("length"))
        tv_int_set(out, (int64_t)l->length);
    else if (IS("depth"))
        tv_int_set(out, 1);
    else if (IS("depth0"))
        tv_int_set(out, 0);
    else if (in_list(unsupported, name, len) || (len && name[0] == '_'))
        return rerr(r, TERR_UNSUPPORTED, where, "'loop.%.*s' is not supported",
                    (int)len, name);
    else
        tv_undef(out, where);
#undef IS
    return true;
}

/* Jinja2's getattr(obj, name): a Python attribute first (refused), then
 * the item; Undefined when neither. */
static bool tv_getattr(struct trender *r, const struct tv *obj,
                       const char *name, size_t len, struct span where,
                       struct tv *out)
{
    if (obj->kind == TV_UNDEF)
        return undefined_error(r, obj, where);
    if (obj->kind == TV_LOOP)
        return loop_attr(r, obj->u.loop, name, len, where, out);
    if ((len >= 4 && name[0] == '_' && name[1] == '_' && name[len - 1] == '_' &&
         name[len - 2] == '_') ||
        in_list(attrs_of(obj), name, len))
        return rerr(r, TERR_UNSUPPORTED, where,
                    "'%.*s' is a Python attribute of '%s' to Jinja2%s",
                    (int)len, name, tv_type(obj),
                    obj->kind == TV_DICT ? ", not a key: rename the key" : "");
    if (obj->kind == TV_DICT) {
        const json_t *j = json_object_getn(obj->json, name, len);
        if (j) {
            tv_from_json(j, out);
            return true;
        }
    }
    tv_undef(out, where);
    return true;
}

/* Jinja2's getitem(obj, key): the item, else for a string key the
 * attribute, else Undefined. */
static bool tv_getitem(struct trender *r, const struct tv *obj,
                       const struct tv *key, struct span where, struct tv *out)
{
    if (obj->kind == TV_UNDEF)
        return undefined_error(r, obj, where);
    if (key->kind == TV_FLOAT)
        return float_error(r, where);
    switch (obj->kind) {
    case TV_DICT:
        if (key->kind == TV_UNDEF)
            return undefined_error(r, key, where);
        if (key->kind == TV_STR) {
            const json_t *j =
                json_object_getn(obj->json, key->u.str.s, key->u.str.len);
            if (j) {
                tv_from_json(j, out);
                return true;
            }
        }
        break;
    case TV_LIST:
        if (is_number(key)) {
            int64_t i = num(key), n = (int64_t)tv_list_len(obj);
            if (i < 0)
                i += n;
            if (i >= 0 && i < n) {
                tv_list_get(obj, (size_t)i, out);
                return true;
            }
            tv_undef(out, where);
            return true;
        }
        break;
    case TV_STR:
        if (is_number(key)) {
            int64_t i = num(key),
                    n = (int64_t)utf8_count(obj->u.str.s, obj->u.str.len);
            if (i < 0)
                i += n;
            if (i >= 0 && i < n) {
                size_t at =
                    utf8_offset(obj->u.str.s, obj->u.str.len, (size_t)i);
                tv_str_set(out, obj->u.str.s + at,
                           utf8_len((unsigned char)obj->u.str.s[at]));
                return true;
            }
            tv_undef(out, where);
            return true;
        }
        break;
    default:
        break;
    }
    if (key->kind == TV_STR)
        return tv_getattr(r, obj, key->u.str.s, key->u.str.len, where, out);
    tv_undef(out, where);
    return true;
}

/* ---- rendering: filters ---- */

static bool eval(struct trender *r, const struct texpr *x, struct tv *out);

/* A string made in the scratch arena from @p b. */
static bool tv_from_buf(struct trender *r, const struct buf *b, struct tv *out)
{
    char *s = sstrndup(r, b->data, b->len);

    if (!s)
        return false;
    tv_str_set(out, s, b->len);
    return true;
}

/* Python's int(s, base) over an ASCII string; false when Python would
 * raise ValueError.  *big: the value does not fit in 64 bits. */
static bool py_int_parse(const char *s, size_t len, int64_t base, int64_t *out,
                         bool *big)
{
    size_t i = py_space_prefix(s, len);
    size_t end = i + py_rstrip_len(s + i, len - i);
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
    size_t i = py_space_prefix(s, len);
    size_t end = i + py_rstrip_len(s + i, len - i), o = 0, nint, nfrac, nexp;
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
    clean = salloc(r, end - i + 3);
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
        uint32_t cp = utf8_decode((const unsigned char *)s + i, len - i, &l);
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
        return undefined_error(r, v, where);
    case TV_INT:
    case TV_BOOL:
        tv_int_set(out, num(v));
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
            return undefined_error(r, base, where);
        if (is_number(base))
            b = num(base);
        else
            base_ok = false; /* TypeError: caught, then float() */
    }
    if (base_ok && py_int_parse(v->u.str.s, v->u.str.len, b, &i, &big)) {
        if (big)
            return rerr(r, TERR_UNSUPPORTED, where,
                        "integers beyond 64 bits are not supported");
        tv_int_set(out, i);
        return true;
    }
    if (!py_float_parse(r, v->u.str.s, v->u.str.len, &f)) {
        if (r->rc)
            return false;
        if (has_unicode_digit(v->u.str.s, v->u.str.len))
            return rerr(r, TERR_UNSUPPORTED, where,
                        "'| int' of non-ASCII digits is not supported");
        goto fallback;
    }
from_float:
    if (isinf(f))
        return rerr(r, TERR_TYPE, where,
                    "cannot convert float infinity to integer");
    if (isnan(f))
        goto fallback;
    /* the cast truncates toward zero, as int(float) does */
    if (f <= -9.2233720368547758e18 - 1024.0 || f >= 9.2233720368547758e18)
        return rerr(r, TERR_UNSUPPORTED, where,
                    "integers beyond 64 bits are not supported");
    tv_int_set(out, (int64_t)f);
    return true;
fallback:
    if (dflt)
        *out = *dflt;
    else
        tv_int_set(out, 0);
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

    buf_init(&b, scratch_left(r));
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
                size_t l = utf8_len((unsigned char)s[i]);
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
    ok = rc ? buf_error(r, rc) : tv_from_buf(r, &b, out);
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

    buf_init(&b, scratch_left(r));
    switch (v->kind) {
    case TV_UNDEF:
        return undefined_error(r, v, where);
    case TV_STR:
    case TV_INT:
    case TV_BOOL:
    case TV_NONE:
    case TV_FLOAT:
        if (!tv_str(r, v, where, &s, &len))
            return false;
        rc = url_quote(&b, s, len, false);
        break;
    case TV_DICT:
    case TV_ITEMS:
    case TV_LIST: {
        struct tv dv = *v;
        if (v->kind == TV_DICT)
            dv.kind = TV_ITEMS;
        if (!tv_iterate(r, &dv, where, &items, &n))
            return false;
        for (i = 0; i < n && ok && !rc; i++) {
            struct tv *kv;
            size_t m;
            const char *ks, *vs;
            size_t kl, vl;
            if (items[i].kind != TV_LIST) {
                ok = rerr(r, TERR_UNSUPPORTED, where,
                          "'| urlencode' of a list needs pairs");
                break;
            }
            if (!tv_iterate(r, &items[i], where, &kv, &m))
                return false;
            if (m != 2) {
                ok = rerr(r, TERR_TYPE, where,
                          "cannot unpack %zu values "
                          "into a key and a value",
                          m);
                break;
            }
            ok = tv_str(r, &kv[0], where, &ks, &kl) &&
                 tv_str(r, &kv[1], where, &vs, &vl);
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
        ok = rerr(r, TERR_UNSUPPORTED, where,
                  "'| urlencode' of a %s is not supported", tv_type(v));
    }
    if (ok && rc)
        ok = buf_error(r, rc);
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
        start = py_space_prefix(s, len);
        end = start + py_rstrip_len(s + start, len - start);
        tv_str_set(out, s + start, end - start);
        return true;
    }
    n = utf8_count(chars->u.str.s, chars->u.str.len);
    set = salloc(r, n * sizeof(*set));
    if (!set)
        return false;
    for (i = 0, at = 0; i < n; i++, at += l)
        set[i] = utf8_decode((const unsigned char *)chars->u.str.s + at,
                             chars->u.str.len - at, &l);
    qsort(set, n, sizeof(*set), cp_cmp);
    while (start < end) {
        const unsigned char *c = (const unsigned char *)s + start;
        if (!cp_in(set, n, utf8_decode(c, end - start, &l)))
            break;
        start += l;
    }
    while (end > start) {
        size_t b = end - 1;
        while (b > start && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
        if (!cp_in(set, n,
                   utf8_decode((const unsigned char *)s + b, end - b, &l)))
            break;
        end = b;
    }
    tv_str_set(out, s + start, end - start);
    return true;
}

static bool case_map(struct trender *r, const char *s, size_t len, bool upper,
                     struct span where, struct tv *out)
{
    char *o;
    size_t i;

    if (has_non_ascii(s, len))
        return rerr(r, TERR_UNSUPPORTED, where,
                    "'| %s' of non-ASCII text is not supported",
                    upper ? "upper" : "lower");
    o = salloc(r, len + 1);
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
    tv_str_set(out, o, len);
    return true;
}

static bool apply_filter(struct trender *r, const struct texpr *x,
                         const struct tv *v, const struct tv *args,
                         const bool *given, struct tv *out)
{
    struct span where = x->span;
    const char *s, *s2, *s3;
    size_t len, len2, len3, n, i;
    struct tv *items;
    bool truth;

    switch (x->sub) {
    case F_DEFAULT:
        if (v->kind == TV_UNDEF) {
            if (given[0])
                *out = args[0];
            else
                tv_str_set(out, "", 0);
            return true;
        }
        if (given[1]) {
            if (!tv_truth(r, &args[1], where, &truth))
                return false;
            if (truth) {
                bool vt;
                if (!tv_truth(r, v, where, &vt))
                    return false;
                if (!vt) {
                    if (given[0])
                        *out = args[0];
                    else
                        tv_str_set(out, "", 0);
                    return true;
                }
            }
        }
        *out = *v;
        return true;
    case F_LOWER:
    case F_UPPER:
        return tv_str(r, v, where, &s, &len) &&
               case_map(r, s, len, x->sub == F_UPPER, where, out);
    case F_TRIM:
        if (!tv_str(r, v, where, &s, &len))
            return false;
        if (given[0] && args[0].kind != TV_NONE) {
            if (args[0].kind == TV_UNDEF)
                return undefined_error(r, &args[0], where);
            if (args[0].kind != TV_STR)
                return rerr(r, TERR_TYPE, where,
                            "trim's argument must be a string, not '%s'",
                            tv_type(&args[0]));
            return str_trim(r, s, len, &args[0], out);
        }
        return str_trim(r, s, len, NULL, out);
    case F_REPLACE: {
        int64_t count = -1;
        if (!given[0] || !given[1])
            return rerr(r, TERR_TYPE, where,
                        "replace needs two arguments: old and new");
        if (!tv_str(r, v, where, &s, &len) ||
            !tv_str(r, &args[0], where, &s2, &len2) ||
            !tv_str(r, &args[1], where, &s3, &len3))
            return false;
        if (given[2] && args[2].kind != TV_NONE) {
            if (args[2].kind == TV_UNDEF)
                return undefined_error(r, &args[2], where);
            if (!is_number(&args[2]))
                return rerr(r, TERR_TYPE, where,
                            "replace's count must be an integer");
            count = num(&args[2]);
        }
        return str_replace(r, s, len, s2, len2, s3, len3, count, out);
    }
    case F_JOIN: {
        struct buf b;
        int rc = 0;
        bool ok = true;
        if (!tv_iterate(r, v, where, &items, &n))
            return false;
        s2 = "";
        len2 = 0;
        if (given[0] && !tv_str(r, &args[0], where, &s2, &len2))
            return false;
        buf_init(&b, scratch_left(r));
        for (i = 0; i < n && ok && !rc; i++) {
            ok = tv_str(r, &items[i], where, &s, &len);
            if (ok && i)
                rc = buf_add(&b, s2, len2);
            if (ok && !rc)
                rc = buf_add(&b, s, len);
        }
        if (ok && rc)
            ok = buf_error(r, rc);
        if (ok)
            ok = tv_from_buf(r, &b, out);
        buf_release(&b);
        return ok;
    }
    case F_LENGTH:
        switch (v->kind) {
        case TV_UNDEF:
            return undefined_error(r, v, where);
        case TV_STR:
            tv_int_set(out, (int64_t)utf8_count(v->u.str.s, v->u.str.len));
            return true;
        case TV_LIST:
            tv_int_set(out, (int64_t)tv_list_len(v));
            return true;
        case TV_DICT:
        case TV_ITEMS:
            tv_int_set(out, (int64_t)json_object_size(v->json));
            return true;
        case TV_LOOP:
            return rerr(r, TERR_UNSUPPORTED, where,
                        "'| length' of 'loop' is not supported");
        default:
            return rerr(r, TERR_TYPE, where, "object of type '%s' has no len()",
                        tv_type(v));
        }
    case F_FIRST:
    case F_LAST:
        if (v->kind == TV_LOOP)
            return rerr(r, TERR_UNSUPPORTED, where,
                        "'| %s' of 'loop' is not supported",
                        x->sub == F_FIRST ? "first" : "last");
        if (x->sub == F_LAST && v->kind != TV_UNDEF && v->kind != TV_STR &&
            v->kind != TV_LIST && v->kind != TV_DICT && v->kind != TV_ITEMS)
            return rerr(r, TERR_TYPE, where, "'%s' object is not reversible",
                        tv_type(v));
        if (!tv_iterate(r, v, where, &items, &n))
            return false;
        if (!n)
            tv_undef(out, where);
        else
            *out = items[x->sub == F_FIRST ? 0 : n - 1];
        return true;
    case F_INT:
        return filter_int(r, v, given[0] ? &args[0] : NULL,
                          given[1] ? &args[1] : NULL, where, out);
    case F_STRING:
        if (!tv_str(r, v, where, &s, &len))
            return false;
        tv_str_set(out, s, len);
        return true;
    case F_URLENCODE:
        return filter_urlencode(r, v, where, out);
    default:
        return rerr(r, TERR_UNSUPPORTED, where, "unknown filter");
    }
}

/* ---- rendering: expressions ---- */

/* The instance of frame @p f around the current one. */
static struct tinst *inst_of(struct trender *r, const struct tframe *f)
{
    struct tinst *i = r->inst;

    while (i && i->def != f)
        i = i->up;
    return i;
}

/* Enter frame @p def: set each of its names up as Jinja2 does. */
static struct tinst *frame_enter(struct trender *r, const struct tframe *def)
{
    struct tinst *inst = salloc(r, sizeof(*inst));
    uint32_t i;

    if (!inst)
        return NULL;
    inst->def = def;
    inst->up = r->inst;
    inst->slots = salloc(r, def->nsyms * sizeof(*inst->slots));
    if (!inst->slots)
        return NULL;
    for (i = 0; i < def->nsyms; i++) {
        const struct tsym *sym = &def->syms[i];
        struct tv *v = &inst->slots[i];
        const json_t *j;
        struct tinst *from;

        tv_undef(v, (struct span){0, 0});
        switch (sym->load) {
        case LOAD_RESOLVE:
            j = json_object_get(r->vars, sym->name);
            if (j)
                tv_from_json(j, v);
            else if (sym->global)
                v->kind = TV_GLOBAL;
            break;
        case LOAD_ALIAS:
            from = inst_of(r, sym->alias_frame);
            if (from)
                *v = from->slots[sym->alias_slot];
            break;
        default:
            break;
        }
    }
    r->inst = inst;
    return inst;
}

static bool lookup(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tinst *inst = inst_of(r, x->frame);

    if (!inst)
        return rerr(r, TERR_UNSUPPORTED, x->span, "internal error: no frame");
    *out = inst->slots[x->slot];
    if (out->kind == TV_UNDEF)
        tv_undef(out, x->span);
    else if (out->kind == TV_GLOBAL)
        return rerr(r, TERR_UNSUPPORTED, x->span,
                    "'%s' is a Jinja2 global function, which the subset "
                    "does not have",
                    x->name);
    return true;
}

/* Bind @p val to the targets of a `for` or `set` (slots @p slots of the
 * current frame), unpacking a tuple. */
static bool bind_targets(struct trender *r, const uint32_t *slots,
                         const struct tnode *n, const struct tv *val)
{
    struct tv *items;
    size_t count, k;

    if (!n->unpack) {
        r->inst->slots[slots[0]] = *val;
        return true;
    }
    if (val->kind == TV_UNDEF)
        return undefined_error(r, val, n->span);
    if (val->kind == TV_LOOP)
        return rerr(r, TERR_UNSUPPORTED, n->span,
                    "unpacking 'loop' is not supported");
    if (val->kind != TV_LIST && val->kind != TV_STR && val->kind != TV_DICT &&
        val->kind != TV_ITEMS)
        return rerr(r, TERR_TYPE, n->span,
                    "cannot unpack non-iterable '%s' object", tv_type(val));
    if (!tv_iterate(r, val, n->span, &items, &count))
        return false;
    if (count != n->ntargets)
        return rerr(r, TERR_TYPE, n->span,
                    "%s values to unpack (expected %" PRIu32 ", got %zu)",
                    count < n->ntargets ? "not enough" : "too many",
                    n->ntargets, count);
    for (k = 0; k < count; k++)
        r->inst->slots[slots[k]] = items[k];
    return true;
}

static bool eval_cmp(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tv left, right;
    uint32_t k;
    bool res = true;

    if (!eval(r, x->args[0], &left))
        return false;
    for (k = 0; k + 1 < x->nargs && res; k++) {
        int ord;
        if (!eval(r, x->args[k + 1], &right))
            return false;
        switch (x->ops[k]) {
        case OP_EQ:
        case OP_NE:
            if (!tv_eq(r, &left, &right, x->span, &res))
                return false;
            if (x->ops[k] == OP_NE)
                res = !res;
            break;
        case OP_IN:
        case OP_NOTIN:
            if (!tv_in(r, &left, &right, x->span, &res))
                return false;
            if (x->ops[k] == OP_NOTIN)
                res = !res;
            break;
        default: {
            static const char *const names[] = {"", "", "<", "<=", ">", ">="};
            if (!tv_order(r, &left, &right, names[x->ops[k]], x->span, &ord))
                return false;
            res = x->ops[k] == OP_LT   ? ord < 0
                  : x->ops[k] == OP_LE ? ord <= 0
                  : x->ops[k] == OP_GT ? ord > 0
                                       : ord >= 0;
        }
        }
        left = right;
    }
    tv_bool_set(out, res);
    return true;
}

static bool eval_arith(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tv a, b;
    int64_t res;

    if (!eval(r, x->a, &a) || !eval(r, x->b, &b) ||
        !operands_ok(r, &a, &b, x->span))
        return false;
    if (is_number(&a) && is_number(&b)) {
        bool over = x->kind == TX_ADD
                        ? __builtin_add_overflow(num(&a), num(&b), &res)
                        : __builtin_sub_overflow(num(&a), num(&b), &res);
        if (over)
            return rerr(r, TERR_UNSUPPORTED, x->span,
                        "integers beyond 64 bits are not supported");
        tv_int_set(out, res);
        return true;
    }
    if (x->kind == TX_ADD && a.kind == TV_STR && b.kind == TV_STR) {
        char *s = salloc(r, a.u.str.len + b.u.str.len + 1);
        if (!s)
            return false;
        memcpy(s, a.u.str.s, a.u.str.len);
        memcpy(s + a.u.str.len, b.u.str.s, b.u.str.len);
        s[a.u.str.len + b.u.str.len] = '\0';
        tv_str_set(out, s, a.u.str.len + b.u.str.len);
        return true;
    }
    if (x->kind == TX_ADD && a.kind == TV_LIST && b.kind == TV_LIST &&
        a.is_tuple == b.is_tuple) {
        size_t na = tv_list_len(&a), nb = tv_list_len(&b), i;
        struct tlist *l = salloc(r, sizeof(*l));
        struct tv *items = salloc(r, (na + nb) * sizeof(*items));
        if (!l || !items)
            return false;
        for (i = 0; i < na; i++)
            tv_list_get(&a, i, &items[i]);
        for (i = 0; i < nb; i++)
            tv_list_get(&b, i, &items[na + i]);
        l->n = na + nb;
        l->items = items;
        memset(out, 0, sizeof(*out));
        out->kind = TV_LIST;
        out->is_tuple = a.is_tuple;
        out->u.list = l;
        return true;
    }
    return rerr(r, TERR_TYPE, x->span,
                "unsupported operand types for %s: '%s' and '%s'",
                x->kind == TX_ADD ? "+" : "-", tv_type(&a), tv_type(&b));
}

static bool eval_filter(struct trender *r, const struct texpr *x,
                        struct tv *out)
{
    struct tv v, args[3];
    bool given[3] = {false, false, false};
    uint32_t k;

    if (!eval(r, x->a, &v))
        return false;
    for (k = 0; k < x->nargs && k < 3; k++) {
        if (x->args && x->args[k]) {
            if (!eval(r, x->args[k], &args[k]))
                return false;
            given[k] = true;
        }
    }
    return apply_filter(r, x, &v, args, given, out);
}

static bool eval(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tv a;
    bool t;
    uint32_t k;

    switch (x->kind) {
    case TX_CONST:
        *out = x->val;
        return true;
    case TX_NAME:
        return lookup(r, x, out);
    case TX_ATTR:
        return eval(r, x->a, &a) &&
               tv_getattr(r, &a, x->name, strlen(x->name), x->span, out);
    case TX_ITEM: {
        struct tv key;
        return eval(r, x->a, &a) && eval(r, x->b, &key) &&
               tv_getitem(r, &a, &key, x->span, out);
    }
    case TX_ITEMS:
        if (!eval(r, x->a, &a))
            return false;
        if (a.kind == TV_UNDEF)
            return undefined_error(r, &a, x->span);
        if (a.kind != TV_DICT)
            return rerr(r, TERR_TYPE, x->span,
                        "'.items()' needs a mapping, not '%s'", tv_type(&a));
        *out = a;
        out->kind = TV_ITEMS;
        return true;
    case TX_LIST: {
        struct tlist *l = salloc(r, sizeof(*l));
        struct tv *items = salloc(r, x->nargs * sizeof(*items));
        if (!l || !items)
            return false;
        for (k = 0; k < x->nargs; k++) {
            if (!eval(r, x->args[k], &items[k]))
                return false;
        }
        l->n = x->nargs;
        l->items = items;
        memset(out, 0, sizeof(*out));
        out->kind = TV_LIST;
        out->is_tuple = x->sub != 0;
        out->u.list = l;
        return true;
    }
    case TX_NOT:
        if (!eval(r, x->a, &a) || !tv_truth(r, &a, x->span, &t))
            return false;
        tv_bool_set(out, !t);
        return true;
    case TX_NEG:
    case TX_POS:
        if (!eval(r, x->a, &a))
            return false;
        if (a.kind == TV_UNDEF)
            return undefined_error(r, &a, x->span);
        if (a.kind == TV_FLOAT)
            return float_error(r, x->span);
        if (!is_number(&a))
            return rerr(r, TERR_TYPE, x->span,
                        "bad operand type for unary %s: '%s'",
                        x->kind == TX_NEG ? "-" : "+", tv_type(&a));
        if (x->kind == TX_NEG && num(&a) == INT64_MIN)
            return rerr(r, TERR_UNSUPPORTED, x->span,
                        "integers beyond 64 bits are not supported");
        tv_int_set(out, x->kind == TX_NEG ? -num(&a) : num(&a));
        return true;
    case TX_AND:
    case TX_OR:
        if (!eval(r, x->a, &a) || !tv_truth(r, &a, x->span, &t))
            return false;
        if ((x->kind == TX_AND) != t) {
            *out = a;
            return true;
        }
        return eval(r, x->b, out);
    case TX_CMP:
        return eval_cmp(r, x, out);
    case TX_ADD:
    case TX_SUB:
        return eval_arith(r, x, out);
    case TX_CONCAT: {
        /* each part's text, then one copy into the scratch arena */
        const char **parts = salloc(r, x->nargs * sizeof(*parts));
        size_t *lens = salloc(r, x->nargs * sizeof(*lens)), total = 0;
        char *o;
        if (!parts || !lens)
            return false;
        for (k = 0; k < x->nargs; k++) {
            if (!eval(r, x->args[k], &a) ||
                !tv_str(r, &a, x->span, &parts[k], &lens[k]))
                return false;
            total += lens[k];
        }
        o = salloc(r, total + 1);
        if (!o)
            return false;
        for (total = 0, k = 0; k < x->nargs; k++) {
            memcpy(o + total, parts[k], lens[k]);
            total += lens[k];
        }
        o[total] = '\0';
        tv_str_set(out, o, total);
        return true;
    }
    case TX_COND:
        if (!eval(r, x->b, &a) || !tv_truth(r, &a, x->span, &t))
            return false;
        if (t)
            return eval(r, x->a, out);
        if (x->c)
            return eval(r, x->c, out);
        /* Jinja2 gives a lenient Undefined that prints as ''; a strict
         * one is safer (a documented deviation) */
        tv_undef(out, x->span);
        return true;
    case TX_FILTER:
        return eval_filter(r, x, out);
    case TX_TEST:
        if (!eval(r, x->a, &a))
            return false;
        tv_bool_set(out, x->sub == T_DEFINED     ? a.kind != TV_UNDEF
                         : x->sub == T_UNDEFINED ? a.kind == TV_UNDEF
                                                 : a.kind == TV_NONE);
        return true;
    default:
        return rerr(r, TERR_UNSUPPORTED, x->span, "unknown expression");
    }
}

/* ---- rendering: statements ---- */

static bool out_mark(struct trender *r, uint32_t tmpl_start)
{
    struct tmpl_output *o = r->o;
    struct tmpl_mark *m =
        array_room(o->marks, &o->marks_cap, o->nmarks, sizeof(*m), 64);

    if (!m)
        return oom(r);
    o->marks = m;
    o->marks[o->nmarks].out_start = (uint32_t)o->out.len;
    o->marks[o->nmarks].tmpl_start = tmpl_start;
    o->nmarks++;
    return true;
}

static bool out_add(struct trender *r, const char *s, size_t len)
{
    int rc;

    if (r->o->out.len + len > (size_t)UINT32_MAX - 1)
        rc = -E2BIG;
    else
        rc = buf_add(&r->o->out, s, len);
    if (rc && !r->rc)
        r->rc = rc;
    return rc == 0;
}

static bool out_subst(struct trender *r, const struct tnode *n, uint32_t start)
{
    struct tmpl_output *o = r->o;
    struct tmpl_subst *s =
        array_room(o->subst, &o->subst_cap, o->nsubst, sizeof(*s), 64);

    if (!s)
        return oom(r);
    o->subst = s;
    o->subst[o->nsubst].start = start;
    o->subst[o->nsubst].end = (uint32_t)o->out.len;
    o->subst[o->nsubst].tag = n->span;
    o->subst[o->nsubst].names = n->names;
    o->nsubst++;
    return true;
}

static bool render_nodes(struct trender *r, const struct tnode *n);

static bool render_for(struct trender *r, const struct tnode *n)
{
    struct tv seq, *items, *kept;
    struct tinst *outer = r->inst;
    struct tloop *loop;
    size_t count, nkept, i;
    bool ok = true;

    if (!eval(r, n->expr, &seq))
        return false;
    if (seq.kind == TV_LOOP)
        return rerr(r, TERR_UNSUPPORTED, n->expr->span,
                    "iterating over 'loop' is not supported");
    if (!tv_iterate(r, &seq, n->expr->span, &items, &count))
        return false;
    kept = items;
    nkept = count;
    if (n->filter) {
        /* the filter's frame is entered once, its targets bound per item */
        kept = salloc(r, count * sizeof(*kept));
        if (!kept || !frame_enter(r, n->test_frame))
            return false;
        nkept = 0;
        for (i = 0; i < count && ok; i++) {
            struct tv v;
            bool t = false;
            ok = bind_targets(r, n->test_slots, n, &items[i]) &&
                 eval(r, n->filter, &v) && tv_truth(r, &v, n->filter->span, &t);
            if (ok && t)
                kept[nkept++] = items[i];
        }
        r->inst = outer;
        if (!ok)
            return false;
    }
    if (!nkept) {
        if (!n->else_frame)
            return true;
        ok = frame_enter(r, n->else_frame) && render_nodes(r, n->else_body);
        r->inst = outer;
        return ok;
    }
    for (i = 0; i < nkept && ok; i++) {
        struct tinst *inst;
        loop = salloc(r, sizeof(*loop));
        inst = loop ? frame_enter(r, n->body_frame) : NULL;
        if (!inst)
            return false;
        loop->index0 = i;
        loop->length = nkept;
        memset(&inst->slots[n->loop_slot], 0, sizeof(struct tv));
        inst->slots[n->loop_slot].kind = TV_LOOP;
        inst->slots[n->loop_slot].u.loop = loop;
        ok = bind_targets(r, n->slots, n, &kept[i]) && render_nodes(r, n->body);
        r->inst = outer;
    }
    return ok;
}

static bool render_nodes(struct trender *r, const struct tnode *n)
{
    for (; n; n = n->next) {
        struct tv v;
        const struct tbranch *br;
        const char *s;
        size_t len;
        uint32_t start;
        bool t;

        r->at = n->span;
        switch (n->kind) {
        case TN_TEXT:
            if (!out_mark(r, n->span.start) || !out_add(r, n->text, n->len))
                return false;
            break;
        case TN_PRINT:
            start = (uint32_t)r->o->out.len;
            if (!out_mark(r, n->span.start) || !eval(r, n->expr, &v) ||
                !tv_str(r, &v, n->expr->span, &s, &len) || !out_add(r, s, len))
                return false;
            if (n->names && !out_subst(r, n, start))
                return false;
            break;
        case TN_IF:
            for (br = n->branches; br; br = br->next) {
                if (!eval(r, br->cond, &v) ||
                    !tv_truth(r, &v, br->cond->span, &t))
                    return false;
                if (t)
                    break;
            }
            if (!render_nodes(r, br ? br->body : n->else_body))
                return false;
            break;
        case TN_FOR:
            if (!render_for(r, n))
                return false;
            break;
        case TN_SET:
            if (!eval(r, n->expr, &v) || !bind_targets(r, n->slots, n, &v))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* ---- the output ---- */

void tmpl_output_init(struct tmpl_output *o, size_t max)
{
    memset(o, 0, sizeof(*o));
    buf_init(&o->out, max);
}

void tmpl_output_reset(struct tmpl_output *o)
{
    buf_truncate(&o->out, 0);
    o->nsubst = 0;
    o->nmarks = 0;
}

void tmpl_output_release(struct tmpl_output *o)
{
    size_t max = o->out.max;

    buf_release(&o->out);
    free(o->subst);
    free(o->marks);
    tmpl_output_init(o, max);
}

uint32_t tmpl_output_origin(const struct tmpl_output *o, uint32_t off)
{
    size_t lo = 0, hi = o->nmarks;

    if (!o->nmarks)
        return 0;
    /* the last mark at or before off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (o->marks[mid].out_start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return o->marks[lo].tmpl_start + (off - o->marks[lo].out_start);
}

int tmpl_render(const struct tmpl *t, const struct json_t *vars,
                struct tmpl_output *o, struct arena *scratch,
                struct diag_list *d)
{
    struct trender r;

    tmpl_output_reset(o);
    memset(&r, 0, sizeof(r));
    r.data = t->src->data;
    r.vars = vars;
    r.o = o;
    r.s = scratch;
    r.budget = o->out.max > SIZE_MAX / TMPL_SCRATCH_PER_OUTPUT
                   ? SIZE_MAX / 2
                   : o->out.max * TMPL_SCRATCH_PER_OUTPUT;
    r.d = d;
    if (!json_is_object(vars))
        return -EINVAL;
    if (frame_enter(&r, t->frame))
        render_nodes(&r, t->body);
    return r.rc;
}
