/* SPDX-License-Identifier: MIT */
/** @file The inventory: what render.c and ipxe-render need beyond render.h.
 *
 * The inventory's public functions (load, free, count, host, set) are
 * declared in render.h, the library's one public header.
 */
#ifndef IPXETOOL_LINTER_INVENTORY_H
#define IPXETOOL_LINTER_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct buf;
struct inventory;

/** The index of host @p name, or -1 if the inventory has no such host. */
long inventory_index(const struct inventory *inv, const char *name);

/**
 * The variables of host @p i, merged (see render_host()), with `host` set.
 *
 * @v extra  an object merged last, or NULL
 * @ret      a new reference the caller json_decref()s, or NULL with a
 *           message in @p err (extra not an object, or out of memory)
 */
json_t *inventory_vars(const struct inventory *inv, size_t i,
                       const json_t *extra, struct buf *err);

/**
 * Mark in @p selected (inventory_count() entries) the hosts matching any of
 * @p patterns: a service name or an fnmatch(3) glob (`ns*.eu`).  With no
 * pattern every host is selected.
 *
 * @ret rc 0; 1 with a message in @p err when a pattern matches no host
 */
int inventory_select(const struct inventory *inv, const char *const *patterns,
                     size_t npatterns, bool *selected, struct buf *err);

#endif
