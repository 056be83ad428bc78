/* SPDX-License-Identifier: MIT */
/** @file JSON values as the renderer holds them: the inventory, and the
 *  variables a template reads.
 *
 * A value lives in an arena and is never changed once made, so threads
 * share it freely (no reference counts, unlike jansson's values) and a
 * host's variables are merged by sharing the inventory's subtrees: only
 * an object that two layers both define is made anew (jv_merge()).
 * Objects keep their members in the order of the file, as jansson does,
 * and those with more than JV_LINEAR members carry a hash index.
 *
 * jv_parse() is the inventory's fast reader: it takes the JSON that it is
 * sure jansson reads to the same values, and declines the rest (escapes
 * it does not decode, numbers out of range, duplicate keys, any syntax
 * error), which the caller then reads with jansson, for jansson's message
 * or for the values (jv_from_json()).
 */
#ifndef IPXETOOL_LINTER_JV_H
#define IPXETOOL_LINTER_JV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"

enum jv_kind {
    JV_NULL,
    JV_FALSE,
    JV_TRUE,
    JV_INT,
    JV_REAL,
    JV_STRING,
    JV_ARRAY,
    JV_OBJECT,
    JV_LAZY, /**< an object checked but not kept: u.s is its text, n bytes
                  (jv_parse_split()'s lazy key); jv_read_lazy() reads it */
};

struct jv_member;
struct jv_index;

/** A JSON value (in an arena, read only once made). */
struct jv {
    uint8_t kind; /**< enum jv_kind */
    uint32_t n;   /**< JV_STRING: bytes; JV_ARRAY: items; JV_OBJECT:
                       members */
    const struct jv_index *index; /**< JV_OBJECT: a hash index, or NULL */
    union {
        int64_t i;                        /**< JV_INT */
        double f;                         /**< JV_REAL */
        const char *s;                    /**< JV_STRING: NUL-terminated */
        const struct jv *items;           /**< JV_ARRAY */
        const struct jv_member *members;  /**< JV_OBJECT, in order */
    } u;
};

/** A member of an object. */
struct jv_member {
    const char *key; /**< NUL-terminated UTF-8, no NUL inside */
    uint32_t klen;   /**< bytes */
    uint32_t hash;   /**< hash_fnv1a() of the key */
    struct jv val;   /**< its value */
};

/** Objects up to this many members are searched one member after the
 *  other; larger ones through their index. */
#define JV_LINEAR 8

/** The value of @p key in the object @p obj, or NULL. */
const struct jv *jv_get(const struct jv *obj, const char *key, size_t len);

/**
 * Read the JSON text [text, text + len) into @p a, if it is an object
 * that this reader is sure jansson (JSON_REJECT_DUPLICATES) reads to the
 * same values.
 *
 * @ret rc 0 (@p out set); 1 declined: read it with jansson, which says
 *         what is wrong or gives the values; -ENOMEM
 */
int jv_parse(struct arena *a, const char *text, size_t len, struct jv *out);

/** The most threads jv_parse_split() reads with. */
#define JV_MAX_THREADS 8

/**
 * jv_parse(), reading the value of the top-level member @p split_key,
 * when it is an object and the text from it on is at least @p split_min
 * bytes, on up to @p threads threads at once (an inventory's hosts): the
 * same result as jv_parse()'s, sooner on several cores.  In that object,
 * the object value of a member's member @p lazy_key (a host's `vars`),
 * if not NULL, is checked as any other but not kept: it is a JV_LAZY of
 * its text (which must outlive it), read again by jv_read_lazy() when
 * needed, into memory that is warm by then (writing fresh memory is most
 * of what reading costs).
 */
int jv_parse_split(struct arena *a, const char *text, size_t len,
                   const char *split_key, size_t split_min, unsigned threads,
                   const char *lazy_key, struct jv *out);

/** The object of the JV_LAZY @p lazy, read into @p a: what jv_parse()
 *  would have made of it.  @ret 0 or -ENOMEM */
int jv_read_lazy(struct arena *a, const struct jv *lazy, struct jv *out);

/** @p j as a jv in @p a.  @ret 0 or -ENOMEM */
int jv_from_json(struct arena *a, const json_t *j, struct jv *out);

/** @p v as a new jansson value, or NULL when memory runs out. */
json_t *jv_to_json(const struct jv *v);

/**
 * Merge the objects @p layers[0..n) into @p out, later ones winning:
 * objects key by key (recursively), anything else replaced, the order of
 * the keys the order in which they first appear (as merging them one by
 * one into a jansson object gives).  Shares the layers' values: only the
 * objects merged from several layers, and @p out's members, are made in
 * @p a.  Every layer must be a JV_OBJECT.
 *
 * @ret 0 or -ENOMEM
 */
int jv_merge(struct arena *a, const struct jv *const *layers, size_t n,
             struct jv *out);

#endif
