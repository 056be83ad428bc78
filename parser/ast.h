/* SPDX-License-Identifier: MIT */
/** @file The syntax tree of an iPXE script, as iPXE itself reads it.
 *
 * A script is a list of logical lines (spec §1.2).  A line is an optional
 * label, then segments separated by the operators `||`, `&&` and `;`, then
 * an optional comment or an ignored tail after a NUL byte, then its end of
 * line.  A segment is the words of one command (it may be empty).
 *
 * Lossless: every byte of the source is either inside a token's span
 * (label, word, operator, comment, tail, end of line) or is trivia between
 * two tokens of the same line (whitespace and backslash-newline
 * continuations), so ast_print_source() gives back the input byte for byte.
 * An unparsable line (only in template mode) is kept whole as an error line.
 *
 * Words keep their raw span and their logical text (continuations removed).
 * A word's parts list only what is not literal text: `${...}` expansions
 * (nested), template tags and continuations; the gaps between parts are
 * literal.  Everything is owned by the arena given to parse_source().
 */
#ifndef IPXETOOL_PARSER_AST_H
#define IPXETOOL_PARSER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "source.h"

struct buf;

/** "Absent" for optional offsets. */
#define AST_NONE UINT32_MAX

enum ast_part_kind {
    AST_PART_EXPAND,       /**< `${...}`; children are the parts inside */
    AST_PART_TMPL_EXPR,    /**< template `{{ ... }}` (template mode only) */
    AST_PART_TMPL_STMT,    /**< template `{% ... %}` */
    AST_PART_TMPL_COMMENT, /**< template `{# ... #}` */
    AST_PART_CONT,         /**< a backslash-newline joined inside the word */
};

struct ast_part {
    struct span span;          /**< raw bytes, delimiters included */
    uint8_t kind;              /**< enum ast_part_kind */
    uint32_t slash;            /**< EXPAND: offset of the '/' ending the
                                    scope, or AST_NONE */
    uint32_t colon;            /**< EXPAND: offset of the ':' starting the
                                    type, or AST_NONE */
    struct ast_part *children; /**< EXPAND: nested parts, in order */
    struct ast_part *next;     /**< next sibling */
};

enum ast_word_kind {
    AST_WORD,    /**< an ordinary word: command name or argument */
    AST_LABEL,   /**< `:name`; text is the name without the ':' */
    AST_OR,      /**< the whole word `||` */
    AST_AND,     /**< the whole word `&&` */
    AST_SEMI,    /**< the whole word `;` */
    AST_COMMENT, /**< from a word starting with '#' to the end of the line */
    AST_TAIL,    /**< bytes ignored after a NUL byte, to the end of line */
};

enum ast_word_flags {
    AST_W_CONT = 1 << 0,        /**< contains a continuation (text is cooked) */
    AST_W_EXPAND = 1 << 1,      /**< contains a `${...}` expansion */
    AST_W_TEMPLATE = 1 << 2,    /**< contains a template tag */
    AST_W_CONTROL = 1 << 3,     /**< nothing but template statement/comment
                                     tags: the renderer removes it */
    AST_W_UNCLOSED = 1 << 4,    /**< a `${` with no matching `}` (literal) */
    AST_W_STRAY_CLOSE = 1 << 5, /**< a `}` with no `${` before it (literal) */
};

struct ast_word {
    struct span span; /**< raw bytes (continuations included) */
    uint32_t len;     /**< bytes in text */
    uint8_t kind;     /**< enum ast_word_kind */
    uint8_t flags;    /**< enum ast_word_flags */
    bool has_parts;   /**< allocated in a struct ast_word_ext */
    const char *text; /**< logical text, len bytes, NOT NUL-terminated:
                           it points into the source when nothing was
                           cooked, else into the arena.  Compare with
                           ast_word_is(); copy before calling strtoul.
                           For a comment or a tail: the raw bytes. */
};

/* Most words are plain text, so a word's parts are not a field of every
 * word: a word that has some (has_parts) is allocated as the word member of
 * this, and ast_word_parts() finds them. */
struct ast_word_ext {
    struct ast_part *parts; /**< non-literal parts, in order */
    struct ast_word word;
};

/** The non-literal parts of word @p w, in order, or NULL. */
static inline struct ast_part *ast_word_parts(const struct ast_word *w)
{
    if (!w->has_parts)
        return NULL;
    return ((const struct ast_word_ext *)((const char *)w -
                                          offsetof(struct ast_word_ext, word)))
        ->parts;
}

struct ast_segment {
    struct ast_word *op;      /**< the operator ending it; NULL for the last */
    struct ast_segment *next; /**< the segment after op */
    uint32_t argc;            /**< 0 for an empty segment */
    struct ast_word *argv[];  /**< argc words: argv[0] is the command name
                                   (allocated with the segment) */
};

enum ast_line_flags {
    AST_L_DANGLING = 1 << 0, /**< ends in a continuation with no physical
                                  line after it (`\` at the end of the file,
                                  with or without a newline): iPXE never
                                  runs it (spec §1.2) */
    AST_L_ERROR = 1 << 1,    /**< could not be parsed (template mode) */
    AST_L_CONT = 1 << 2,     /**< spans more than one physical line */
};

struct ast_line {
    struct span span;         /**< every byte of the line, its end included */
    struct ast_word *label;   /**< the label, or NULL */
    struct ast_segment *segs; /**< at least one segment (maybe empty);
                                   NULL only on an error line */
    struct ast_word *trail;   /**< a comment (AST_COMMENT) or the bytes
                                   ignored after a NUL (AST_TAIL), or NULL:
                                   a line has at most one of them */
    struct ast_line *next;    /**< the next logical line */
    uint8_t flags;            /**< enum ast_line_flags */
    uint8_t eol_len;          /**< bytes of its end: see ast_line_eol() */
};

/* A large script holds millions of these: with 64-bit pointers, keep them
 * at the sizes bench/lint's memory figures were measured with. */
_Static_assert(sizeof(void *) != 8 || (sizeof(struct ast_word) == 24 &&
                                       sizeof(struct ast_segment) == 24 &&
                                       sizeof(struct ast_line) == 48),
               "a tree node grew");

/** The end of line @p l: "\n", "\r\n", or empty at the end of the file;
 *  the last bytes of its span. */
static inline struct span ast_line_eol(const struct ast_line *l)
{
    struct span eol;

    eol.end = l->span.end;
    eol.start = eol.end - l->eol_len;
    return eol;
}

/** The comment of line @p l, or NULL. */
static inline struct ast_word *ast_line_comment(const struct ast_line *l)
{
    return l->trail && l->trail->kind == AST_COMMENT ? l->trail : NULL;
}

/** The bytes line @p l ignores after a NUL, or NULL. */
static inline struct ast_word *ast_line_tail(const struct ast_line *l)
{
    return l->trail && l->trail->kind == AST_TAIL ? l->trail : NULL;
}

/** How the first bytes compare with iPXE's script probe (spec §1.1). */
enum ast_signature {
    AST_SIG_IPXE,       /**< `#!ipxe` + whitespace */
    AST_SIG_GPXE,       /**< `#!gpxe` + whitespace (legacy, accepted) */
    AST_SIG_MISSING,    /**< something else entirely */
    AST_SIG_TOO_SHORT,  /**< fewer than 7 bytes */
    AST_SIG_BOM,        /**< a UTF-8 byte order mark before `#!ipxe` */
    AST_SIG_LEADING_WS, /**< blank lines or spaces before `#!ipxe` */
    AST_SIG_CASE,       /**< `#!iPXE` and the like */
    AST_SIG_NO_SPACE,   /**< `#!ipxe` not followed by whitespace */
};

/** What a script is written in, when the parser looked at its bytes
 *  (PARSE_SNIFF) because its name did not say. */
enum ast_dialect {
    AST_DIALECT_NAMED = 0, /**< as its name (or --template) says */
    AST_DIALECT_TAGS,      /**< template tags in the bytes: parsed as a
                                template */
    AST_DIALECT_CHEETAH,   /**< a Cheetah (Cobbler) template: parsed as
                                plain, and not to be checked */
};

struct ast_script {
    struct source *src;       /**< the source parsed (borrowed) */
    bool is_template;         /**< parsed in template mode */
    enum ast_dialect dialect; /**< found from the bytes, or NAMED */
    struct span sniffed;      /**< the tag or directive that told the dialect
                                   (empty when NAMED) */
    enum ast_signature signature; /**< what the probe would say */
    struct ast_line *lines;       /**< logical lines, in order */
    struct ast_line *last;        /**< the last line, for appending */
    size_t nlines;                /**< how many logical lines */
    size_t nwords;                /**< how many words, all lines together */
    size_t nlabels;               /**< how many lines have a label */
};

/** Judge the first bytes as iPXE's probe does. */
enum ast_signature ast_signature_of(const char *data, size_t len);
/** Whether iPXE would accept the signature. */
bool ast_signature_ok(enum ast_signature sig);

/** Print the source back from the tree, byte for byte, into @p out.
 *  @ret rc 0, -EPROTO if the tree does not cover the source (a bug), or a
 *  negative errno from the buffer. */
int ast_print_source(const struct ast_script *s, struct buf *out);
/** Print the tree in the stable text form of `ipxe-lint --dump=ast`. */
int ast_print_tree(const struct ast_script *s, struct buf *out);

/** Where the name of expansion @p x starts: after its `${`, which a
 *  continuation may split (`$\` + newline + `{`, then the first child is
 *  that continuation). */
static inline uint32_t ast_expand_body(const struct ast_part *x)
{
    const struct ast_part *c = x->children;

    if (c && c->kind == AST_PART_CONT && c->span.start == x->span.start + 1)
        return c->span.end + 1;
    return x->span.start + 2;
}

/** Whether word @p w's text is known before run time: no `${...}`
 *  expansion and no template tag in it. */
static inline bool ast_word_is_static(const struct ast_word *w)
{
    return !(w->flags & (AST_W_EXPAND | AST_W_TEMPLATE));
}

/** Whether word @p w's logical text is exactly @p s. */
static inline bool ast_word_is(const struct ast_word *w, const char *s)
{
    size_t n = strlen(s);

    return w->len == n && memcmp(w->text, s, n) == 0;
}

/** Whether @p c is in iPXE's whitespace set (space, \t, \n, \v, \f, \r). */
static inline bool ast_is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

#endif
