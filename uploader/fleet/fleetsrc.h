/* SPDX-License-Identifier: MIT */
/** @file Where push --template gets its scripts: a template and an
 *  inventory, rendered per server with the server's live facts.
 *
 * A thin layer over the renderer (linter/render/render.h), so that the
 * fleet engine sees one hook.  The template sees the inventory's
 * variables for the host (defaults < groups < host < --set) and, as `ovh`, what
 * the API says of the server: its GET /dedicated/server/{sn} fields but
 * bootScript and bootId, `ovh.bootMode`, and `ovh.hardware`
 * (specifications/hardware).
 */
#ifndef IPXETOOL_UPLOADER_FLEETSRC_H
#define IPXETOOL_UPLOADER_FLEETSRC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "scriptlint.h"
#include "sha.h"

struct buf;
struct fleetsrc;

/**
 * Load @p template_path and @p inventory_path and apply the --set
 * assignments as ipxe-render does: "key=value" sets a string, "key:=json"
 * a JSON value; a dotted key sets inside objects.
 *
 * @v sets  borrowed, @p nsets of them
 * @v out   the source; free with fleetsrc_free()
 * @v err   what is wrong, when it fails (file:line:col where known)
 * @ret rc  0, -ENOTSUP without a renderer, -EINVAL (bad input, in
 *          @p err), -ENOMEM, or a negative errno from reading the files
 */
int fleetsrc_open(const char *template_path, const char *inventory_path,
                  const char *const *sets, size_t nsets, struct fleetsrc **out,
                  struct buf *err);

/** Free a source; NULL-safe. */
void fleetsrc_free(struct fleetsrc *s);

/** The number of hosts in the inventory. */
size_t fleetsrc_count(const struct fleetsrc *s);

/** The @p i-th host's name (a service name; borrowed from @p s). */
const char *fleetsrc_host(const struct fleetsrc *s, size_t i);

/**
 * Mark in @p selected (fleetsrc_count() entries) the hosts matching any of
 * @p patterns (a service name or an fnmatch(3) glob), as ipxe-render's
 * --host does; every host without a pattern.
 *
 * @ret rc 0; 1 with a message in @p err when a pattern matches no host
 */
int fleetsrc_select(const struct fleetsrc *s, const char *const *patterns,
                    size_t npatterns, bool *selected, struct buf *err);

/** The SHA-256 of the template's and the inventory's bytes and the --set
 *  assignments, in hex: what a push's scripts were made from. */
const char *fleetsrc_digest(const struct fleetsrc *s);

/**
 * Render @p host's script with @p facts as `ovh`, and lint it for
 * @p mode (the renderer refuses a value that would change the script's
 * structure, and a script with lint errors).  With BOOT_MODE_UNKNOWN the
 * host's `boot_mode` variable chooses, as in ipxe-render.
 *
 * @v facts     a JSON object (borrowed)
 * @v out       the script's bytes are appended
 * @v findings  why it was refused, or the lint warnings: lines as
 *              ipxe-render prints them (with the source line and a caret)
 * @v errors    set to the number of error lines in @p findings
 * @ret rc      0 rendered, 1 refused, or a negative errno
 */
int fleetsrc_render(struct fleetsrc *s, const char *host, json_t *facts,
                    enum boot_mode mode, struct buf *out, struct buf *findings,
                    size_t *errors);

#endif
