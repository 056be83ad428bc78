/* SPDX-License-Identifier: MIT */
/** @file Parsing a source into a tree: the one entry point of parser/. */
#include "parse.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "build.h"
#include "diag.h"
#include "grammar.tab.h"
#include "joins.h"
#include "parse_ctx.h"
#include "sniff.h"

/* The token the token layer read past a run of words, for the next call. */
struct held_token {
    bool held; /**< a token is held */
    int tok;   /**< which (may be 0, the end of input) */
    YYSTYPE val;
    YYLTYPE loc;
};

/* The token layer between the lexer and the grammar: a run of WORD tokens
 * becomes one WORDS token whose value is the segment of those words.  The
 * token that ended the run is held and returned by the next call. */
int yylex(YYSTYPE *val, YYLTYPE *loc, struct parse_ctx *ctx)
{
    struct held_token *h = ctx->held;
    uint32_t start = 0;
    int tok;

    if (h->held) {
        h->held = false;
        *val = h->val;
        *loc = h->loc;
        return h->tok;
    }
    while ((tok = lexer_next(&ctx->lx, val, loc)) == TOK_WORD) {
        if (ctx->argc == 0)
            start = loc->start;
        ast_segment_push(ctx, val->word);
    }
    if (ctx->argc == 0)
        return tok;
    h->held = true;
    h->tok = tok;
    h->val = *val;
    h->loc = *loc;
    loc->end = ctx->argv[ctx->argc - 1]->span.end;
    loc->start = start;
    val->seg = ast_segment_take(ctx);
    return val->seg ? TOK_WORDS : TOK_YYerror;
}

void yyerror(YYLTYPE *loc, struct parse_ctx *ctx, const char *msg)
{
    /* The lexer has already said what is wrong with the token it refused;
     * bison's own message is only needed for anything else. */
    if (ctx->lx.oom || ctx->oom)
        return;
    if (ctx->diags->len &&
        ctx->diags->items[ctx->diags->len - 1].span.end == loc->end)
        return;
    diag_add(ctx->diags, DIAG_ERROR, "IPX4001", "template-syntax", *loc, "%s",
             msg);
}

/* Run the grammar over the lexer set up in @p ctx, building @p s. */
static int parse_run(struct parse_ctx *ctx, struct ast_script *s,
                     struct arena *a, struct diag_list *d)
{
    struct held_token held = {.held = false};
    int rc;

    ctx->arena = a;
    ctx->diags = d;
    ctx->script = s;
    ctx->held = &held;
    rc = yyparse(ctx);
    lexer_release(&ctx->lx);
    free(ctx->argv);
    if (rc == 2 || ctx->lx.oom || ctx->oom)
        return -ENOMEM;
    /* rc == 1 (a syntax error that could not be recovered) cannot happen:
     * every line ends in an end-of-line token that error recovery reaches.
     * Should it ever, the lines read so far are still a valid tree. */
    return 0;
}

/* ---- two halves at once ----
 *
 * Lines are independent once iPXE's joins are known: outside template
 * tags (which may span lines) nothing a line holds changes how the next
 * one reads.  So a large plain script is cut at a line start near its
 * middle, where a logical line ends, and the second half is parsed on a
 * thread of its own, into an arena of its own that the tree's arena then
 * adopts; its lines are appended to the first half's. */

/* Below this size a second thread costs more than it saves. */
#define THREADS_MIN_BYTES ((size_t)1 << 20)

/* Where iPXE ends a logical line: a newline no join removes. */
static bool ends_logical_line(const struct joins *j, uint32_t nl,
                              const struct span **range)
{
    size_t lo = 0, hi = j->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (j->ranges[mid].end <= nl)
            lo = mid + 1;
        else
            hi = mid;
    }
    *range = lo < j->n && j->ranges[lo].start <= nl ? &j->ranges[lo] : NULL;
    return *range == NULL;
}

/* A line start near the middle of @p src where a logical line begins, or
 * 0 if there is none. */
static uint32_t split_point(const struct source *src, const struct joins *j)
{
    const char *data = src->data, *end = data + src->len;
    const char *p = data + src->len / 2;
    const struct span *range;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        uint32_t nl = (uint32_t)(p - data);
        if (ends_logical_line(j, nl, &range))
            return nl + 1 < src->len ? nl + 1 : 0;
        p = data + range->end;
    }
    return 0;
}

unsigned parse_threads_cut(const struct source *src)
{
    struct joins joins;
    uint32_t cut;

    if (src->len < THREADS_MIN_BYTES || joins_scan(&joins, src->data, src->len))
        return 0;
    cut = split_point(src, &joins);
    joins_release(&joins);
    return cut;
}

struct half {
    struct parse_ctx ctx;
    struct ast_script script; /* its lines, to append */
    struct arena arena;       /* adopted by the tree's arena */
    struct diag_list diags;
    int rc;
};

static void *half_main(void *arg)
{
    struct half *h = arg;

    h->rc = parse_run(&h->ctx, &h->script, &h->arena, &h->diags);
    return NULL;
}

/* Parse @p src into @p s in two halves.  1 when it cannot be split (the
 * caller parses it whole), else 0 or -ENOMEM. */
static int parse_halves(struct source *src, struct ast_script *s,
                        struct arena *a, struct diag_list *d)
{
    struct parse_ctx ctx;
    struct joins joins;
    struct half *h;
    pthread_t thread;
    uint32_t split;
    bool threaded;
    size_t i;
    int rc;

    if (joins_scan(&joins, src->data, src->len))
        return -ENOMEM;
    split = split_point(src, &joins);
    h = split ? calloc(1, sizeof(*h)) : NULL;
    if (!h) {
        joins_release(&joins);
        return split ? -ENOMEM : 1;
    }
    arena_init(&h->arena);
    diag_list_init(&h->diags, &h->arena);
    h->script.src = src;
    h->script.signature = s->signature;
    lexer_init_part(&h->ctx.lx, src, &joins, split, (uint32_t)src->len,
                    &h->arena, &h->diags);
    memset(&ctx, 0, sizeof(ctx));
    lexer_init_part(&ctx.lx, src, &joins, 0, split, a, d);
    threaded = pthread_create(&thread, NULL, half_main, h) == 0;
    rc = parse_run(&ctx, s, a, d);
    if (threaded)
        pthread_join(thread, NULL);
    else
        half_main(h); /* no thread: one after the other */
    if (!rc)
        rc = h->rc;
    if (!rc && h->script.lines) {
        if (s->last)
            s->last->next = h->script.lines;
        else
            s->lines = h->script.lines;
        s->last = h->script.last;
        s->nlines += h->script.nlines;
        s->nwords += h->script.nwords;
        s->nlabels += h->script.nlabels;
    }
    for (i = 0; !rc && i < h->diags.len; i++) {
        if (diag_append(d, &h->diags.items[i]))
            rc = -ENOMEM;
    }
    arena_adopt(a, &h->arena);
    free(h->diags.items);
    free(h);
    joins_release(&joins);
    return rc;
}

/* PARSE_SNIFF: what the bytes say the script is written in, and the
 * flags to parse it with. */
static unsigned parse_sniff(const struct source *src, unsigned flags,
                            struct ast_script *s)
{
    /* Cheetah's `#if`/`#end if` lines are comments to iPXE, its `$name`
     * words text: read as iPXE reads it; the linter checks nothing more. */
    if (sniff_cheetah(src->data, src->len, &s->sniffed)) {
        s->dialect = AST_DIALECT_CHEETAH;
        return flags & ~(unsigned)PARSE_TEMPLATE;
    }
    if (!(flags & PARSE_TEMPLATE) &&
        sniff_tags(src->data, src->len, &s->sniffed)) {
        s->dialect = AST_DIALECT_TAGS;
        return flags | PARSE_TEMPLATE;
    }
    return flags;
}

int parse_source(struct source *src, unsigned flags, struct arena *a,
                 struct diag_list *d, struct ast_script **out)
{
    struct parse_ctx ctx;
    struct ast_script *s;
    int rc = 1;

    *out = NULL;
    s = arena_zalloc(a, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->src = src;
    if (flags & PARSE_SNIFF)
        flags = parse_sniff(src, flags, s);
    s->is_template = (flags & PARSE_TEMPLATE) != 0;
    s->signature = ast_signature_of(src->data, src->len);

    if ((flags & PARSE_THREADS) && !s->is_template &&
        src->len >= THREADS_MIN_BYTES)
        rc = parse_halves(src, s, a, d);
    if (rc == 1) {
        memset(&ctx, 0, sizeof(ctx));
        lexer_init(&ctx.lx, src, s->is_template, a, d);
        rc = parse_run(&ctx, s, a, d);
    }
    if (rc)
        return rc;
    *out = s;
    return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool parse_is_template_name(const char *path)
{
    static const char *const exts[] = {".j2",   ".jinja", ".jinja2",
                                       ".tmpl", ".tpl",   ".erb"};
    size_t i;

    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        if (ends_with(path, exts[i]))
            return true;
    }
    return false;
}
