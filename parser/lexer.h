/* SPDX-License-Identifier: MIT */
/** @file The re2c lexer: bytes to the tokens of iPXE's logical lines.
 *
 * Internal to parser/: the grammar calls lexer_next() through yylex().
 * Tokens are whole words exactly as iPXE splits them (spec §2.1): a word
 * that starts with '#' is a comment to the end of the logical line, a word
 * that is exactly `||`, `&&` or `;` is an operator, a word starting with
 * ':' as the first thing on a line is a label.  Whitespace and
 * continuations between words are trivia and produce no token.
 */
#ifndef IPXETOOL_PARSER_LEXER_H
#define IPXETOOL_PARSER_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "joins.h"
#include "source.h"

struct arena;
struct diag_list;
struct ast_part;
struct ast_line;
struct ast_word;
union YYSTYPE;

/** One open `${` while a word is scanned. */
struct lexer_frame {
    uint32_t start;        /**< offset of the '$' */
    struct ast_part *head; /**< parts found inside, in order */
    struct ast_part *tail; /**< last of them */
};

struct lexer {
    const unsigned char *base;   /**< start of the source */
    const unsigned char *cur;    /**< next byte to read */
    const unsigned char *lim;    /**< end of input (a NUL sentinel is there) */
    const unsigned char *tok;    /**< start of the current match */
    const unsigned char *mar;    /**< re2c's backtracking marker */
    int cond;                    /**< re2c condition */
    bool is_template;            /**< recognise template tags */
    bool at_line_start;          /**< nothing but trivia yet on this line */
    bool line_open;              /**< the current line has bytes to end */
    uint8_t line_flags;          /**< enum ast_line_flags so far */
    uint32_t line_start;         /**< offset of the current line */
    uint32_t cont_end;           /**< where the last continuation ended */
    uint32_t word_start;         /**< offset of the word being scanned */
    uint8_t word_flags;          /**< enum ast_word_flags so far */
    uint8_t tag_kind;            /**< kind of the open template tag */
    int tag_return;              /**< condition to go back to after it */
    bool tag_erb;                /**< it is an ERB tag, closed by `%>` */
    uint8_t tag_flags;           /**< line flags when the tag opened */
    uint32_t no_closer_after[6]; /**< per closer (3 kinds, Jinja or ERB): a
                                    tag opened after this offset is known
                                    to be unterminated, or AST_NONE */
    struct joins joins;          /**< where iPXE joins lines (joins.h) */
    bool joins_borrowed;         /**< joins belong to the caller */
    const unsigned char *stop;   /**< a part's end (a line start), or NULL */
    size_t join;                 /**< the next join range to meet */
    uint32_t joins_lim;          /**< the source length */
    struct span *conts;          /**< continuations of the current word, in
                                      order (malloc) */
    size_t nconts, conts_cap;
    bool tag_seen;              /**< a template tag is in the current token */
    bool is_tail;               /**< the tail being scanned follows a NUL */
    uint32_t tag_start;         /**< offset of the open template tag */
    struct lexer_frame *frames; /**< [0] is the word itself (malloc) */
    size_t depth;               /**< frames in use */
    size_t frames_cap;          /**< frames allocated */
    struct arena *arena;        /**< owns tokens (borrowed) */
    struct diag_list *diags;    /**< where errors go (borrowed) */
    bool oom;                   /**< memory ran out: the parse fails */
};

/** Set up a lexer over @p src. */
void lexer_init(struct lexer *lx, const struct source *src, bool is_template,
                struct arena *a, struct diag_list *d);
/** Set up a lexer over the lines of plain (not template) @p src from line
 *  start @p start to line start @p stop (or to the end if @p stop is the
 *  length), with @p joins found over the whole of @p src (borrowed: they
 *  must outlive the lexer).  A logical line must not cross @p start or
 *  @p stop. */
void lexer_init_part(struct lexer *lx, const struct source *src,
                     const struct joins *joins, uint32_t start, uint32_t stop,
                     struct arena *a, struct diag_list *d);
/** Free the lexer's own memory (tokens stay in the arena). */
void lexer_release(struct lexer *lx);
/** The next token (a TOK_* value from the grammar, 0 at the end), with its
 *  span in @p loc and its value in @p val: a word, or at TOK_EOL the line
 *  just ended with its span, end and flags filled in. */
int lexer_next(struct lexer *lx, union YYSTYPE *val, struct span *loc);

#endif
