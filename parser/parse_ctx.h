/* SPDX-License-Identifier: MIT */
/** @file What the grammar, the lexer and ast.c share during one parse.
 *  Internal to parser/. */
#ifndef IPXETOOL_PARSER_PARSE_CTX_H
#define IPXETOOL_PARSER_PARSE_CTX_H

#include "ast.h"
#include "lexer.h"

struct arena;
struct diag_list;
struct held_token;

/** The segments of a line while the grammar collects them. */
struct ast_seglist {
    struct ast_segment *first; /**< the first segment */
    struct ast_segment *last;  /**< the last, for appending */
};

struct parse_ctx {
    struct lexer lx;          /**< the token source */
    struct arena *arena;      /**< owns the tree */
    struct diag_list *diags;  /**< parse errors go here */
    struct ast_script *script; /**< the tree being built */
    struct ast_word **argv;   /**< words of the segment being collected */
    uint32_t argc;            /**< how many */
    uint32_t argv_cap;        /**< allocated entries (malloc) */
    struct held_token *held;  /**< the token layer's lookahead (parse.c) */
    bool oom;                 /**< memory ran out */
};

/* Tree building (ast.c): segments for the token layer and the grammar,
 * the rest one call per grammar action. */
void ast_segment_push(struct parse_ctx *ctx, struct ast_word *w);
struct ast_segment *ast_segment_take(struct parse_ctx *ctx);
struct ast_segment *ast_segment_empty(struct parse_ctx *ctx);
struct ast_seglist ast_seglist_start(struct ast_segment *seg);
struct ast_seglist ast_seglist_add(struct ast_seglist list,
                                   struct ast_word *op,
                                   struct ast_segment *seg);
struct ast_line *ast_line_finish(struct parse_ctx *ctx, struct ast_line *line,
                                 struct ast_word *label,
                                 struct ast_seglist segs,
                                 struct ast_word *tail);
struct ast_line *ast_line_error(struct parse_ctx *ctx, struct ast_line *line);
void ast_script_add(struct parse_ctx *ctx, struct ast_line *line);

#endif
