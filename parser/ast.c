/* SPDX-License-Identifier: MIT */
/** @file The syntax tree: its signature, and printing it two ways
 *  (building it is build.c's). */
#include "ast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

/* ---- the signature (spec §1.1) ---- */

static bool has_magic(const char *p, size_t len, bool fold)
{
    static const char *const magics[] = {"#!ipxe", "#!gpxe"};
    size_t i, j;

    if (len < 6)
        return false;
    for (i = 0; i < 2; i++) {
        for (j = 0; j < 6; j++) {
            char c = p[j];
            if (fold && c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c != magics[i][j])
                break;
        }
        if (j == 6)
            return true;
    }
    return false;
}

enum ast_signature ast_signature_of(const char *data, size_t len)
{
    size_t i = 0;

    if (len >= 6 && memcmp(data, "#!gpxe", 6) == 0 && len >= 7 &&
        ast_is_space((unsigned char)data[6]))
        return AST_SIG_GPXE;
    if (has_magic(data, len, false)) {
        if (len < 7)
            return AST_SIG_TOO_SHORT;
        if (!ast_is_space((unsigned char)data[6]))
            return AST_SIG_NO_SPACE;
        return AST_SIG_IPXE;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 &&
        has_magic(data + 3, len - 3, true))
        return AST_SIG_BOM;
    if (has_magic(data, len, true))
        return AST_SIG_CASE;
    while (i < len && ast_is_space((unsigned char)data[i]))
        i++;
    if (i > 0 && has_magic(data + i, len - i, true))
        return AST_SIG_LEADING_WS;
    if (len < 7)
        return AST_SIG_TOO_SHORT;
    return AST_SIG_MISSING;
}

bool ast_signature_ok(enum ast_signature sig)
{
    return sig == AST_SIG_IPXE || sig == AST_SIG_GPXE;
}

/* ---- printing the source back ---- */

/* Whether the bytes [from, to) are trivia: whitespace, and the
 * backslashes, CRs and newlines of continuations (which iPXE removes;
 * joins.c says exactly which).  A newline must follow a backslash. */
static bool is_trivia(const char *data, size_t srclen, uint32_t from,
                      uint32_t to)
{
    bool joining = false;
    uint32_t i;

    (void)srclen;
    for (i = from; i < to; i++) {
        unsigned char c = (unsigned char)data[i];

        if (c == '\\')
            joining = true;
        else if (c == '\n' && !joining)
            return false;
        else if (c != '\n' && !ast_is_space(c))
            return false;
    }
    return true;
}

struct printer {
    const struct ast_script *s;
    struct buf *out;
    uint32_t at; /**< how far the source has been printed */
    int rc;      /**< first failure */
};

/* Print trivia up to @p span, then the span itself. */
static void print_span(struct printer *pr, struct span span)
{
    const char *data = pr->s->src->data;

    if (pr->rc)
        return;
    if (span.start < pr->at ||
        !is_trivia(data, pr->s->src->len, pr->at, span.start)) {
        pr->rc = -EPROTO;
        return;
    }
    pr->rc = buf_add(pr->out, data + pr->at, span.end - pr->at);
    pr->at = span.end;
}

int ast_print_source(const struct ast_script *s, struct buf *out)
{
    struct printer pr = {s, out, 0, 0};
    const struct ast_line *line;

    for (line = s->lines; line && !pr.rc; line = line->next) {
        const struct ast_segment *seg;

        if (line->span.start != pr.at)
            return -EPROTO;
        if (line->flags & AST_L_ERROR) {
            /* Kept whole: an error line is one opaque run of bytes. */
            pr.rc = buf_add(out, s->src->data + pr.at, line->span.end - pr.at);
            pr.at = line->span.end;
            continue;
        }
        if (line->label)
            print_span(&pr, line->label->span);
        for (seg = line->segs; seg; seg = seg->next) {
            uint32_t i;
            for (i = 0; i < seg->argc; i++)
                print_span(&pr, seg->argv[i]->span);
            if (seg->op)
                print_span(&pr, seg->op->span);
        }
        if (line->trail)
            print_span(&pr, line->trail->span);
        print_span(&pr, ast_line_eol(line));
        if (!pr.rc && pr.at != line->span.end)
            pr.rc = -EPROTO;
    }
    if (!pr.rc && pr.at != s->src->len)
        pr.rc = -EPROTO;
    return pr.rc;
}

/* ---- printing the tree (ipxe-lint --dump=ast) ---- */

/* A quoted, escaped copy of @p len bytes: printable ASCII as is, the rest
 * as C escapes, so the dump is stable text whatever the input. */
static int print_quoted(struct buf *out, const char *p, size_t len)
{
    size_t i;
    int rc = buf_addch(out, '"');

    for (i = 0; i < len && !rc; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
        case '"':
            rc = buf_adds(out, "\\\"");
            break;
        case '\\':
            rc = buf_adds(out, "\\\\");
            break;
        case '\n':
            rc = buf_adds(out, "\\n");
            break;
        case '\r':
            rc = buf_adds(out, "\\r");
            break;
        case '\t':
            rc = buf_adds(out, "\\t");
            break;
        default:
            if (c < 0x20 || c >= 0x7f)
                rc = buf_addf(out, "\\x%02x", c);
            else
                rc = buf_addch(out, (char)c);
        }
    }
    if (!rc)
        rc = buf_addch(out, '"');
    return rc;
}

static int print_pos(struct buf *out, struct source *src, struct span span)
{
    struct position a = source_position(src, span.start);
    struct position b = source_position(src, span.end);

    return buf_addf(out, "%u:%u-%u:%u", a.line, a.column, b.line, b.column);
}

static int print_indent(struct buf *out, int depth)
{
    int rc = 0;

    while (depth-- > 0 && !rc)
        rc = buf_adds(out, "  ");
    return rc;
}

static const char *const part_names[] = {
    [AST_PART_EXPAND] = "expand",
    [AST_PART_TMPL_EXPR] = "template-expr",
    [AST_PART_TMPL_STMT] = "template-stmt",
    [AST_PART_TMPL_COMMENT] = "template-comment",
    [AST_PART_CONT] = "continuation",
};

/* Deep nesting (`${${${...`) would make the dump quadratic in size:
 * indentation stops growing here and the depth is printed instead. */
#define INDENT_MAX 32
#define FIELD_MAX  64

/* The bytes [from, to) of an expansion field, quoted, without the
 * continuations among @p children (which are in source order).  A field
 * holds its nested expansions' text: only a bounded prefix is printed, or
 * the dump of deep nesting would grow with the square of the input. */
static int print_field(struct buf *out, const char *data, uint32_t from,
                       uint32_t to, const struct ast_part *children)
{
    struct buf text;
    const struct ast_part *c;
    size_t total = 0;
    int rc = 0;

    buf_init(&text, BUF_MAX_UNLIMITED);
    for (c = children; c && !rc; c = c->next) {
        size_t n;

        if (c->kind != AST_PART_CONT || c->span.end <= from ||
            c->span.start >= to)
            continue;
        n = c->span.start - from;
        total += n;
        if (text.len < FIELD_MAX)
            rc = buf_add(&text, data + from,
                         n < FIELD_MAX - text.len ? n : FIELD_MAX - text.len);
        from = c->span.end;
    }
    if (!rc && to > from) {
        size_t n = to - from;
        total += n;
        if (text.len < FIELD_MAX)
            rc = buf_add(&text, data + from,
                         n < FIELD_MAX - text.len ? n : FIELD_MAX - text.len);
    }
    if (!rc)
        rc = print_quoted(out, text.data, text.len);
    if (!rc && total > text.len)
        rc = buf_addf(out, "...(%zu bytes)", total);
    buf_release(&text);
    return rc;
}

/* An expansion's scope, name and type, continuations left out. */
static int print_expand_fields(struct buf *out, const char *data,
                               const struct ast_part *x)
{
    uint32_t open = ast_expand_body(x), close = x->span.end - 1;
    uint32_t name_start = x->slash != AST_NONE ? x->slash + 1 : open;
    uint32_t name_end = x->colon != AST_NONE ? x->colon : close;
    int rc = 0;

    if (x->slash != AST_NONE) {
        rc = buf_adds(out, " scope=");
        if (!rc)
            rc = print_field(out, data, open, x->slash, x->children);
    }
    if (!rc)
        rc = buf_adds(out, " name=");
    if (!rc)
        rc = print_field(out, data, name_start, name_end, x->children);
    if (!rc && x->colon != AST_NONE) {
        rc = buf_adds(out, " type=");
        if (!rc)
            rc = print_field(out, data, x->colon + 1, close, x->children);
    }
    return rc;
}

static int print_part(struct buf *out, struct source *src,
                      const struct ast_part *p, int depth)
{
    int rc = print_indent(out, depth < INDENT_MAX ? depth : INDENT_MAX);

    if (!rc && depth > INDENT_MAX)
        rc = buf_addf(out, "[depth %d] ", depth);
    if (!rc)
        rc = buf_addf(out, "%s ", part_names[p->kind]);
    if (!rc)
        rc = print_pos(out, src, p->span);
    if (!rc && p->kind == AST_PART_EXPAND)
        rc = print_expand_fields(out, src->data, p);
    else if (!rc && p->kind != AST_PART_CONT) {
        rc = buf_addch(out, ' ');
        if (!rc)
            rc = print_quoted(out, src->data + p->span.start,
                              p->span.end - p->span.start);
    }
    return rc ? rc : buf_addch(out, '\n');
}

/* Parts nest as deep as the input's `${`: walk them with a stack of our
 * own, not the C stack. */
static int print_parts(struct buf *out, struct source *src,
                       const struct ast_part *p, int depth)
{
    const struct ast_part **stack = NULL, **grown;
    size_t top = 0, cap = 0;
    int rc = 0;

    while (p && !rc) {
        rc = print_part(out, src, p, depth + (int)top);
        if (rc)
            break;
        if (p->children) {
            if (top == cap) {
                cap = cap ? cap * 2 : 16;
                grown = realloc(stack, cap * sizeof(*stack));
                if (!grown) {
                    rc = -ENOMEM;
                    break;
                }
                stack = grown;
            }
            stack[top++] = p->next;
            p = p->children;
            continue;
        }
        p = p->next;
        while (!p && top)
            p = stack[--top];
    }
    free(stack);
    return rc;
}

static int print_flags(struct buf *out, unsigned flags,
                       const char *const *names, size_t n)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < n && !rc; i++) {
        if (flags & (1u << i))
            rc = buf_addf(out, " %s", names[i]);
    }
    return rc;
}

static const char *const word_flag_names[] = {
    "cont", "expand", "template", "control", "unclosed", "stray-close",
};

static const char *const word_kind_names[] = {
    [AST_WORD] = "word",
    [AST_LABEL] = "label",
    [AST_OR] = "op",
    [AST_AND] = "op",
    [AST_SEMI] = "op",
    [AST_COMMENT] = "comment",
    [AST_TAIL] = "ignored-after-nul",
};

static int print_word(struct buf *out, struct source *src,
                      const struct ast_word *w, int depth)
{
    int rc = print_indent(out, depth);

    if (!rc)
        rc = buf_addf(out, "%s ", word_kind_names[w->kind]);
    if (!rc)
        rc = print_pos(out, src, w->span);
    if (!rc)
        rc = buf_addch(out, ' ');
    if (!rc)
        rc = print_quoted(out, w->text, w->len);
    if (!rc)
        rc = print_flags(out, w->flags, word_flag_names,
                         sizeof(word_flag_names) / sizeof(word_flag_names[0]));
    if (!rc)
        rc = buf_addch(out, '\n');
    if (!rc && ast_word_parts(w))
        rc = print_parts(out, src, ast_word_parts(w), depth + 1);
    return rc;
}

static bool line_is_blank(const struct ast_line *line)
{
    return !line->label && !line->trail && line->segs && !line->segs->next &&
           line->segs->argc == 0;
}

static const char *const line_flag_names[] = {"dangling", "error", "cont"};

static const char *const signature_names[] = {
    [AST_SIG_IPXE] = "ipxe",       [AST_SIG_GPXE] = "gpxe",
    [AST_SIG_MISSING] = "missing", [AST_SIG_TOO_SHORT] = "too-short",
    [AST_SIG_BOM] = "bom",         [AST_SIG_LEADING_WS] = "leading-space",
    [AST_SIG_CASE] = "wrong-case", [AST_SIG_NO_SPACE] = "no-space",
};

static int print_line(struct buf *out, struct source *src,
                      const struct ast_line *line)
{
    const struct ast_segment *seg;
    int rc = buf_adds(out, "line ");

    if (!rc)
        rc = print_pos(out, src, line->span);
    if (!rc && !(line->flags & AST_L_ERROR) && line_is_blank(line))
        rc = buf_adds(out, " blank");
    if (!rc)
        rc = print_flags(out, line->flags, line_flag_names,
                         sizeof(line_flag_names) / sizeof(line_flag_names[0]));
    if (!rc)
        rc = buf_addch(out, '\n');
    if (rc)
        return rc;
    if (line->flags & AST_L_ERROR) {
        rc = buf_adds(out, "  text ");
        if (!rc)
            rc = print_quoted(out, src->data + line->span.start,
                              line->span.end - line->span.start);
        return rc ? rc : buf_addch(out, '\n');
    }
    if (line->label)
        rc = print_word(out, src, line->label, 1);
    /* A line without words or operators has one empty segment: say so
     * only where it matters (a line with operators). */
    seg = line->segs;
    if (seg && seg->argc == 0 && !seg->next)
        seg = NULL;
    for (; seg && !rc; seg = seg->next) {
        uint32_t i;
        rc = buf_adds(out, seg->argc ? "  command\n" : "  command (empty)\n");
        for (i = 0; i < seg->argc && !rc; i++)
            rc = print_word(out, src, seg->argv[i], 2);
        if (!rc && seg->op)
            rc = print_word(out, src, seg->op, 1);
    }
    if (!rc && line->trail)
        rc = print_word(out, src, line->trail, 1);
    if (!rc) {
        rc = buf_adds(out, "  eol ");
        if (!rc && !line->eol_len)
            rc = buf_adds(out, "(end of file)");
        else if (!rc)
            rc = print_quoted(out, src->data + ast_line_eol(line).start,
                              line->eol_len);
        if (!rc)
            rc = buf_addch(out, '\n');
    }
    return rc;
}

int ast_print_tree(const struct ast_script *s, struct buf *out)
{
    const struct ast_line *line;
    int rc;

    rc = buf_addf(out, "script %s signature=%s lines=%zu words=%zu\n",
                  s->is_template ? "template" : "plain",
                  signature_names[s->signature], s->nlines, s->nwords);
    for (line = s->lines; line && !rc; line = line->next)
        rc = print_line(out, s->src, line);
    return rc;
}
