/* SPDX-License-Identifier: MIT */
/** @file A set of names with a value each. */
#include "nameset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a: short keys, no attacker */
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void nameset_release(struct nameset *set)
{
    free(set->keys);
    free(set->lens);
    free(set->vals);
    memset(set, 0, sizeof(*set));
}

/* The slot holding @p key, or the empty slot where it would go. */
static size_t nameset_slot(const struct nameset *set, const char *key,
                           size_t len)
{
    size_t mask = set->cap - 1, i = hash_bytes(key, len) & mask;

    while (set->keys[i] &&
           !(set->lens[i] == len && memcmp(set->keys[i], key, len) == 0))
        i = (i + 1) & mask;
    return i;
}

bool nameset_get(const struct nameset *set, const char *key,
                        size_t len, uint32_t *val)
{
    size_t i;

    if (!set->cap)
        return false;
    i = nameset_slot(set, key, len);
    if (!set->keys[i])
        return false;
    if (val)
        *val = set->vals[i];
    return true;
}

static int nameset_grow(struct nameset *set)
{
    struct nameset bigger = {0};
    size_t i;

    bigger.cap = set->cap ? set->cap * 2 : 64;
    bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
    bigger.lens = calloc(bigger.cap, sizeof(*bigger.lens));
    bigger.vals = calloc(bigger.cap, sizeof(*bigger.vals));
    if (!bigger.keys || !bigger.lens || !bigger.vals) {
        nameset_release(&bigger);
        return -ENOMEM;
    }
    for (i = 0; i < set->cap; i++) {
        if (set->keys[i]) {
            size_t j = nameset_slot(&bigger, set->keys[i], set->lens[i]);
            bigger.keys[j] = set->keys[i];
            bigger.lens[j] = set->lens[i];
            bigger.vals[j] = set->vals[i];
        }
    }
    bigger.len = set->len;
    nameset_release(set);
    *set = bigger;
    return 0;
}

/* Add @p key (borrowed: it must outlive the set) unless present. */
int nameset_add(struct nameset *set, const char *key, size_t len,
                       uint32_t val)
{
    size_t i;

    if ((set->len + 1) * 2 > set->cap && nameset_grow(set))
        return -ENOMEM;
    i = nameset_slot(set, key, len);
    if (set->keys[i])
        return 0;
    set->keys[i] = key;
    set->lens[i] = (uint32_t)len;
    set->vals[i] = val;
    set->len++;
    return 0;
}

