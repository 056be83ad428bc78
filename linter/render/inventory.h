/* SPDX-License-Identifier: MIT */
/** @file The inventory: defaults, groups and hosts, merged per host.
 *
 * Below the renderer: render.h includes this header, and inventory.c
 * uses nothing of render.h.  Like the rest of the library it never
 * prints: messages go to the caller's buffer.
 */
#ifndef IPXETOOL_LINTER_INVENTORY_H
#define IPXETOOL_LINTER_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "arena.h"
#include "jv.h"

struct buf;
/** Defaults, groups and hosts, and the --set overrides. */
struct inventory;

/** The largest inventory read: about 50,000 hosts of a few variables each.
 *  Held as JSON values (jv.h), an inventory takes about 10 times its size
 *  in memory at worst (tiny values), about 4 for hosts of a few variables
 *  each, about 2 from 256 KB on (each host's variables kept as text until
 *  rendered); a larger fleet is rendered from several inventories. */
#define INVENTORY_MAX_SIZE ((size_t)16 << 20)

/**
 * Read the inventory at @p path: a JSON object with `defaults` (an
 * object), `groups` (name -> object of variables) and `hosts` (service
 * name -> {"groups": [names], "vars": {...}}), all optional.
 *
 * @v out  the inventory; the caller frees it with inventory_free()
 * @v err  on failure, a message naming `path:line:col`
 * @ret rc 0; 1 if it is not valid JSON, not a valid inventory, or larger
 *         than INVENTORY_MAX_SIZE (refused before it is read whole); <0 if
 *         it could not be read
 */
int inventory_load(struct inventory **out, const char *path, struct buf *err);
/** Free an inventory (NULL is a no-op). */
void inventory_free(struct inventory *inv);
/** How many hosts the inventory has. */
size_t inventory_count(const struct inventory *inv);
/** The service name of host @p i (< inventory_count()), in the order of
 *  the file (borrowed: valid while the inventory lives). */
const char *inventory_host(const struct inventory *inv, size_t i);
/**
 * Override a variable for every host, as `--set key=value` does.  @p key
 * may be dotted (`ovh.bootMode`) to set inside objects, which are created
 * as needed.  @p value is a string; with a key ending in ':' (`--set
 * count:=3`, key "count:") it is read as JSON instead.  Later calls win.
 *
 * @ret rc 0; 1 with a message in @p err if the key or the JSON is bad
 */
int inventory_set(struct inventory *inv, const char *key, const char *value,
                  struct buf *err);

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
 * inventory_vars() as a jv made in @p a: the inventory's values are
 * shared, only read (other threads may merge from the same inventory at
 * the same time), and only what two layers both define is made anew.
 *
 * @v extra  an object merged last (before `host`), or NULL
 * @ret rc   0, or -ENOMEM
 */
int inventory_vars_jv(const struct inventory *inv, size_t i,
                      const struct jv *extra, struct arena *a, struct jv *out);

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
