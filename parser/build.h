/* SPDX-License-Identifier: MIT */
/** @file Building the syntax tree during a parse: segments for the token
 *  layer and the grammar, the rest one call per grammar action.  Internal
 *  to parser/: the tree lives in the parse's arena (ctx->arena). */
#ifndef IPXETOOL_PARSER_BUILD_H
#define IPXETOOL_PARSER_BUILD_H

#include "parse_ctx.h"

void ast_segment_push(struct parse_ctx *ctx, struct ast_word *w);
struct ast_segment *ast_segment_take(struct parse_ctx *ctx);
struct ast_segment *ast_segment_empty(struct parse_ctx *ctx);
struct ast_seglist ast_seglist_start(struct ast_segment *seg);
struct ast_seglist ast_seglist_add(struct ast_seglist list, struct ast_word *op,
                                   struct ast_segment *seg);
struct ast_line *ast_line_finish(struct parse_ctx *ctx, struct ast_line *line,
                                 struct ast_word *label,
                                 struct ast_seglist segs,
                                 struct ast_word *tail);
struct ast_line *ast_line_error(struct parse_ctx *ctx, struct ast_line *line);
void ast_script_add(struct parse_ctx *ctx, struct ast_line *line);

#endif
