/* SPDX-License-Identifier: MIT */
/** @file A small JSON reader for the language server's messages: a text
 *  becomes a tree of values held in an arena.  With jsonw.c it keeps
 *  ipxe-lint free of jansson (README.md says why).
 *
 * It takes RFC 8259 JSON and nothing else: no comments, no trailing
 * commas, no NaN; strings must be valid UTF-8 after their escapes are
 * decoded (a lone surrogate is refused); containers nest at most
 * JSONR_MAX_DEPTH deep.  Strings are decoded and NUL-terminated (they may
 * hold NUL: use len).
 */
#ifndef IPXETOOL_LSP_JSONR_H
#define IPXETOOL_LSP_JSONR_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

#define JSONR_MAX_DEPTH 64

enum jsonr_type {
    JSONR_NULL,
    JSONR_BOOL,
    JSONR_NUMBER,
    JSONR_STRING,
    JSONR_ARRAY,
    JSONR_OBJECT,
};

struct jsonr {
    enum jsonr_type type;
    bool b;              /**< BOOL */
    double num;          /**< NUMBER */
    bool is_int;         /**< NUMBER: an integer that fits ival */
    long long ival;      /**< NUMBER, when is_int */
    const char *str;     /**< STRING: decoded, NUL-terminated */
    size_t len;          /**< STRING: bytes; ARRAY, OBJECT: members */
    struct jsonr *first; /**< ARRAY, OBJECT: the first member */
    struct jsonr *next;  /**< the next member of the container */
    const char *key;     /**< a member of an OBJECT: its key */
    size_t klen;         /**< the key's bytes */
};

/**
 * Read the @p len bytes at @p text as one JSON value (whitespace around it
 * allowed).
 *
 * @ret the value (in @p a), or NULL when the text is not JSON (@p err,
 *      if not NULL, is set to a short reason) or memory ran out
 */
struct jsonr *jsonr_parse(struct arena *a, const char *text, size_t len,
                          const char **err);

/** The member @p key of object @p o, or NULL (also when @p o is NULL or
 *  not an object). */
const struct jsonr *jsonr_get(const struct jsonr *o, const char *key);
/** The string at @p key of @p o, or NULL. */
const char *jsonr_str(const struct jsonr *o, const char *key);
/** The integer at @p key of @p o in @p out; false if there is none. */
bool jsonr_int(const struct jsonr *o, const char *key, long long *out);

#endif
