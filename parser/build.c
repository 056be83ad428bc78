/* SPDX-License-Identifier: MIT */
/** @file Building the syntax tree: the segments the token layer collects,
 *  and one call per grammar action. */
#include "build.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"

void ast_segment_push(struct parse_ctx *ctx, struct ast_word *w)
{
    if (ctx->argc == ctx->argv_cap) {
        uint32_t cap = ctx->argv_cap ? ctx->argv_cap * 2 : 16;
        struct ast_word **argv = realloc(ctx->argv, cap * sizeof(*argv));
        if (!argv) {
            ctx->oom = true;
            return;
        }
        ctx->argv = argv;
        ctx->argv_cap = cap;
    }
    ctx->argv[ctx->argc++] = w;
}

struct ast_segment *ast_segment_empty(struct parse_ctx *ctx)
{
    struct ast_segment *seg = arena_zalloc(ctx->arena, sizeof(*seg));

    if (!seg)
        ctx->oom = true;
    return seg;
}

struct ast_segment *ast_segment_take(struct parse_ctx *ctx)
{
    size_t size = ctx->argc * sizeof(ctx->argv[0]);
    struct ast_segment *seg = arena_alloc(ctx->arena, sizeof(*seg) + size);

    if (!seg) {
        ctx->oom = true;
        return NULL;
    }
    seg->op = NULL;
    seg->next = NULL;
    seg->argc = ctx->argc;
    memcpy(seg->argv, ctx->argv, size);
    ctx->argc = 0;
    return seg;
}

struct ast_seglist ast_seglist_start(struct ast_segment *seg)
{
    struct ast_seglist list = {seg, seg};

    return list;
}

struct ast_seglist ast_seglist_add(struct ast_seglist list, struct ast_word *op,
                                   struct ast_segment *seg)
{
    if (!list.last || !seg)
        return list; /* out of memory: the parse fails anyway */
    list.last->op = op;
    list.last->next = seg;
    list.last = seg;
    return list;
}

struct ast_line *ast_line_finish(struct parse_ctx *ctx, struct ast_line *line,
                                 struct ast_word *label,
                                 struct ast_seglist segs, struct ast_word *tail)
{
    const struct ast_segment *seg;

    if (!line)
        return NULL;
    line->label = label;
    if (label)
        ctx->script->nlabels++;
    line->segs = segs.first;
    for (seg = segs.first; seg; seg = seg->next)
        ctx->script->nwords += seg->argc; /* error lines' words don't count */
    line->trail = tail;
    return line;
}

struct ast_line *ast_line_error(struct parse_ctx *ctx, struct ast_line *line)
{
    if (line)
        line->flags |= AST_L_ERROR;
    return line;
}

void ast_script_add(struct parse_ctx *ctx, struct ast_line *line)
{
    struct ast_script *s = ctx->script;

    if (!line)
        return;
    if (s->last)
        s->last->next = line;
    else
        s->lines = line;
    s->last = line;
    s->nlines++;
}
