/* SPDX-License-Identifier: MIT */
/** @file Semantic tokens (full) from the parsed tree: commands, options,
 *  labels, settings, comments, operators, URIs, template tags. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "cmdparse.h"
#include "cmdtable.h"
#include "engine.h"
#include "lsp_int.h"

enum tok_type {
    TOK_COMMAND,  /**< "function" */
    TOK_OPTION,   /**< "parameter" */
    TOK_LABEL,    /**< "label" */
    TOK_SETTING,  /**< "variable" */
    TOK_COMMENT,  /**< "comment" */
    TOK_OPERATOR, /**< "operator" */
    TOK_URI,      /**< "string" */
    TOK_TEMPLATE, /**< "macro" */
    TOK_NONE,     /**< not a token */
};

const char *const lsp_token_types[] = {
    "function", "parameter", "label", "variable", "comment",
    "operator", "string",    "macro", NULL,
};

struct tok {
    uint32_t start, end;
    uint8_t type;
};

struct toks {
    struct tok *v;
    size_t n, cap;
    int rc;
};

static void add(struct toks *t, uint32_t start, uint32_t end, uint8_t type)
{
    if (t->rc || type == TOK_NONE || end <= start)
        return;
    if (t->n && start < t->v[t->n - 1].end)
        return; /* never overlap */
    if (!lint_grow(&t->v, &t->n, &t->cap, sizeof(*t->v))) {
        t->rc = -ENOMEM;
        return;
    }
    t->v[t->n++] = (struct tok){start, end, type};
}

/* A word: its literal stretches as @p type, its expansions as settings,
 * its template tags as such; continuations cut it. */
static void word(struct toks *t, const struct ast_word *w, uint8_t type)
{
    const struct ast_part *p;
    uint32_t at = w->span.start;

    for (p = ast_word_parts(w); p; p = p->next) {
        add(t, at, p->span.start, type);
        if (p->kind == AST_PART_EXPAND)
            add(t, p->span.start, p->span.end, TOK_SETTING);
        else if (p->kind != AST_PART_CONT)
            add(t, p->span.start, p->span.end, TOK_TEMPLATE);
        at = p->span.end;
    }
    add(t, at, w->span.end, type);
}

static bool is_uri(const struct ast_word *w)
{
    const char *p = memchr(w->text, ':', w->len);

    return p && (size_t)(p - w->text) + 2 < w->len && p[1] == '/' &&
           p[2] == '/';
}

static void segment(struct toks *t, const struct ast_segment *seg,
                    struct arena *a)
{
    struct cmd_call call;
    const struct cmd_optval *dflt = NULL;
    uint32_t i;
    enum cmd_id id = CMD_ID_NONE;

    if (cmdparse(seg, a, &call)) {
        t->rc = -ENOMEM;
        return;
    }
    if (call.def && !call.dynamic)
        id = (enum cmd_id)call.def->id;
    if (id == CMD_ID_CHOOSE)
        dflt = cmdparse_opt(&call, "default");
    for (i = 0; i < seg->argc; i++) {
        const struct ast_word *w = seg->argv[i];
        uint8_t type = TOK_NONE;
        if (i == 0)
            type = TOK_COMMAND;
        else if (i < call.first_arg && w->len && w->text[0] == '-')
            type = TOK_OPTION;
        else if (dflt && dflt->value == w && w->len && w->text[0] != '-')
            type = TOK_LABEL;
        else if (i == call.first_arg &&
                 (id == CMD_ID_GOTO || id == CMD_ID_ITEM))
            type = TOK_LABEL;
        else if (i == call.first_arg &&
                 (id == CMD_ID_SET || id == CMD_ID_CHOOSE ||
                  id == CMD_ID_READ || id == CMD_ID_CLEAR))
            type = TOK_SETTING;
        else if (is_uri(w))
            type = TOK_URI;
        word(t, w, type);
    }
    if (seg->op)
        add(t, seg->op->span.start, seg->op->span.end, TOK_OPERATOR);
}

int lsp_semantic_tokens(struct lsp_server *s, const struct jsonr *params,
                        struct jsonw *w, int *err, const char **errmsg)
{
    struct lsp_doc *doc = lsp_doc_at(s, params, NULL, err, errmsg);
    struct toks t = {0};
    const struct ast_line *l;
    const struct ast_segment *seg;
    size_t i, pline = 0;
    uint32_t pchar = 0;

    if (!doc)
        return 0;
    for (l = doc->tree ? doc->tree->lines : NULL; l && !t.rc; l = l->next) {
        if (l->label)
            add(&t, l->label->span.start, l->label->span.end, TOK_LABEL);
        for (seg = l->segs; seg && !t.rc; seg = seg->next) {
            if (seg->argc)
                segment(&t, seg, &doc->a);
            else if (seg->op)
                add(&t, seg->op->span.start, seg->op->span.end, TOK_OPERATOR);
        }
        if (ast_line_comment(l))
            add(&t, l->trail->span.start, l->trail->span.end, TOK_COMMENT);
    }
    if (t.rc) {
        free(t.v);
        return t.rc;
    }
    jsonw_object(w, "result");
    jsonw_array(w, "data");
    for (i = 0; i < t.n; i++) {
        uint32_t start = t.v[i].start;
        /* one token per line: a token over a continuation is cut */
        while (start < t.v[i].end) {
            const char *nl =
                memchr(doc->text.data + start, '\n', t.v[i].end - start);
            uint32_t end = nl ? (uint32_t)(nl - doc->text.data) : t.v[i].end;
            size_t line = lsp_line_of(doc, start);
            uint32_t ch = lsp_units(s, doc->text.data, doc->lines[line], start);
            uint32_t len = lsp_units(s, doc->text.data, start, end);
            if (end > start && doc->text.data[end - 1] == '\r' && nl)
                len = lsp_units(s, doc->text.data, start, end - 1);
            if (len) {
                jsonw_int(w, NULL, (long long)(line - pline));
                jsonw_int(w, NULL, line == pline ? ch - pchar : ch);
                jsonw_int(w, NULL, len);
                jsonw_int(w, NULL, t.v[i].type);
                jsonw_int(w, NULL, 0);
                pline = line;
                pchar = ch;
            }
            start = nl ? end + 1 : end;
        }
    }
    jsonw_end(w);
    jsonw_end(w);
    free(t.v);
    return 0;
}
