/* SPDX-License-Identifier: MIT */
/** @file The hash every table of names uses: the engine's name sets, the
 *  predefined settings, the renderer's JSON objects. */
#ifndef IPXETOOL_PARSER_HASH_H
#define IPXETOOL_PARSER_HASH_H

#include <stddef.h>
#include <stdint.h>

/** 32-bit FNV-1a of the @p len bytes at @p s: short keys, no attacker. */
static inline uint32_t hash_fnv1a(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

#endif
