/* SPDX-License-Identifier: MIT */
/** @file What the grammar, the token layer (parse.c) and the tree builder
 *  (build.c) share during one parse.  Internal to parser/. */
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
    struct lexer lx;           /**< the token source */
    struct arena *arena;       /**< owns the tree */
    struct diag_list *diags;   /**< parse errors go here */
    struct ast_script *script; /**< the tree being built */
    struct ast_word **argv;    /**< words of the segment being collected */
    uint32_t argc;             /**< how many */
    uint32_t argv_cap;         /**< allocated entries (malloc) */
    struct held_token *held;   /**< the token layer's lookahead (parse.c) */
    bool oom;                  /**< memory ran out */
};

#endif
