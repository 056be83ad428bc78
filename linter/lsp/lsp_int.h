/* SPDX-License-Identifier: MIT */
/** @file What the language server's files share: the server and its
 *  documents, positions, and writing messages. */
#ifndef IPXETOOL_LSP_LSP_INT_H
#define IPXETOOL_LSP_LSP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "jsonr.h"
#include "jsonw.h"
#include "lsp.h"
#include "source.h"

struct lint_tree;

struct ast_script;
struct lsp_index;

/** JSON-RPC and LSP error codes. */
enum lsp_error {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_INTERNAL_ERROR = -32603,
    LSP_NOT_INITIALIZED = -32002,
    LSP_REQUEST_CANCELLED = -32800,
};

/** One open document. */
struct lsp_doc {
    char *uri;         /**< as the client names it (malloc) */
    char *path;        /**< the file's path for a file: URI, else NULL */
    struct buf text;   /**< the current text */
    long long version; /**< the client's version */
    uint32_t *lines;   /**< the offset where each line starts (malloc) */
    size_t nlines;     /**< entries in lines (at least 1) */
    bool stale;        /**< changed since analysed */
    bool unpublished;  /**< diagnostics not pushed for this text */
    /* the analysis of the text, when !stale */
    struct source src;
    struct arena a;
    struct diag_list d;      /**< the findings shown (-S applied) */
    struct ast_script *tree; /**< the parsed tree, or NULL */
    struct lsp_index *index; /**< labels, settings, menus (in a) */
    char *config_error;      /**< the configuration's problem (malloc) */
    struct lint_tree *boot_tree; /**< tree mode: the tree read with this
                                      text, which owns some findings' text */
    bool analysed;
    struct lsp_doc *next;
};

struct lsp_server {
    struct buf in;        /**< bytes not yet handled */
    bool initialized;     /**< `initialize` answered */
    bool shutdown;        /**< `shutdown` received */
    int exit_status;      /**< -1 while running */
    bool utf8;            /**< positions in UTF-8 bytes, else UTF-16 */
    int debounce_ms;      /**< initializationOptions.debounceMs */
    bool related_info;    /**< the client takes relatedInformation */
    struct lsp_doc *docs; /**< the open documents */
    struct buf body;      /**< scratch: the message being written */
    long long *cancelled; /**< request ids cancelled in this batch */
    size_t ncancelled, cancelled_cap;
};

/* ---- positions (pos.c) ---- */

/** The offset of the LSP position {line, character} in @p doc, clamped to
 *  the document (a character past a line's end is its end). */
uint32_t lsp_offset(const struct lsp_server *s, const struct lsp_doc *doc,
                    long long line, long long character);
/** Write `"key": {"line": L, "character": C}` for byte @p off. */
void lsp_write_position(struct jsonw *w, const struct lsp_server *s,
                        const struct lsp_doc *doc, const char *key,
                        uint32_t off);
/** Write `"key": {"start": ..., "end": ...}` for bytes [start, end). */
void lsp_write_range(struct jsonw *w, const struct lsp_server *s,
                     const struct lsp_doc *doc, const char *key, uint32_t start,
                     uint32_t end);
/** The 0-based line holding byte @p off. */
size_t lsp_line_of(const struct lsp_doc *doc, uint32_t off);
/** The length of bytes [start, end) of one line, in the position
 *  encoding. */
uint32_t lsp_units(const struct lsp_server *s, const char *text, uint32_t start,
                   uint32_t end);

/* ---- documents (doc.c) ---- */

/** Build @p doc's line table from its text.  0 or -ENOMEM. */
int lsp_doc_lines(struct lsp_doc *doc);
/** Free a document and its analysis. */
void lsp_doc_free(struct lsp_doc *doc);
/** The path of a file: URI (percent-decoded), or NULL. */
char *lsp_uri_path(const char *uri);
/** The open document @p uri, or NULL. */
struct lsp_doc *lsp_doc_find(struct lsp_server *s, const char *uri);
/** Analyse @p doc's text if it changed: parse, lint, index.
 *  @ret 0 or -ENOMEM */
int lsp_doc_analyse(struct lsp_doc *doc);
/** The URL of a rule's page. */
void lsp_rule_url(char *out, size_t size, const char *code);

/** Write finding @p dg as an LSP Diagnostic (an array member). */
void lsp_write_diag(struct lsp_server *s, struct lsp_doc *doc, struct jsonw *w,
                    const struct diag *dg);

/* ---- the requests (features.c, actions.c, tokens.c) ---- */

/** A request's handler: writes `"result": ...` (or an error through
 *  @p err/@p errmsg) into @p w.  Returns 0 or -ENOMEM. */
typedef int lsp_handler(struct lsp_server *s, const struct jsonr *params,
                        struct jsonw *w, int *err, const char **errmsg);

lsp_handler lsp_hover;
lsp_handler lsp_definition;
lsp_handler lsp_references;
lsp_handler lsp_symbols;
lsp_handler lsp_completion;
lsp_handler lsp_code_action;
lsp_handler lsp_semantic_tokens;

/** The document and offset a TextDocumentPositionParams names, or NULL
 *  (then @p err and @p errmsg are set). */
struct lsp_doc *lsp_doc_at(struct lsp_server *s, const struct jsonr *params,
                           uint32_t *off, int *err, const char **errmsg);

/** The token types of the semantic tokens legend, NULL-ended. */
extern const char *const lsp_token_types[];

#endif
