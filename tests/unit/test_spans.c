/* SPDX-License-Identifier: MIT */
/** @file Unit tests: spans and positions of the tree's nodes, across
 *  continuations, CRLF and tabs. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "test.h"
#include "treecheck.h"

struct parsed {
    struct source src;
    struct arena arena;
    struct diag_list diags;
    struct ast_script *s;
};

/* Parse @p len bytes; checks the tree's own invariants on the way. */
static void parse_bytes(struct parsed *p, const char *data, size_t len,
                        unsigned flags)
{
    struct buf err;

    memset(p, 0, sizeof(*p));
    check(source_init_mem(&p->src, "t", data, len) == 0);
    arena_init(&p->arena);
    diag_list_init(&p->diags, &p->arena);
    check(parse_source(&p->src, flags, &p->arena, &p->diags, &p->s) == 0);
    buf_init(&err, BUF_MAX_UNLIMITED);
    if (p->s && !check(treecheck_structure(p->s, &err)))
        fprintf(stderr, "  %s", err.data);
    buf_release(&err);
}
#define parse_lit(p, s, flags) parse_bytes(p, s, sizeof(s) - 1, flags)

static void parsed_release(struct parsed *p)
{
    diag_list_release(&p->diags);
    arena_release(&p->arena);
    source_release(&p->src);
}

/* The @p n-th word of the first segment of line @p line (0-based). */
static const struct ast_word *word_at(const struct ast_script *s, size_t line,
                                      size_t n)
{
    const struct ast_line *l = s ? s->lines : NULL;

    while (l && line--)
        l = l->next;
    if (!l || !l->segs || n >= l->segs->argc)
        return NULL;
    return l->segs->argv[n];
}

/* Check a span and where it starts and ends, as line:column. */
static void span_is(const char *file, int line, struct parsed *p,
                    struct span sp, uint32_t start, uint32_t end,
                    const char *where)
{
    struct position a = source_position(&p->src, sp.start);
    struct position b = source_position(&p->src, sp.end);
    char got[64];

    snprintf(got, sizeof(got), "%u:%u-%u:%u", a.line, a.column, b.line,
             b.column);
    if (!checkx(sp.start == start && sp.end == end && strcmp(got, where) == 0,
                file, line))
        fprintf(stderr, "  got [%u,%u) %s, want [%u,%u) %s\n", sp.start, sp.end,
                got, start, end, where);
}
#define check_span(p, sp, s, e, w) span_is(__FILE__, __LINE__, p, sp, s, e, w)

static bool text_is(const struct ast_word *w, const char *s, size_t n)
{
    return w && w->len == n && memcmp(w->text, s, n) == 0;
}
#define check_text(w, s) check(text_is(w, s, sizeof(s) - 1))

/* Word @p n of line @p ln (see word_at) reads @p text and spans
 * [@p start, @p end) at @p where; returns the word, or NULL if it is not
 * there (which fails). */
static const struct ast_word *word_is(const char *file, int line,
                                      struct parsed *p, size_t ln, size_t n,
                                      const char *text, uint32_t start,
                                      uint32_t end, const char *where)
{
    const struct ast_word *w = word_at(p->s, ln, n);

    if (!checkx(text_is(w, text, strlen(text)), file, line))
        fprintf(stderr, "  word %zu of line %zu: got '%.*s', want '%s'\n", n,
                ln, w ? (int)w->len : 0, w ? w->text : "", text);
    if (!w)
        return NULL;
    span_is(file, line, p, w->span, start, end, where);
    return w;
}
#define check_word(p, ln, n, text, s, e, where)                                \
    word_is(__FILE__, __LINE__, p, ln, n, text, s, e, where)

/* Word @p w's one part, if it has exactly one and of @p kind, else NULL. */
static const struct ast_part *only_part(const struct ast_word *w,
                                        enum ast_part_kind kind)
{
    const struct ast_part *x = ast_word_parts(w);

    return x && x->kind == kind && !x->next ? x : NULL;
}

static void test_continuation_spans(void)
{
    struct parsed p;
    const struct ast_word *w;

    /*          0 1 2  3 4 5 6 7 8  9 10 11 */
    parse_lit(&p, "a \\\n  bc\\\nd\n", 0);
    check(p.s && p.s->nlines == 1);
    if (!p.s || !p.s->lines)
        goto out;
    check_span(&p, p.s->lines->span, 0, 12, "1:1-4:1");
    check_span(&p, ast_line_eol(p.s->lines), 11, 12, "3:2-4:1");
    check(p.s->lines->flags == AST_L_CONT);
    check_word(&p, 0, 0, "a", 0, 1, "1:1-1:2");
    /* glued: no space inserted (spec §1.2) */
    w = check_word(&p, 0, 1, "bcd", 6, 11, "2:3-3:2");
    if (w) {
        check(w->flags == AST_W_CONT);
        const struct ast_part *x = only_part(w, AST_PART_CONT);
        if (check(x != NULL))
            check_span(&p, x->span, 8, 10, "2:5-3:1");
    }
out:
    parsed_release(&p);
}

static void test_crlf_spans(void)
{
    struct parsed p;
    const struct ast_word *w;
    const struct ast_line *l;

    /*             0 1 2  3  4 5 6  7  8 9 10 11 12 */
    parse_lit(&p, "a b\\\r\nc\r\n\r\n", 0);
    check(p.s && p.s->nlines == 2);
    l = p.s ? p.s->lines : NULL;
    if (!l || !l->next)
        goto out;
    check_span(&p, l->span, 0, 9, "1:1-3:1");
    check_span(&p, ast_line_eol(l), 7, 9, "2:2-3:1");
    w = check_word(&p, 0, 1, "bc", 2, 7, "1:3-2:2");
    /* the continuation's part holds its CR */
    if (w && check(only_part(w, AST_PART_CONT) != NULL))
        check_span(&p, only_part(w, AST_PART_CONT)->span, 3, 6, "1:4-2:1");
    check_span(&p, l->next->span, 9, 11, "3:1-4:1");
    check_span(&p, ast_line_eol(l->next), 9, 11, "3:1-4:1");
out:
    parsed_release(&p);
}

static void test_tab_columns(void)
{
    struct parsed p;
    const struct ast_word *w;
    const struct ast_line *l;

    parse_lit(&p, "\t:x\techo\t${a}\t# c\t\n", 0);
    l = p.s ? p.s->lines : NULL;
    if (!check(l != NULL && l->label && ast_line_comment(l)))
        goto out;
    check_span(&p, l->label->span, 1, 3, "1:2-1:4");
    check(text_is(l->label, "x", 1));
    check_word(&p, 0, 0, "echo", 4, 8, "1:5-1:9");
    w = check_word(&p, 0, 1, "${a}", 9, 13, "1:10-1:14");
    if (w && check(only_part(w, AST_PART_EXPAND) != NULL))
        check_span(&p, only_part(w, AST_PART_EXPAND)->span, 9, 13, "1:10-1:14");
    /* A comment runs to the end of the line, trailing blanks included. */
    check_span(&p, ast_line_comment(l)->span, 14, 18, "1:15-1:19");
    check_span(&p, ast_line_eol(l), 18, 19, "1:19-2:1");
out:
    parsed_release(&p);
}

static void test_operator_and_tail_spans(void)
{
    struct parsed p;
    const struct ast_line *l;

    parse_lit(&p, "a || b ;\n|\\\n| x\0 y", 0);
    l = p.s ? p.s->lines : NULL;
    if (!check(l && l->next && l->segs && l->segs->op))
        goto out;
    check_span(&p, l->segs->op->span, 2, 4, "1:3-1:5");
    check(l->segs->op->kind == AST_OR);
    check(l->segs->next && l->segs->next->op &&
          l->segs->next->op->kind == AST_SEMI);
    check(l->segs->next->next && l->segs->next->next->argc == 0);
    l = l->next;
    /* An operator glued by a continuation is still an operator. */
    if (check(l->segs && l->segs->op)) {
        check(l->segs->op->kind == AST_OR);
        check_span(&p, l->segs->op->span, 9, 13, "2:1-3:2");
    }
    if (check(ast_line_tail(l) != NULL && !ast_line_comment(l))) {
        check_span(&p, l->trail->span, 15, 18, "3:4-3:7");
        check(l->trail->len == 3 && l->trail->text[0] == '\0');
    }
    check_span(&p, ast_line_eol(l), 18, 18, "3:7-3:7");
out:
    parsed_release(&p);
}

static void test_expand_spans(void)
{
    struct parsed p;
    const struct ast_word *w;
    const struct ast_part *x;

    /*               0123456789012345678901 */
    parse_lit(&p, "echo ${net${i}/mac:hex}\n", 0);
    w = word_at(p.s, 0, 1);
    if (!check(w && ast_word_parts(w)))
        goto out;
    x = ast_word_parts(w);
    check(x->kind == AST_PART_EXPAND && !x->next);
    check_span(&p, x->span, 5, 23, "1:6-1:24");
    check(x->slash == 14 && x->colon == 18);
    if (check(x->children != NULL)) {
        check_span(&p, x->children->span, 10, 14, "1:11-1:15");
        check(x->children->slash == AST_NONE && x->children->colon == AST_NONE);
    }
out:
    parsed_release(&p);
}

static void test_template_spans(void)
{
    struct parsed p;
    const struct ast_word *w;

    parse_lit(&p, "kernel {{ a b }}/x\n{% if\n y %}z\n", PARSE_TEMPLATE);
    w = check_word(&p, 0, 1, "{{ a b }}/x", 7, 18, "1:8-1:19");
    if (w && check(ast_word_parts(w) != NULL)) {
        const struct ast_part *x = ast_word_parts(w);
        check(x->kind == AST_PART_TMPL_EXPR);
        check_span(&p, x->span, 7, 16, "1:8-1:17");
    }
    /* A tag may span lines (Jinja allows it); the line then does too. */
    check_word(&p, 1, 0, "{% if\n y %}z", 19, 31, "2:1-3:7");
    check(p.diags.len == 0);
    parsed_release(&p);
}

int main(void)
{
    test_continuation_spans();
    test_crlf_spans();
    test_tab_columns();
    test_operator_and_tail_spans();
    test_expand_spans();
    test_template_spans();
    return test_done();
}
