/* SPDX-License-Identifier: MIT */
/** @file Parsing a source into a tree: the one entry point of parser/. */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "grammar.tab.h"
#include "parse_ctx.h"

/* The token the token layer read past a run of words, for the next call. */
struct held_token {
    int tok;      /**< 0: none held */
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

    if (h->tok) {
        tok = h->tok;
        h->tok = 0;
        *val = h->val;
        *loc = h->loc;
        return tok;
    }
    while ((tok = lexer_next(&ctx->lx, val, loc)) == TOK_WORD) {
        if (ctx->argc == 0)
            start = loc->start;
        ast_segment_push(ctx, val->word);
    }
    if (ctx->argc == 0)
        return tok;
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
    if (ctx->diags->len && ctx->diags->items[ctx->diags->len - 1].span.end ==
                               loc->end)
        return;
    diag_add(ctx->diags, DIAG_ERROR, "IPX4001", "template-syntax", *loc,
             "%s", msg);
}

int parse_source(struct source *src, unsigned flags, struct arena *a,
                 struct diag_list *d, struct ast_script **out)
{
    struct parse_ctx ctx;
    struct held_token held = {0};
    struct ast_script *s;
    int rc;

    *out = NULL;
    s = arena_zalloc(a, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->src = src;
    s->is_template = (flags & PARSE_TEMPLATE) != 0;
    s->signature = ast_signature_of(src->data, src->len);

    memset(&ctx, 0, sizeof(ctx));
    lexer_init(&ctx.lx, src, s->is_template, a, d);
    ctx.arena = a;
    ctx.diags = d;
    ctx.script = s;
    ctx.held = &held;
    rc = yyparse(&ctx);
    lexer_release(&ctx.lx);
    free(ctx.argv);
    if (rc == 2 || ctx.lx.oom || ctx.oom)
        return -ENOMEM;
    /* rc == 1 (a syntax error that could not be recovered) cannot happen:
     * every line ends in an end-of-line token that error recovery reaches.
     * Should it ever, the lines read so far are still a valid tree. */
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
