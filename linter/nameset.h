/* SPDX-License-Identifier: MIT */
/** @file A set of names with a value each: open addressing over borrowed
 *  strings (labels, settings, menu names), for the linter's lookups. */
#ifndef IPXETOOL_LINTER_NAMESET_H
#define IPXETOOL_LINTER_NAMESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A zeroed struct is an empty set; nameset_release() frees it. */
struct nameset {
    const char **keys;  /**< NULL for an empty slot */
    uint32_t *lens;     /**< their lengths */
    uint32_t *vals;     /**< a value per key (label: index into labels) */
    size_t cap;         /**< slots, a power of two */
    size_t len;         /**< slots in use */
};

/** Free the table (not the names); the set is empty again. */
void nameset_release(struct nameset *set);
/** Whether @p key (@p len bytes) is in the set; its value in @p val. */
bool nameset_get(const struct nameset *set, const char *key, size_t len,
                 uint32_t *val);
/** Add @p key (borrowed: it must outlive the set) with @p val, unless it
 *  is there already.  0 or -ENOMEM. */
int nameset_add(struct nameset *set, const char *key, size_t len,
                uint32_t val);

#endif
