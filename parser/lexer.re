/* SPDX-License-Identifier: MIT */
/** @file The re2c lexer: bytes to the tokens of iPXE's logical lines.
 *
 * Conditions:
 *   init  between tokens: trivia, end of line, the start of a token;
 *   word  inside a word: `${` and `}` are matched up as iPXE's expansion
 *         does (spec §2.5), continuations glue, whitespace ends it;
 *   tag   inside a Jinja2 or Go tag (template mode): whitespace does not
 *         split, quoted strings are skipped, the tag's own closer ends it;
 *   rawtag  inside an ERB tag or a Jinja2 comment: the first closer ends
 *         it, quotes or not, as ERB's scanner and Jinja2's comment rule
 *         read it (an apostrophe in `<%# it's %>` opens no string);
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
#include "joins.h"

/*!types:re2c */

#define OFF(lx, p) ((uint32_t)((p) - (lx)->base))

static void lexer_init_common(struct lexer *lx, const struct source *src,
                              bool is_template, struct arena *a,
                              struct diag_list *d)
{
    size_t i;

    memset(lx, 0, sizeof(*lx));
    lx->base = (const unsigned char *)src->data;
    lx->cur = lx->base;
    lx->lim = lx->base + src->len;
    lx->cond = yycinit;
    lx->is_template = is_template;
    lx->at_line_start = true;
    for (i = 0; i < 6; i++)
        lx->no_closer_after[i] = AST_NONE;
    lx->joins_lim = (uint32_t)src->len;
    lx->arena = a;
    lx->diags = d;
}

void lexer_init(struct lexer *lx, const struct source *src, bool is_template,
                struct arena *a, struct diag_list *d)
{
    lexer_init_common(lx, src, is_template, a, d);
    if (joins_scan(&lx->joins, src->data, src->len))
        lx->oom = true;
}

void lexer_init_part(struct lexer *lx, const struct source *src,
                     const struct joins *joins, uint32_t start, uint32_t stop,
                     struct arena *a, struct diag_list *d)
{
    size_t lo = 0, hi = joins->n;

    lexer_init_common(lx, src, false, a, d);
    lx->joins = *joins;
    lx->joins_borrowed = true;
    lx->cur = lx->base + start;
    lx->line_start = start;
    if (stop < src->len)
        lx->stop = lx->base + stop;
    /* the first join range at or after start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (joins->ranges[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    lx->join = lo;
}

void lexer_release(struct lexer *lx)
{
    if (!lx->joins_borrowed)
        joins_release(&lx->joins);
    free(lx->frames);
    free(lx->conts);
    lx->conts = NULL;
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

/* A new word, with the parts gathered since it started (if any). */
static inline struct ast_word *lexer_word(struct lexer *lx)
{
    struct ast_part *parts = lx->depth ? lx->frames[0].head : NULL;
    struct ast_word_ext *x;

    lx->depth = 0;
    if (!parts)
        return lexer_zalloc(lx, sizeof(struct ast_word));
    x = lexer_zalloc(lx, sizeof(*x));
    if (!x)
        return NULL;
    x->parts = parts;
    x->word.has_parts = true;
    return &x->word;
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

/* Find the scope '/' (the first one) and the type ':' (the first after the
 * scope) of an expansion, in its literal text only: a '/' or ':' that an
 * inner expansion produces is not known here (spec §3.1). */
static void expand_split(struct lexer *lx, struct ast_part *x)
{
    const struct ast_part *child = x->children;
    uint32_t i = ast_expand_body(x), end = x->span.end - 1;

    while (child && child->span.end <= i)
        child = child->next; /* a continuation inside the `${` itself */
    while (i < end) {
        if (child && i == child->span.start) {
            i = child->span.end;
            child = child->next;
            continue;
        }
        if (lx->base[i] == '/' && x->slash == AST_NONE) {
            x->slash = i;
            x->colon = AST_NONE; /* the type comes after the scope */
        } else if (lx->base[i] == ':' && x->colon == AST_NONE) {
            x->colon = i;
        }
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

/* Logical text of a word: its raw bytes less its continuations, which the
 * lexer listed in order as it met them (at any depth of `${`). */
static const char *word_cook(struct lexer *lx, struct ast_word *w)
{
    uint32_t from = w->span.start;
    char *text, *out;
    size_t i;

    text = arena_alloc(lx->arena, w->span.end - w->span.start);
    if (!text) {
        lx->oom = true;
        return "";
    }
    out = text;
    for (i = 0; i < lx->nconts; i++) {
        const struct span *c = &lx->conts[i];
        memcpy(out, lx->base + from, c->start - from);
        out += c->start - from;
        from = c->end;
    }
    memcpy(out, lx->base + from, w->span.end - from);
    out += w->span.end - from;
    w->len = (uint32_t)(out - text);
    return text;
}

/* A continuation [start, end) inside the current word: a part, and a span
 * to leave out of the word's text.  The cursor moves past it. */
static void lexer_word_cont(struct lexer *lx, uint32_t start, uint32_t end)
{
    lx->cur = lx->base + end;
    if (span_push(&lx->conts, &lx->nconts, &lx->conts_cap, start, end)) {
        lx->oom = true;
        return;
    }
    lexer_part(lx, AST_PART_CONT, start, OFF(lx, lx->cur));
    lx->cont_end = OFF(lx, lx->cur);
    lx->word_flags |= AST_W_CONT;
    lx->line_flags |= AST_L_CONT;
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
    w = lexer_word(lx);
    if (!w)
        return TOK_YYerror;
    w->span.start = lx->word_start;
    w->span.end = OFF(lx, lx->cur);
    w->flags = lx->word_flags;
    if (w->flags & AST_W_CONT) {
        w->text = word_cook(lx, w);
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
    lx->nconts = 0;
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
/* Which closer the open tag waits for: its kind, Jinja or ERB. */
static size_t tag_slot(const struct lexer *lx)
{
    return (size_t)(lx->tag_kind - AST_PART_TMPL_EXPR) + (lx->tag_erb ? 3 : 0);
}

static void lexer_begin_tag_as(struct lexer *lx, enum ast_part_kind kind,
                              bool erb)
{
    lx->tag_erb = erb;
    lx->tag_flags = lx->line_flags;
    lx->tag_return = lx->cond;
    lx->tag_kind = (uint8_t)kind;
    lx->tag_start = OFF(lx, lx->tok);
    /* Neither ERB nor Jinja2's comments know strings: `%>` or `#}` closes
     * them wherever it is (ERB::Compiler's scanner, Jinja2's lexer). */
    if (erb || kind == AST_PART_TMPL_COMMENT)
        lx->cond = yycrawtag;
    else
        lx->cond = yyctag;
    if (lx->no_closer_after[tag_slot(lx)] != AST_NONE &&
        lx->tag_start > lx->no_closer_after[tag_slot(lx)])
        lx->cur = lx->lim; /* known: it runs to the end of the file */
}

static void lexer_begin_tag(struct lexer *lx, enum ast_part_kind kind)
{
    lexer_begin_tag_as(lx, kind, false);
}

/* A quoted string inside a tag: a newline in it joins lines too. */
static void lexer_tag_string(struct lexer *lx)
{
    if (memchr(lx->tok, '\n', (size_t)(lx->cur - lx->tok)))
        lx->line_flags |= AST_L_CONT;
}

/* An ERB tag (`<% %>`, `<%= %>`, `<%# %>`: Ruby templates, also in
 * template mode) opened at lx->tok. */
static void lexer_begin_erb(struct lexer *lx, enum ast_part_kind kind)
{
    lexer_begin_tag_as(lx, kind, true);
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

    /* No closer from here to the end: none for a later tag either, so the
     * next unterminated tag need not scan the rest of the file again. */
    lx->no_closer_after[tag_slot(lx)] = lx->tag_start;
    lx->line_flags = lx->tag_flags;
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
    line->eol_len = (uint8_t)(end - start); /* "\n", "\r\n" or nothing */
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
    struct ast_word *w = lexer_word(lx);

    lx->cond = yycinit;
    if (!w)
        return TOK_YYerror;
    w->span.start = lx->word_start;
    w->span.end = OFF(lx, lx->cur);
    w->kind = lx->is_tail ? AST_TAIL : AST_COMMENT;
    if (lx->tag_seen)
        w->flags |= AST_W_TEMPLATE;
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

/* The bytes that end a run of plain bytes: inside a word, the complement
 * of `lit` below; in a comment, the complement of its plain run. */
enum { STOP_WORD = 1, STOP_TAIL = 2 };
static const unsigned char stop_class[256] = {
    ['\0'] = STOP_WORD | STOP_TAIL, ['\n'] = STOP_WORD | STOP_TAIL,
    ['\r'] = STOP_WORD | STOP_TAIL, ['\\'] = STOP_WORD | STOP_TAIL,
    ['{'] = STOP_WORD | STOP_TAIL,  ['<'] = STOP_WORD | STOP_TAIL,
    ['\t'] = STOP_WORD, ['\v'] = STOP_WORD, ['\f'] = STOP_WORD,
    [' '] = STOP_WORD,  ['$'] = STOP_WORD,  ['}'] = STOP_WORD,
};

/* Past the plain bytes at @p p (those not in class @p stop).  The
 * sentinel NUL at the end stops it. */
static const unsigned char *skip_plain(const unsigned char *p, unsigned stop)
{
    while (!(stop_class[*p] & stop))
        p++;
    return p;
}

/* The join range starting at the cursor, or NULL.  Ranges the cursor has
 * passed (inside template tags, where iPXE never looks) are skipped. */
static const struct span *lexer_join_at(struct lexer *lx)
{
    uint32_t at = OFF(lx, lx->cur);

    while (lx->join < lx->joins.n && lx->joins.ranges[lx->join].end <= at)
        lx->join++;
    if (lx->join < lx->joins.n && lx->joins.ranges[lx->join].start == at)
        return &lx->joins.ranges[lx->join];
    return NULL;
}

/* A join range @p j starts at the cursor: iPXE removes those bytes and
 * glues what is around them.  Returns a token to return, or -1 to go on. */
static int lexer_join(struct lexer *lx, const struct span *j,
                      union YYSTYPE *val, struct span *loc)
{
    /* a backslash at the very end, with no newline after it, is trivia of
     * the line rather than part of the word before it */
    bool at_end = j->end >= lx->joins_lim && lx->joins.dangling &&
                  !memchr(lx->base + j->start, '\n', j->end - j->start);

    lx->line_open = true;
    lx->line_flags |= AST_L_CONT;
    if (lx->cond == yycword) {
        if (at_end) /* the dangling join is trivia of the line */
            return lexer_end_word(lx, val, loc);
        lexer_word_cont(lx, j->start, j->end);
        return -1;
    }
    /* between words or in a comment: the bytes are trivia */
    lx->cur = lx->base + j->end;
    return -1;
}

int lexer_next(struct lexer *lx, union YYSTYPE *val, struct span *loc)
{
    /* A part ends at a line start (parse.c): right after the end of line
     * the call before returned, so once a call is enough, not a byte. */
    if (lx->cur == lx->stop)
        return TOK_YYEOF;
    for (;;) {
        const struct span *j;

        lx->tok = lx->cur;
        if (lx->oom)
            return TOK_YYerror;
        j = lexer_join_at(lx);
        if (j && lx->cond != yyctag && lx->cond != yycrawtag) {
            int tok = lexer_join(lx, j, val, loc);
            if (tok >= 0)
                return tok;
            continue;
        }
        /* A run of plain bytes, the bulk of a script, in a tight loop: what
         * the `lit+` rules below match, without the generated code storing
         * the cursor at every byte. */
        if (lx->cond == yycword)
            lx->cur = skip_plain(lx->cur, STOP_WORD);
        else if (lx->cond == yyctail)
            lx->cur = skip_plain(lx->cur, STOP_TAIL);
        if (lx->cur != lx->tok)
            continue;
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

    blank  = [ \t\v\f];
    eol    = "\r"? "\n";
    delim  = blank | [\r\n\x00];          /* ends a word */
    lit    = [^] \ delim \ [${}\\<];      /* plain inside a word */
    squote = ['] ([^'\\] | "\\" [^])* ['];
    dquote = ["] ([^"\\] | "\\" [^])* ["];

    <init> $ {
        /* A continuation with no physical line after it: iPXE never runs
         * what it accumulated (spec §1.2). */
        if (lx->line_open && lx->joins.dangling)
            lx->line_flags |= AST_L_DANGLING | AST_L_CONT;
        if (lx->line_open)
            return lexer_eol(lx, val, loc, OFF(lx, lx->cur), OFF(lx, lx->cur));
        return TOK_YYEOF;
    }
    <init> blank+ | "\r" { lx->line_open = true; continue; }
    <init> eol           { return lexer_eol(lx, val, loc, OFF(lx, lx->tok),
                                            OFF(lx, lx->cur)); }
    <init> "\x00"        { lexer_begin_tail(lx, true); continue; }
    <init> "#"           { lexer_begin_tail(lx, false); continue; }
    <init> *             { lx->line_open = true; lexer_begin_word(lx); continue; }

    <word> $     { return lexer_end_word(lx, val, loc); }
    <word> delim { return lexer_end_word(lx, val, loc); }
    <word> "${"  { if (lexer_push(lx, OFF(lx, lx->tok)) == false) return TOK_YYerror; continue; }
    <word> "}"   { lexer_close_expand(lx); continue; }
    <word> "$" {
        /* `${` split by a continuation is still `${` once joined */
        const struct span *split = lexer_join_at(lx);
        if (split && split->end < lx->joins_lim &&
            lx->base[split->end] == '{') {
            if (!lexer_push(lx, OFF(lx, lx->tok)))
                return TOK_YYerror;
            lexer_word_cont(lx, split->start, split->end);
            lx->cur++;
        }
        continue;
    }
    <word> lit+  { continue; }

    <tag> $               { return lexer_unterminated_tag(lx, loc); }
    <tag> "}}"            { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_EXPR); continue; }
    <tag> "%}"            { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_STMT); continue; }
    <tag> "#}"            { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_COMMENT); continue; }
    <tag> "-"? "%>"       { if (lx->tag_erb) lexer_close_tag(lx, lx->tag_kind); continue; }
    <tag> squote | dquote { lexer_tag_string(lx); continue; }
    <tag> eol             { lx->line_flags |= AST_L_CONT; continue; }
    <tag> [^'"}%#\r\n-]+  { continue; }

    <rawtag> $            { return lexer_unterminated_tag(lx, loc); }
    <rawtag> "#}"         { if (!lx->tag_erb) lexer_close_tag(lx, AST_PART_TMPL_COMMENT); continue; }
    <rawtag> "-"? "%>"    { if (lx->tag_erb) lexer_close_tag(lx, lx->tag_kind); continue; }
    <rawtag> eol          { lx->line_flags |= AST_L_CONT; continue; }
    <rawtag> [^}%#\r\n-]+ { continue; }

    <tail> $                { return lexer_finish_tail(lx, val, loc); }
    <tail> eol              { lx->cur = lx->tok; return lexer_finish_tail(lx, val, loc); }
    <tail> [^\r\n\\\x00{<]+ { continue; }

    /* Inside a word and in a comment alike: a literal backslash (joins
     * were handled before), and the openers of template tags. */
    <word, tail> "\\"          { continue; }
    <word, tail> "{{"          { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_EXPR); continue; }
    <word, tail> "{%"          { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_STMT); continue; }
    <word, tail> "{#"          { if (lx->is_template) lexer_begin_tag(lx, AST_PART_TMPL_COMMENT); continue; }
    <word, tail> "<%=" | "<%-" { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_EXPR); else lx->cur = lx->tok + 1; continue; }
    <word, tail> "<%#"         { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_COMMENT); else lx->cur = lx->tok + 1; continue; }
    <word, tail> "<%"          { if (lx->is_template) lexer_begin_erb(lx, AST_PART_TMPL_STMT); else lx->cur = lx->tok + 1; continue; }

    <word, tag, rawtag, tail> * { continue; }
*/
    }
}
