/* SPDX-License-Identifier: MIT */
/** @file A JSON writer: ipxe-lint's json and sarif documents, written
 *  straight into a buffer, so that the linter needs nothing but libc.
 *
 * The layout is the one `json_dumps(JSON_INDENT(2) | JSON_PRESERVE_ORDER)`
 * gives (two spaces a level, `"key": value`, `[]` and `{}` when empty), so
 * the documents are the same bytes whichever library wrote them.  Strings
 * are bytes: what is not valid UTF-8 becomes U+FFFD.
 *
 * Errors are sticky: every call after a failed one does nothing, and
 * jsonw_status() says whether the whole document was written.
 */
#ifndef IPXETOOL_LINTER_JSONW_H
#define IPXETOOL_LINTER_JSONW_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define JSONW_MAX_DEPTH 16

struct jsonw {
    struct buf *out;
    unsigned depth;                     /**< containers open */
    bool nonempty[JSONW_MAX_DEPTH + 1]; /**< per level: a member written */
    char close[JSONW_MAX_DEPTH + 1];    /**< per level: '}' or ']' */
    int rc;                             /**< the first error, or 0 */
    bool compact;                       /**< no newlines or indentation
                                             (set after jsonw_init(): the
                                             language server's messages) */
};

/**
 * Start writing into @p out as if @p depth containers were already open
 * (0 for a whole document): a document can be written in parts, and the
 * members of an array written apart are joined by jsonw_splice().
 */
void jsonw_init(struct jsonw *w, struct buf *out, unsigned depth);

/* Each value is a member of the innermost container: @p key names it in
 * an object, and is NULL in an array or for the document itself. */
void jsonw_object(struct jsonw *w, const char *key);
void jsonw_array(struct jsonw *w, const char *key);
/** Close the innermost container. */
void jsonw_end(struct jsonw *w);
void jsonw_string(struct jsonw *w, const char *key, const char *s);
void jsonw_stringn(struct jsonw *w, const char *key, const char *s, size_t len);
void jsonw_int(struct jsonw *w, const char *key, long long v);
void jsonw_null(struct jsonw *w, const char *key);
void jsonw_bool(struct jsonw *w, const char *key, bool v);

/**
 * Append @p n members that another writer wrote (one started at this
 * writer's depth), @p text being their bytes.
 */
void jsonw_splice(struct jsonw *w, const char *text, size_t len, size_t n);

/** 0 when everything was written, else the first error (-ENOMEM, -E2BIG). */
int jsonw_status(const struct jsonw *w);

#endif
