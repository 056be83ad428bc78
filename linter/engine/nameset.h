/* SPDX-License-Identifier: MIT */
/** @file A set of names with a value each: open addressing over borrowed
 *  strings (labels, settings, menu names), for the linter's lookups. */
#ifndef IPXETOOL_LINTER_NAMESET_H
#define IPXETOOL_LINTER_NAMESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One slot: a name, its length and its value side by side, so a probe
 *  touches one cache line. */
struct nameset_slot {
    const char *key; /**< NULL for an empty slot */
    uint32_t len;    /**< bytes in key */
    uint32_t val;    /**< its value (label: index into labels) */
};

/* A zeroed struct is an empty set; nameset_release() frees it.  To visit
 * every name, walk slots[0..cap) and skip those with a NULL key. */
struct nameset {
    struct nameset_slot *slots; /**< cap of them */
    size_t cap;                 /**< slots, a power of two */
    size_t len;                 /**< slots in use */
};

/** Free the table (not the names); the set is empty again. */
void nameset_release(struct nameset *set);
/** Make room for @p n names in all, so adding them never rehashes.
 *  0 or -ENOMEM. */
int nameset_reserve(struct nameset *set, size_t n);
/** Whether @p key (@p len bytes) is in the set; its value in @p val. */
bool nameset_get(const struct nameset *set, const char *key, size_t len,
                 uint32_t *val);
/** Add @p key (borrowed: it must outlive the set) with @p val, unless it
 *  is there already.  0 or -ENOMEM. */
int nameset_add(struct nameset *set, const char *key, size_t len, uint32_t val);
/** Like nameset_add(), and say what the key's value now is: @p val if it
 *  was added, the earlier one if it was there already.  0 or -ENOMEM. */
int nameset_put(struct nameset *set, const char *key, size_t len, uint32_t val,
                uint32_t *now);

#endif
