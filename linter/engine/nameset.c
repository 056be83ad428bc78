/* SPDX-License-Identifier: MIT */
/** @file A set of names with a value each. */
#include "nameset.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

void nameset_release(struct nameset *set)
{
    free(set->slots);
    memset(set, 0, sizeof(*set));
}

/* The slot holding @p key, or the empty slot where it would go. */
static size_t nameset_slot(const struct nameset *set, const char *key,
                           size_t len)
{
    size_t mask = set->cap - 1, i = hash_fnv1a(key, len) & mask;

    while (set->slots[i].key && !(set->slots[i].len == len &&
                                  memcmp(set->slots[i].key, key, len) == 0))
        i = (i + 1) & mask;
    return i;
}

bool nameset_get(const struct nameset *set, const char *key, size_t len,
                 uint32_t *val)
{
    size_t i;

    if (!set->cap)
        return false;
    i = nameset_slot(set, key, len);
    if (!set->slots[i].key)
        return false;
    if (val)
        *val = set->slots[i].val;
    return true;
}

/* Rehash into @p cap slots (a power of two, more than twice the names). */
static int nameset_resize(struct nameset *set, size_t cap)
{
    struct nameset bigger = {0};
    size_t i;

    bigger.cap = cap;
    bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
    if (!bigger.slots)
        return -ENOMEM;
    for (i = 0; i < set->cap; i++) {
        if (set->slots[i].key) {
            size_t j =
                nameset_slot(&bigger, set->slots[i].key, set->slots[i].len);
            bigger.slots[j] = set->slots[i];
        }
    }
    bigger.len = set->len;
    nameset_release(set);
    *set = bigger;
    return 0;
}

int nameset_reserve(struct nameset *set, size_t n)
{
    size_t cap = set->cap ? set->cap : 64;

    if (n > SIZE_MAX / 4)
        return -ENOMEM;
    while (cap < n * 2 + 2)
        cap *= 2;
    return cap == set->cap ? 0 : nameset_resize(set, cap);
}

int nameset_put(struct nameset *set, const char *key, size_t len, uint32_t val,
                uint32_t *now)
{
    size_t i;

    if ((set->len + 1) * 2 > set->cap &&
        nameset_resize(set, set->cap ? set->cap * 2 : 64))
        return -ENOMEM;
    i = nameset_slot(set, key, len);
    if (!set->slots[i].key) {
        set->slots[i].key = key;
        set->slots[i].len = (uint32_t)len;
        set->slots[i].val = val;
        set->len++;
    }
    *now = set->slots[i].val;
    return 0;
}

int nameset_add(struct nameset *set, const char *key, size_t len, uint32_t val)
{
    uint32_t now;

    return nameset_put(set, key, len, val, &now);
}
