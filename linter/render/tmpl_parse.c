/* SPDX-License-Identifier: MIT */
/** @file Templates: parsing expressions.
 *
 * A small recursive-descent parser that follows jinja2/parser.py rule
 * for rule, so that precedence and odd corners (chained comparisons, `~`
 * binding tighter than `+`, test arguments without parentheses) agree.
 */
#include "tmpl_int.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/** A growable array of expressions while a rule collects them. */
struct xvec {
    struct texpr **v; /* items (malloc) */
    size_t n;         /* used */
    size_t cap;       /* allocated */
};

const struct ttok *tmpl_cur(const struct tparse *p)
{
    return &p->c->toks[p->pos];
}

const struct ttok *tmpl_look(const struct tparse *p)
{
    size_t i = p->pos + 1 < p->c->ntoks ? p->pos + 1 : p->c->ntoks - 1;

    return &p->c->toks[i];
}

void tmpl_advance(struct tparse *p)
{
    if (p->pos + 1 < p->c->ntoks)
        p->pos++;
}

bool tmpl_tok_is_name(const struct ttok *t, const char *name)
{
    return t->kind == TK_NAME && t->len == strlen(name) &&
           memcmp(t->s, name, t->len) == 0;
}

bool tmpl_tok_is_op(const struct ttok *t, enum tk_op op)
{
    return t->kind == TK_OP && t->op == op;
}

/* How a token reads in a message. */
const char *tmpl_tok_describe(struct tparse *p, const struct ttok *t)
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

/* Report the first error of a tag; every rule then unwinds with NULL. */
void *tmpl_perr(struct tparse *p, enum render_code kind, struct span sp,
                const char *fmt, ...)
{
    va_list ap;

    if (p->failed)
        return NULL;
    p->failed = true;
    va_start(ap, fmt);
    tmpl_vcerr(p->c, kind, sp, fmt, ap);
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
    return p->pos ? p->c->toks[p->pos - 1].span.end : tmpl_cur(p)->span.start;
}

static bool xvec_push(struct tparse *p, struct xvec *v, struct texpr *x)
{
    struct texpr **nv;

    if (!x)
        return false;
    nv = tmpl_array_room(v->v, &v->cap, v->n, sizeof(*nv), 4);
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
    if (!tmpl_tok_is_op(tmpl_cur(p), op)) {
        tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, tmpl_cur(p)->span,
                  "expected '%s', got %s", what,
                  tmpl_tok_describe(p, tmpl_cur(p)));
        return false;
    }
    tmpl_advance(p);
    return true;
}

/* Enter a rule that may recurse (parse_unary(), parse_not(), an `else`):
 * false, after reporting it, when that nests too deep.  The caller leaves
 * with p->depth-- (or with NULL, after which the tag is dropped). */
static bool nest(struct tparse *p)
{
    if (++p->depth <= TMPL_MAX_DEPTH)
        return true;
    tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
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
struct texpr *tmpl_shallow(struct tparse *p, struct texpr *x)
{
    if (!x || depth_ok(x, TMPL_MAX_DEPTH))
        return x;
    return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, x->span,
                     "expressions nested more than %d deep are not supported",
                     TMPL_MAX_DEPTH);
}

static struct texpr *parse_condexpr(struct tparse *p);
static struct texpr *parse_or(struct tparse *p);
static struct texpr *parse_unary(struct tparse *p, bool with_filter);
static struct texpr *parse_primary(struct tparse *p);
static struct texpr *parse_postfix(struct tparse *p, struct texpr *node);

struct texpr *tmpl_parse_expression(struct tparse *p, bool with_condexpr)
{
    return with_condexpr ? parse_condexpr(p) : parse_or(p);
}

/* Whether the current token ends a tuple (parse_tuple's is_tuple_end). */
static bool tuple_end(struct tparse *p, const char *extra_end)
{
    const struct ttok *t = tmpl_cur(p);

    if (t->kind == TK_END || tmpl_tok_is_op(t, TO_RPAREN))
        return true;
    return extra_end && tmpl_tok_is_name(t, extra_end);
}

/* `a, b, c` (a tuple) or a single expression. */
struct texpr *tmpl_parse_tuple(struct tparse *p, bool simplified,
                               bool with_condexpr, const char *extra_end,
                               bool explicit_parens)
{
    uint32_t start = tmpl_cur(p)->span.start;
    struct xvec v = {0};
    bool is_tuple = false;
    struct texpr *x;

    for (;;) {
        if (v.n && !expect_op(p, TO_COMMA, ","))
            break;
        if (tuple_end(p, extra_end))
            break;
        x = simplified ? parse_primary(p)
                       : tmpl_parse_expression(p, with_condexpr);
        if (!xvec_push(p, &v, x))
            break;
        if (tmpl_tok_is_op(tmpl_cur(p), TO_COMMA))
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
            return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, tmpl_cur(p)->span,
                             "expected an expression, got %s",
                             tmpl_tok_describe(p, tmpl_cur(p)));
        }
    }
    x = xnew(p, TX_LIST, start, prev_end(p));
    if (x)
        x->sub = 1;
    return xvec_attach(p, x, &v);
}

static struct texpr *parse_condexpr(struct tparse *p)
{
    uint32_t start = tmpl_cur(p)->span.start;
    struct texpr *e1 = parse_or(p), *x;

    while (e1 && tmpl_tok_is_name(tmpl_cur(p), "if")) {
        tmpl_advance(p);
        x = xnew(p, TX_COND, start, 0);
        if (!x)
            return NULL;
        x->a = e1;
        x->b = parse_or(p);
        if (!x->b)
            return NULL;
        if (tmpl_tok_is_name(tmpl_cur(p), "else")) {
            tmpl_advance(p);
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
    const struct ttok *t = tmpl_cur(p);
    size_t k;

    for (k = 0; k < n; k++) {
        if (ops[k].name ? tmpl_tok_is_name(t, ops[k].name)
                        : tmpl_tok_is_op(t, (enum tk_op)ops[k].op))
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
    uint32_t start = tmpl_cur(p)->span.start;
    struct texpr *left = next(p), *x;
    const struct binop *o;

    while (left && (o = binop_at(p, ops, nops)) != NULL) {
        tmpl_advance(p);
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
    uint32_t start = tmpl_cur(p)->span.start;
    struct texpr *x;

    if (!tmpl_tok_is_name(tmpl_cur(p), "not"))
        return parse_compare(p);
    if (!nest(p))
        return NULL;
    tmpl_advance(p);
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
    uint32_t start = tmpl_cur(p)->span.start;
    struct xvec v = {0};
    uint8_t ops[64];
    struct texpr *first = parse_math1(p), *x;
    size_t nops = 0, k;

    if (!first)
        return NULL;
    for (;;) {
        const struct ttok *t = tmpl_cur(p);
        int op = -1;

        for (k = 0; k < sizeof(cmp) / sizeof(cmp[0]); k++) {
            if (tmpl_tok_is_op(t, cmp[k].tok))
                op = cmp[k].op;
        }
        if (op >= 0) {
            tmpl_advance(p);
        } else if (tmpl_tok_is_name(t, "in")) {
            tmpl_advance(p);
            op = OP_IN;
        } else if (tmpl_tok_is_name(t, "not") &&
                   tmpl_tok_is_name(tmpl_look(p), "in")) {
            tmpl_advance(p);
            tmpl_advance(p);
            op = OP_NOTIN;
        } else {
            break;
        }
        if (nops == sizeof(ops)) {
            free(v.v);
            return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
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
    uint32_t start = tmpl_cur(p)->span.start;
    struct xvec v = {0};
    struct texpr *first = parse_math2(p);

    if (!first || !tmpl_tok_is_op(tmpl_cur(p), TO_TILDE))
        return first;
    xvec_push(p, &v, first);
    while (!p->failed && tmpl_tok_is_op(tmpl_cur(p), TO_TILDE)) {
        tmpl_advance(p);
        xvec_push(p, &v, parse_math2(p));
    }
    return xvec_attach(p, xnew(p, TX_CONCAT, start, prev_end(p)), &v);
}

static struct texpr *parse_math2(struct tparse *p)
{
    struct texpr *left = parse_unary(p, true);
    const struct ttok *t = tmpl_cur(p);

    if (left && t->kind == TK_OP &&
        (t->op == TO_MUL || t->op == TO_DIV || t->op == TO_FLOORDIV ||
         t->op == TO_MOD || t->op == TO_POW))
        return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
                         "the operator %s is not supported (only + and - are)",
                         tmpl_tok_describe(p, t));
    return left;
}

static struct texpr *parse_filter_expr(struct tparse *p, struct texpr *node);

static struct texpr *parse_unary(struct tparse *p, bool with_filter)
{
    uint32_t start = tmpl_cur(p)->span.start;
    struct texpr *node;

    if (!nest(p))
        return NULL;
    if (tmpl_tok_is_op(tmpl_cur(p), TO_SUB) ||
        tmpl_tok_is_op(tmpl_cur(p), TO_ADD)) {
        enum tx_kind kind =
            tmpl_tok_is_op(tmpl_cur(p), TO_SUB) ? TX_NEG : TX_POS;
        tmpl_advance(p);
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
    uint32_t start = tmpl_cur(p)->span.start;
    struct xvec v = {0};

    tmpl_advance(p); /* [ */
    while (!p->failed && !tmpl_tok_is_op(tmpl_cur(p), TO_RBRACKET)) {
        if (v.n && !expect_op(p, TO_COMMA, ","))
            break;
        if (tmpl_tok_is_op(tmpl_cur(p), TO_RBRACKET))
            break;
        xvec_push(p, &v, tmpl_parse_expression(p, true));
    }
    expect_op(p, TO_RBRACKET, "]");
    return xvec_attach(p, xnew(p, TX_LIST, start, prev_end(p)), &v);
}

static struct texpr *parse_primary(struct tparse *p)
{
    const struct ttok *t = tmpl_cur(p);
    struct texpr *x;

    if (p->failed)
        return NULL;
    switch (t->kind) {
    case TK_NAME:
        x = xnew(p, TX_CONST, t->span.start, t->span.end);
        if (!x)
            return NULL;
        if (tmpl_tok_is_name(t, "true") || tmpl_tok_is_name(t, "True")) {
            x->val.kind = TV_BOOL;
            x->val.u.b = true;
        } else if (tmpl_tok_is_name(t, "false") ||
                   tmpl_tok_is_name(t, "False")) {
            x->val.kind = TV_BOOL;
        } else if (tmpl_tok_is_name(t, "none") || tmpl_tok_is_name(t, "None")) {
            x->val.kind = TV_NONE;
        } else {
            x->kind = TX_NAME;
            x->name = arena_strndup(p->c->a, t->s, t->len);
            if (!x->name)
                return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                                 "out of memory");
        }
        tmpl_advance(p);
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
            return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                             "out of memory");
        total = 0;
        while (tmpl_cur(p)->kind == TK_STRING) {
            memcpy(s + total, tmpl_cur(p)->s, tmpl_cur(p)->len);
            total += tmpl_cur(p)->len;
            tmpl_advance(p);
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
        tmpl_advance(p);
        return x;
    case TK_FLOAT:
        return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
                         "floating-point numbers are not supported");
    case TK_OP:
        if (t->op == TO_LPAREN) {
            tmpl_advance(p);
            x = tmpl_parse_tuple(p, false, true, NULL, true);
            if (!expect_op(p, TO_RPAREN, ")"))
                return NULL;
            return x;
        }
        if (t->op == TO_LBRACKET)
            return parse_list(p);
        if (t->op == TO_LBRACE)
            return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
                             "dict literals are not supported");
        break;
    default:
        break;
    }
    return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span, "unexpected %s",
                     tmpl_tok_describe(p, t));
}

/* `.name`, `.0` or `[key]` after @p node. */
static struct texpr *parse_subscript(struct tparse *p, struct texpr *node)
{
    const struct ttok *t = tmpl_cur(p);
    struct texpr *x;

    if (tmpl_tok_is_op(t, TO_DOT)) {
        tmpl_advance(p);
        t = tmpl_cur(p);
        if (t->kind == TK_NAME) {
            x = xnew(p, TX_ATTR, node->span.start, t->span.end);
            if (!x)
                return NULL;
            x->a = node;
            x->name = arena_strndup(p->c->a, t->s, t->len);
            tmpl_advance(p);
            return x->name ? x
                           : tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                                       "out of memory");
        }
        if (t->kind != TK_INT)
            return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                             "expected a name or a number after '.', got %s",
                             tmpl_tok_describe(p, t));
        x = xnew(p, TX_ITEM, node->span.start, t->span.end);
        if (!x)
            return NULL;
        x->a = node;
        x->b = xnew(p, TX_CONST, t->span.start, t->span.end);
        if (!x->b)
            return NULL;
        x->b->val.kind = TV_INT;
        x->b->val.u.i = t->i;
        tmpl_advance(p);
        return x;
    }
    /* [ ... ] */
    tmpl_advance(p);
    if (tmpl_tok_is_op(tmpl_cur(p), TO_COLON))
        return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
                         "slices are not supported");
    if (tmpl_tok_is_op(tmpl_cur(p), TO_RBRACKET))
        return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, tmpl_cur(p)->span,
                         "expected a subscript");
    x = xnew(p, TX_ITEM, node->span.start, 0);
    if (!x)
        return NULL;
    x->a = node;
    x->b = tmpl_parse_expression(p, true);
    if (!x->b)
        return NULL;
    if (tmpl_tok_is_op(tmpl_cur(p), TO_COLON))
        return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
                         "slices are not supported");
    if (tmpl_tok_is_op(tmpl_cur(p), TO_COMMA))
        return tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
                         "tuple subscripts are not supported");
    if (!expect_op(p, TO_RBRACKET, "]"))
        return NULL;
    x->span.end = prev_end(p);
    return x;
}

/* A call: only `mapping.items()` is in the subset. */
static struct texpr *parse_call(struct tparse *p, struct texpr *node)
{
    const struct ttok *t = tmpl_cur(p);
    struct texpr *x;

    if (node->kind != TX_ATTR || strcmp(node->name, "items") != 0 ||
        !tmpl_tok_is_op(tmpl_look(p), TO_RPAREN))
        return tmpl_perr(
            p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
            "calls are not supported, except '.items()' on a mapping");
    tmpl_advance(p);
    tmpl_advance(p);
    x = xnew(p, TX_ITEMS, node->span.start, prev_end(p));
    if (x)
        x->a = node->a;
    return x;
}

static struct texpr *parse_postfix(struct tparse *p, struct texpr *node)
{
    while (node && !p->failed) {
        const struct ttok *t = tmpl_cur(p);
        if (tmpl_tok_is_op(t, TO_DOT) || tmpl_tok_is_op(t, TO_LBRACKET))
            node = parse_subscript(p, node);
        else if (tmpl_tok_is_op(t, TO_LPAREN))
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
            tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, tmpl_cur(p)->span,
                      "out of memory");
            return false;
        }
    }
    tmpl_advance(p); /* ( */
    while (!p->failed && !tmpl_tok_is_op(tmpl_cur(p), TO_RPAREN)) {
        const struct ttok *t;
        size_t slot;

        if ((npos || kw_seen) && !expect_op(p, TO_COMMA, ","))
            return false;
        if (tmpl_tok_is_op(tmpl_cur(p), TO_RPAREN))
            break;
        t = tmpl_cur(p);
        if (tmpl_tok_is_op(t, TO_MUL) || tmpl_tok_is_op(t, TO_POW)) {
            tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
                      "'*' and '**' arguments are not supported");
            return false;
        }
        if (t->kind == TK_NAME && tmpl_tok_is_op(tmpl_look(p), TO_ASSIGN)) {
            for (slot = 0; slot < nparams; slot++) {
                if (t->len == strlen(params[slot]) &&
                    memcmp(t->s, params[slot], t->len) == 0)
                    break;
            }
            if (slot == nparams) {
                tmpl_perr(p, RENDER_TEMPLATE_TYPE, t->span,
                          "filter '%s' has no argument '%.*s'", fname,
                          (int)t->len, t->s);
                return false;
            }
            tmpl_advance(p);
            tmpl_advance(p);
            kw_seen = true;
        } else {
            if (kw_seen) {
                tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                          "a positional argument after a keyword argument");
                return false;
            }
            slot = npos++;
            if (slot >= nparams) {
                tmpl_perr(p, RENDER_TEMPLATE_TYPE, t->span,
                          "filter '%s' takes %zu argument%s", fname, nparams,
                          nparams == 1 ? "" : "s");
                return false;
            }
        }
        if (x->args[slot]) {
            tmpl_perr(p, RENDER_TEMPLATE_TYPE, t->span,
                      "filter '%s' got argument '%s' twice", fname,
                      params[slot]);
            return false;
        }
        x->args[slot] = tmpl_parse_expression(p, true);
    }
    return expect_op(p, TO_RPAREN, ")");
}

static struct texpr *parse_filter(struct tparse *p, struct texpr *node)
{
    const struct ttok *t;
    const struct tfilter *f;
    struct texpr *x;

    tmpl_advance(p); /* | */
    t = tmpl_cur(p);
    if (t->kind != TK_NAME)
        return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                         "expected a filter name, got %s",
                         tmpl_tok_describe(p, t));
    f = tmpl_filter_find(t->s, t->len);
    if (!f || tmpl_tok_is_op(tmpl_look(p), TO_DOT))
        return tmpl_perr(
            p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
            "filter '%.*s' is not supported (the subset has default, "
            "d, lower, upper, trim, replace, join, length, count, "
            "first, last, int, string and urlencode)",
            (int)t->len, t->s);
    x = xnew(p, TX_FILTER, node->span.start, t->span.end);
    if (!x)
        return NULL;
    x->filter = f;
    x->a = node;
    x->nargs = f->nparams;
    tmpl_advance(p);
    if (tmpl_tok_is_op(tmpl_cur(p), TO_LPAREN)) {
        if (!parse_filter_args(p, x, f->name, f->params, f->nparams))
            return NULL;
    } else if (f->nparams) {
        x->args = arena_zalloc(p->c->a, f->nparams * sizeof(*x->args));
        if (!x->args)
            return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                             "out of memory");
    }
    /* a parameter the subset refuses: the filter's last one */
    if (f->unsupported && x->args && x->args[f->nparams - 1])
        return tmpl_perr(
            p, RENDER_TEMPLATE_UNSUPPORTED, x->args[f->nparams - 1]->span,
            "%s's '%s' argument is not supported", f->name, f->unsupported);
    x->span.end = prev_end(p);
    return x;
}

static struct texpr *parse_test(struct tparse *p, struct texpr *node)
{
    uint32_t start = tmpl_cur(p)->span.start;
    const struct ttok *t;
    bool negated = false;
    const struct ttest *test;
    struct texpr *x;

    tmpl_advance(p); /* is */
    if (tmpl_tok_is_name(tmpl_cur(p), "not")) {
        tmpl_advance(p);
        negated = true;
    }
    t = tmpl_cur(p);
    if (t->kind != TK_NAME)
        return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                         "expected a test name, got %s",
                         tmpl_tok_describe(p, t));
    test = tmpl_test_find(t->s, t->len);
    if (!test || tmpl_tok_is_op(tmpl_look(p), TO_DOT))
        return tmpl_perr(
            p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
            "test '%.*s' is not supported (the subset has defined, "
            "undefined and none)",
            (int)t->len, t->s);
    tmpl_advance(p);
    /* Jinja2 takes a following primary as the test's argument */
    t = tmpl_cur(p);
    if (tmpl_tok_is_op(t, TO_LPAREN) ||
        (t->kind == TK_NAME && !tmpl_tok_is_name(t, "else") &&
         !tmpl_tok_is_name(t, "or") && !tmpl_tok_is_name(t, "and")) ||
        t->kind == TK_STRING || t->kind == TK_INT || t->kind == TK_FLOAT ||
        tmpl_tok_is_op(t, TO_LBRACKET) || tmpl_tok_is_op(t, TO_LBRACE)) {
        if (tmpl_tok_is_name(t, "is"))
            return tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span,
                             "tests cannot be chained with 'is'");
        if (!(tmpl_tok_is_op(t, TO_LPAREN) &&
              tmpl_tok_is_op(tmpl_look(p), TO_RPAREN)))
            return tmpl_perr(p, RENDER_TEMPLATE_TYPE, t->span,
                             "test '%s' takes no argument (Jinja2 reads %s as "
                             "one)",
                             test->name, tmpl_tok_describe(p, t));
        tmpl_advance(p);
        tmpl_advance(p);
    }
    x = xnew(p, TX_TEST, node->span.start, prev_end(p));
    if (!x)
        return NULL;
    x->test = test;
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
        const struct ttok *t = tmpl_cur(p);
        if (tmpl_tok_is_op(t, TO_PIPE))
            node = parse_filter(p, node);
        else if (tmpl_tok_is_name(t, "is"))
            node = parse_test(p, node);
        else if (tmpl_tok_is_op(t, TO_LPAREN))
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
int tmpl_expr_names(struct tcomp *c, const struct texpr *x, struct buf *b)
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
    rc = tmpl_expr_names(c, x->a, b);
    if (!rc)
        rc = tmpl_expr_names(c, x->b, b);
    if (!rc)
        rc = tmpl_expr_names(c, x->c, b);
    for (k = 0; !rc && x->args && k < x->nargs; k++)
        rc = tmpl_expr_names(c, x->args[k], b);
    return rc;
}
