/* SPDX-License-Identifier: MIT */
/** @file The re2c lexer: bytes to the tokens of iPXE's logical lines.
 *
 * Conditions:
 *   init  between tokens: trivia, end of line, the start of a token;
 *   word  inside a word: `${` and `}` are matched up as iPXE's expansion
 *         does (spec §2.5), continuations glue, whitespace ends it;
 *   tag   inside a template tag (template mode): whitespace does not split,
 *         quoted strings are skipped, the tag's own closer ends it;
 *   tail  a comment or the bytes after a NUL: everything to the end of the
 *         logical line, continuations included.
 */
#include "lexer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "grammar.tab.h"

/*!types:re2c */

#define OFF(lx, p) ((uint32_t)((p) - (lx)->base))

void lexer_init(struct lexer *lx, const struct source *src, bool is_template,
                struct arena *a, struct diag_list *d)
{
    memset(lx, 0, sizeof(*lx));
    lx->base = (const unsigned char *)src->data;
    lx->cur = lx->base;
    lx->lim = lx->base + src->len;
    lx->cond = yycinit;
    lx->is_template = is_template;
    lx->at_line_start = true;
    lx->arena = a;
    lx->diags = d;
}

void lexer_release(struct lexer *lx)
{
    free(lx->frames);
    lx->frames = NULL;
    lx->depth = lx->frames_cap = 0;
}

static void *lexer_zalloc(struct lexer *lx, size_t size)
{
    void *p = arena_zalloc(lx->arena, size);

    if (!p)
        lx->oom = true;
    return p;
}

/* ---- building the parts of a word ---- */

static void frame_append(struct lexer_frame *f, struct ast_part *part)
{
    if (f->tail)
        f->tail->next = part;
    else
        f->head = part;
    f->tail = part;
}

static struct ast_part *lexer_part(struct lexer *lx, enum ast_part_kind kind,
                                   uint32_t start, uint32_t end)
{
    struct ast_part *part = lexer_zalloc(lx, sizeof(*part));

    if (!part)
        return NULL;
    part->span.start = start;
    part->span.end = end;
    part->kind = (uint8_t)kind;
    part->slash = part->colon = AST_NONE;
    frame_append(&lx->frames[lx->depth - 1], part);
    return part;
}

static bool lexer_push(struct lexer *lx, uint32_t start)
{
    if (lx->depth == lx->frames_cap) {
        size_t cap = lx->frames_cap ? lx->frames_cap * 2 : 8;
        struct lexer_frame *f = realloc(lx->frames, cap * sizeof(*f));
        if (!f) {
            lx->oom = true;
            return false;
        }
        lx->frames = f;
        lx->frames_cap = cap;
    }
    lx->frames[lx->depth].start = start;
    lx->frames[lx->depth].head = NULL;
    lx->frames[lx->depth].tail = NULL;
    lx->depth++;
    return true;
}

/* Find the scope '/' and the type ':' of an expansion, in its literal text
 * only: a '/' or ':' that an inner expansion produces is not known here. */
static void expand_split(struct lexer *lx, struct ast_part *x)
{
    const struct ast_part *child = x->children;
    uint32_t i = x->span.start + 2, end = x->span.end - 1;

    while (i < end) {
        if (child && i == child->span.start) {
            i = child->span.end;
            child = child->next;
            continue;
        }
        if (lx->base[i] == '/' && x->slash == AST_NONE &&
            x->colon == AST_NONE)
            x->slash = i;
        else if (lx->base[i] == ':' && x->colon == AST_NONE)
            x->colon = i;
        i++;
    }
}

/* `}`: close the innermost open `${`, or note a literal '}'. */
static void lexer_close_expand(struct lexer *lx)
{
    struct lexer_frame f;
    struct ast_part *x;

    if (lx->depth < 2) {
        lx->word_flags |= AST_W_STRAY_CLOSE;
        return;
    }
    f = lx->frames[--lx->depth];
    x = lexer_part(lx, AST_PART_EXPAND, f.start, OFF(lx, lx->cur));
    if (!x)
        return;
    x->children = f.head;
    expand_split(lx, x);
    lx->word_flags |= AST_W_EXPAND;
}

/* Logical text of a word: its raw bytes less the continuations inside. */
static const char *word_cook(struct lexer *lx, struct ast_word *w)
{
    const struct ast_part *p;
    uint32_t from = w->span.start;
    char *text, *out;

    text = arena_alloc(lx->arena, w->span.end - w->span.start);
    if (!text) {
        lx->oom = true;
        return "";
    }
    out = text;
    for (p = w->parts; p; p = p->next) {
        if (p->kind != AST_PART_CONT)
            continue;
        memcpy(out, lx->base + from, p->span.start - from);
        out += p->span.start - from;
        from = p->span.end;
    }
    memcpy(out, lx->base + from, w->span.end - from);
    out += w->span.end - from;
    w->len = (uint32_t)(out - text);
    return text;
}

/* Continuations inside `${...}` are nested in it: the cook step needs them
 * at the top level, so an expansion holding one is rare enough to flatten
 * for cooking only by walking the tree. */
static bool parts_have_nested_cont(const struct ast_part *p)
{
    for (; p; p = p->next) {
        const struct ast_part *c;
        for (c = p->children; c; c = c->next) {
            if (c->kind == AST_PART_CONT || parts_have_nested_cont(c))
                return true;
        }
    }
    return false;
}

static void cook_nested(struct lexer *lx, struct ast_word *w)
{
    /* Copy byte by byte, skipping every continuation at any depth. */
    uint32_t i = w->span.start;
    char *text = arena_alloc(lx->arena, w->span.end - w->span.start);
    char *out = text;

    if (!text) {
        lx->oom = true;
        return;
    }
    while (i < w->span.end) {
        const unsigned char *p = lx->base + i;
        if (p[0] == '\\' && i + 1 < w->span.end &&
            (p[1] == '\n' ||
             (p[1] == '\r' && i + 2 < w->span.end && p[2] == '\n'))) {
            i += p[1] == '\n' ? 2 : 3;
            continue;
        }
        *out++ = (char)*p;
        i++;
    }
    w->text = text;
    w->len = (uint32_t)(out - text);
}

/* The word scanned since word_start is complete: make its token. */
static int lexer_finish_word(struct lexer *lx, union YYSTYPE *val,
                             struct span *loc)
{
    struct ast_word *w;
    int tok = TOK_WORD;

    /* An unclosed `${` is literal: what it held moves up a level. */
    while (lx->depth > 1) {
        struct lexer_frame f = lx->frames[--lx->depth];
        struct lexer_frame *up = &lx->frames[lx->depth - 1];
        if (f.head) {
            if (up->tail)
                up->tail->next = f.head;
            else
                up->head = f.head;
            up->tail = f.tail;
        }
        lx->word_flags |= AST_W_UNCLOSED;
    }
    lx->cond = yycinit;
    w = lexer_zalloc(lx, sizeof(*w));
    if (!w)
        return TOK_YYerror;
    w->span.start = lx->word_start;
    w->span.end = OFF(lx, lx->cur);
    w->flags = lx->word_flags;
    w->parts = lx->depth ? lx->frames[0].head : NULL;
    lx->depth = 0;
    if (w->flags & AST_W_CONT) {
        w->text = word_cook(lx, w);
        if (parts_have_nested_cont(w->parts))
            cook_nested(lx, w);
    } else {
        w->text = (const char *)lx->base + w->span.start;
        w->len = w->span.end - w->span.start;
    }

    /* Operators and labels are judged on the raw word (spec §2.1). */
    if (w->len == 2 && memcmp(w->text, "||", 2) == 0)
        tok = TOK_OR, w->kind = AST_OR;
    else if (w->len == 2 && memcmp(w->text, "&&", 2) == 0)
        tok = TOK_AND, w->kind = AST_AND;
    else if (w->len == 1 && w->text[0] == ';')
        tok = TOK_SEMI, w->kind = AST_SEMI;
    else if (lx->at_line_start && w->len && w->text[0] == ':') {
        tok = TOK_LABEL;
        w->kind = AST_LABEL;
        w->text++;
        w->len--;
    } else {
        w->kind = AST_WORD;
    }
    lx->at_line_start = false;
    val->word = w;
    *loc = w->span;
    return tok;
}

/* Start scanning a word at lx->tok. */
static void lexer_begin_word(struct lexer *lx)
{
    lx->cur = lx->tok;
    lx->word_start = OFF(lx, lx->tok);
    lx->word_flags = 0;
    lx->tag_seen = false;
    lx->depth = 0;
    lexer_push(lx, lx->word_start);
    lx->cond = yycword;
}

/* Start a comment (or, @p is_tail, the bytes after a NUL) at lx->tok. */
static void lexer_begin_tail(struct lexer *lx, bool is_tail)
{
    lx->line_open = true;
    lx->word_start = OFF(lx, lx->tok);
    lx->is_tail = is_tail;
    lx->tag_seen = false;
    lx->depth = 0;
    lexer_push(lx, lx->word_start);
    lx->cond = yyctail;
}

/* A template tag opened at lx->tok; @p kind says which. */
static void lexer_begin_tag(struct lexer *lx, enum ast_part_kind kind)
{
    lx->tag_erb = false;
    lx->tag_return = lx->cond;
    lx->tag_kind = (uint8_t)kind;
    lx->tag_start = OFF(lx, lx->tok);
    lx->cond = yyctag;
}

/* An ERB tag (`<% %>`, `<%= %>`, `<%# %>`: Ruby templates, also in
 * template mode) opened at lx->tok. */
static void lexer_begin_erb(struct lexer *lx, enum ast_part_kind kind)
{
    lexer_begin_tag(lx, kind);
    lx->tag_erb = true;
}

/* The closer just matched ends the open tag if it is the right one. */
static void lexer_close_tag(struct lexer *lx, enum ast_part_kind kind)
{
    if (kind != lx->tag_kind)
        return;
    lexer_part(lx, kind, lx->tag_start, OFF(lx, lx->cur));
    lx->tag_seen = true;
    lx->cond = lx->tag_return;
}

/* A template tag runs to the end of the file: report it, and resume at the
 * end of the physical line it started on, so only that line is lost. */
static int lexer_unterminated_tag(struct lexer *lx, struct span *loc)
{
    const unsigned char *nl;
    struct span at;

    nl = memchr(lx->base + lx->tag_start, '\n',
                (size_t)(lx->lim - (lx->base + lx->tag_start)));
    lx->cur = nl ? nl : lx->lim;
    if (nl && nl > lx->base + lx->tag_start && nl[-1] == '\r')
        lx->cur = nl - 1;
    at.start = lx->tag_start;
    at.end = OFF(lx, lx->cur);
    diag_add(lx->diags, DIAG_ERROR, "IPX4001", "template-syntax", at,
             "unterminated template tag: '%.2s' is never closed",
             (const char *)lx->base + lx->tag_start);
    lx->cond = yycinit;
    lx->depth = 0;
    loc->start = lx->word_start;
    loc->end = at.end;
    return TOK_YYerror;
}

/* The token for the end of the current line: a new line node. */
static int lexer_eol(struct lexer *lx, union YYSTYPE *val, struct span *loc,
                     uint32_t start, uint32_t end)
{
    struct ast_line *line = lexer_zalloc(lx, sizeof(*line));

    if (!line)
        return TOK_YYerror;
    line->span.start = lx->line_start;
    line->span.end = end;
    line->eol.start = start;
    line->eol.end = end;
    line->flags = lx->line_flags;
    lx->line_start = end;
    lx->line_flags = 0;
    lx->line_open = false;
    lx->at_line_start = true;
    val->line = line;
    loc->start = start;
    loc->end = end;
    return TOK_EOL;
}

/* A comment or NUL tail that started at lx->tok has been scanned. */
static int lexer_finish_tail(struct lexer *lx, union YYSTYPE *val,
                             struct span *loc)
{
    struct ast_word *w = lexer_zalloc(lx, sizeof(*w));

    lx->cond = yycinit;
    if (!w)
        return TOK_YYerror;
    w->span.start = lx->word_start;
    w->span.end = OFF(lx, lx->cur);
    w->kind = lx->is_tail ? AST_TAIL : AST_COMMENT;
    if (lx->tag_seen)
        w->flags |= AST_W_TEMPLATE;
    w->parts = lx->depth ? lx->frames[0].head : NULL;
    lx->depth = 0;
    w->text = (const char *)lx->base + w->span.start;
    w->len = w->span.end - w->span.start;
    lx->at_line_start = false;
    val->word = w;
    *loc = w->span;
    return w->kind == AST_TAIL ? TOK_TAIL : TOK_COMMENT;
}

/* Whether the template word just finished holds only control tags. */
static bool word_is_control(uint32_t start, uint32_t end,
                            const struct ast_part *p)
{
    uint32_t at = start;

    for (; p; p = p->next) {
        if (p->span.start != at)
            return false; /* literal text before this part */
        if (p->kind != AST_PART_TMPL_STMT && p->kind != AST_PART_TMPL_COMMENT &&
            p->kind != AST_PART_CONT)
            return false;
        at = p->span.end;
    }
    return at == end && at != start;
}

/* A delimiter (or the end) follows the word: unread it, finish the word. */
static int lexer_end_word(struct lexer *lx, union YYSTYPE *val,
                          struct span *loc)
{
    lx->cur = lx->tok;
    if (lx->tag_seen)
        lx->word_flags |= AST_W_TEMPLATE;
    if ((lx->word_flags & AST_W_TEMPLATE) && lx->depth == 1 &&
        word_is_control(lx->word_start, OFF(lx, lx->cur), lx->frames[0].head))
        lx->word_flags |= AST_W_CONTROL;
    return lexer_finish_word(lx, val, loc);
}

int lexer_next(struct lexer *lx, union YYSTYPE *val, struct span *loc)
{
    for (;;) {
        lx->tok = lx->cur;
        if (lx->oom)
            return TOK_YYerror;
/*!re2c
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = "lx->cur";
    re2c:define:YYLIMIT = "lx->lim";
    re2c:define:YYMARKER = "lx->mar";
    re2c:define:YYGETCONDITION = "lx->cond";
    re2c:define:YYSETCONDITION = "lx->cond = @@;";
    re2c:yyfill:enable = 0;
    re2c:eof = 0;

    blank = [ \t\v\f];
    eol   = "\r"? "\n";
    cont  = "\\" eol;
    lit   = [^ \t\v\f\r\n\x00${}\\<];

    <init> $ {
        /* A continuation with no physical line after it: iPXE never runs
         * what it accumulated (spec §1.2), whether or not a newline
         * follows the backslash. */
        if (lx->line_open && lx->cont_end == OFF(lx, lx->cur) &&
            lx->cur != lx->base)
            lx->line_flags |= AST_L_DANGLING;
        if (lx->line_open)
            return lexer_eol(lx, val, loc, OFF(lx, lx->cur), OFF(lx, lx->cur));
        return TOK_YYEOF;
    }
    <init> blank+ | "\r"  { lx->line_open = true; continue; }
    <init> cont           { lx->line_open = true;
                            lx->cont_end = OFF(lx, lx->cur);
                            lx->line_flags |= AST_L_CONT; continue; }
    <init> eol            { return lexer_eol(lx, val, loc, OFF(lx, lx->tok),
                                             OFF(lx, lx->cur)); }
    <init> "\\" "\r"? {
        lx->line_open = true;
        if (lx->cur == lx->lim) {
            /* A continuation with nothing after it: iPXE never runs this
             * line (spec §1.2).  The backslash stays trivia. */
            lx->line_flags |= AST_L_DANGLING | AST_L_CONT;
            continue;
        }
        lexer_begin_word(lx);
        continue;
    }
    <init> "\x00" { lexer_begin_tail(lx, true); continue; }
    <init> "#"     { lexer_begin_tail(lx, false); continue; }
    <init> * { lx->line_open = true; lexer_begin_word(lx); continue; }

    <word> $                   { return lexer_end_word(lx, val, loc); }
    <word> [ \t\v\f\r\n\x00] { return lexer_end_word(lx, val, loc); }
    <word> "${"  { if (lexer_push(lx, OFF(lx, lx->tok)) == false) return TOK_YYerror; continue; }
    <word> "}"   { lexer_close_expand(lx); continue; }
    <word> cont  {
        lexer_part(lx, AST_PART_CONT, OFF(lx, lx->tok), OFF(lx, lx->cur));
        lx->cont_end = OFF(lx, lx->cur);
        lx->word_flags |= AST_W_CONT;
        lx->line_flags |= AST_L_CONT;
        continue;
    }
    <word> "\\" "\r"? {
        if (lx->cur == lx->lim) {
            /* The dangling continuation is trivia of the line, not text. */
            lx->cur = lx->tok;
            return lexer_finish_word(lx, val, loc);
        }
        lx->cur = lx->tok + 1; /* a literal backslash; '\r' ends the word */
        continue;
    }
    <word> "{{" { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_EXPR); continue; }
    <word> "{%" { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_STMT); continue; }
    <word> "{#" { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_COMMENT); continue; }
    <word> "<%=" | "<%-" { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_EXPR); else lx->cur = lx->tok + 1; continue; }
    <word> "<%#" { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_COMMENT); else lx->cur = lx->tok + 1; continue; }
    <word> "<%"  { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_STMT); else lx->cur = lx->tok + 1; continue; }
    <word> lit+ { continue; }
    <word> *    { continue; }

    <tag> $ { return lexer_unterminated_tag(lx, loc); }
    <tag> "}}" { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_EXPR); continue; }
    <tag> "%}" { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_STMT); continue; }
    <tag> "#}" { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_COMMENT); continue; }
    <tag> "-"? "%>" { if (lx->tag_erb) lexer_close_tag(lx, lx->tag_kind); continue; }
    <tag> ['] ([^'\\] | "\\" [^])* ['] { continue; }
    <tag> ["] ([^"\\] | "\\" [^])* ["] { continue; }
    <tag> eol { lx->line_flags |= AST_L_CONT; continue; }
    <tag> [^'"}%#\r\n-]+ { continue; }
    <tag> *               { continue; }

    <tail> $       { return lexer_finish_tail(lx, val, loc); }
    <tail> eol     { lx->cur = lx->tok; return lexer_finish_tail(lx, val, loc); }
    <tail> cont    { lx->line_flags |= AST_L_CONT;
                     lx->cont_end = OFF(lx, lx->cur); continue; }
    <tail> "\\" "\r"? {
        if (lx->cur == lx->lim) {
            lx->cur = lx->tok;
            return lexer_finish_tail(lx, val, loc);
        }
        lx->cur = lx->tok + 1;
        continue;
    }
    <tail> "{{" { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_EXPR); continue; }
    <tail> "{%" { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_STMT); continue; }
    <tail> "{#" { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_COMMENT); continue; }
    <tail> "<%=" | "<%-" { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_EXPR); else lx->cur = lx->tok + 1; continue; }
    <tail> "<%#" { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_COMMENT); else lx->cur = lx->tok + 1; continue; }
    <tail> "<%"  { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_STMT); else lx->cur = lx->tok + 1; continue; }
    <tail> [^\r\n\\\x00{<]+ { continue; }
    <tail> *                { continue; }
*/
    }
}
